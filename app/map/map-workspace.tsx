'use client';
// 态势地图: the map page is the map view's `map` preset — every overlay offered, the base
// map and grids on, nothing beside the map but the layer panel, filters and legend.
import { MapView } from './map-view';

export function MapWorkspace({ rasterUrl }: { rasterUrl?: string }) {
  return <MapView preset="map" rasterUrl={rasterUrl} activeNav="map" />;
}
