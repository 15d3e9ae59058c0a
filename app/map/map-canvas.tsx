'use client';
// The map: maplibre for the base map and labels, deck.gl overlays joined through
// MapboxOverlay. The style is built once from the base-map data; layer toggles only
// change visibility, so nothing is re-downloaded or re-parsed.
import { useEffect, useRef } from 'react';
import { Map as MaplibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import bbox from '@turf/bbox';
import { buildBasemapStyle, STYLE_LAYER_OWNER, type BasemapData } from './basemap-style';
import type { LayerId } from './layer-registry';

const MIN_ZOOM = 6;
const MAX_ZOOM = 18;
const FIT_PADDING_PX = 40;
// maplibre's worker is served by the app itself (app/vendor/…), never from a CDN.
const WORKER_URL = '/vendor/maplibre-gl-worker.mjs';

export interface MapCanvasProps {
  basemap: BasemapData;
  /** deck.gl layers drawn over the base map (built by the page from the registry). */
  overlays: Layer[];
  visible: ReadonlySet<LayerId>;
  rasterUrl?: string;
  tooltip?: (info: PickingInfo) => string | null;
  onReady?: () => void;
  /** Fly to this place whenever it changes (a new object each time it should fly). */
  focus?: { lon: number; lat: number; zoom?: number } | null;
  /** Called with the clicked position (lon, lat). */
  onMapClick?: (lonLat: [number, number]) => void;
}

export function MapCanvas({ basemap, overlays, visible, rasterUrl, tooltip, onReady, focus, onMapClick }: MapCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const tooltipRef = useRef(tooltip);
  tooltipRef.current = tooltip;
  const clickRef = useRef(onMapClick);
  clickRef.current = onMapClick;

  useEffect(() => {
    if (!container.current) return;
    setWorkerUrl(new URL(WORKER_URL, window.location.href).href);
    const [minX, minY, maxX, maxY] = bbox(basemap.county);
    const map = new MaplibreMap({
      container: container.current,
      style: buildBasemapStyle(basemap, rasterUrl),
      bounds: [minX, minY, maxX, maxY],
      fitBoundsOptions: { padding: FIT_PADDING_PX },
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      hash: true,
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new NavigationControl({ showCompass: true }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    const overlay = new MapboxOverlay({ interleaved: false, layers: [], getTooltip: (info) => tooltipRef.current?.(info) ?? null });
    map.addControl(overlay);
    mapRef.current = map;
    overlayRef.current = overlay;
    // For end-to-end tests and operators' debugging: the map instance of this page.
    (window as unknown as { __pinganMap?: MaplibreMap }).__pinganMap = map;
    map.on('click', (e) => clickRef.current?.([e.lngLat.lng, e.lngLat.lat]));
    map.once('idle', () => onReady?.());
    return () => {
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
    // The style is built once per data set; visibility is handled below. onReady is
    // deliberately left out: a new callback must not rebuild the map.
  }, [basemap, rasterUrl]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      for (const [styleLayer, owner] of Object.entries(STYLE_LAYER_OWNER)) {
        if (map.getLayer(styleLayer)) map.setLayoutProperty(styleLayer, 'visibility', visible.has(owner) ? 'visible' : 'none');
      }
    };
    if (map.isStyleLoaded()) apply();
    else map.once('styledata', apply);
  }, [visible, basemap]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: overlays });
  }, [overlays, basemap]);

  useEffect(() => {
    if (focus) mapRef.current?.flyTo({ center: [focus.lon, focus.lat], zoom: focus.zoom ?? 13, duration: 800 });
  }, [focus]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
