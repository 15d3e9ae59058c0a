'use client';
// The map: maplibre for the base map and labels, deck.gl overlays joined through
// @deck.gl/maplibre's MapLibreOverlay. The style is built once from the base-map data;
// layer toggles only change visibility, so nothing is re-downloaded or re-parsed.
// Interleaved mode: deck.gl draws into maplibre's own WebGL2 context, each overlay inserted
// below the first label layer (`beforeId`), so place names stay readable above the data and
// one canvas holds the whole picture (the PNG export reads it). A deck layer whose id ends
// with ':top' is drawn above the labels (selection, measurement, search pin).
import { useEffect, useRef } from 'react';
import { Map as MaplibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Layer, PickingInfo } from '@deck.gl/core';
import bbox from '@turf/bbox';
import { buildBasemapStyle, FIRST_LABEL_LAYER, STYLE_LAYER_OWNER, type BasemapData } from './basemap-style';
import type { FlyTarget, ViewBox } from '../layers/types';

const MIN_ZOOM = 6;
const MAX_ZOOM = 18;
const FIT_PADDING_PX = 40;
// maplibre's worker is served by the app itself (app/vendor/…), never from a CDN.
const WORKER_URL = '/vendor/maplibre-gl-worker.mjs';

export interface MapCanvasProps {
  basemap: BasemapData;
  /** deck.gl layers drawn over the base map (built by the map view from the registry). */
  overlays: Layer[];
  /** Ids of the visible registry layers (the base map's style layers follow them). */
  visible: ReadonlySet<string>;
  rasterUrl?: string;
  tooltip?: (info: PickingInfo) => string | null;
  onReady?: () => void;
  /** Fly whenever this changes (a new object each time it should fly). */
  focus?: FlyTarget | null;
  /** A click on the map (lon, lat) and what deck.gl picked there, if anything. */
  onMapClick?: (lonLat: [number, number], picked: PickingInfo | null) => void;
  /** The view after every move (debounced by maplibre's moveend). */
  onView?: (view: ViewBox) => void;
  cursor?: string;
}

function viewOf(map: MaplibreMap): ViewBox {
  const b = map.getBounds();
  return { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom: map.getZoom() };
}

export function flyTo(map: MaplibreMap, t: FlyTarget): void {
  if ('bbox' in t) map.fitBounds([[t.bbox[0], t.bbox[1]], [t.bbox[2], t.bbox[3]]], { padding: 80, maxZoom: 16, duration: 800 });
  else map.flyTo({ center: [t.lon, t.lat], zoom: t.zoom ?? Math.max(map.getZoom(), 15), duration: 800 });
}

function underLabels(layers: Layer[]): Layer[] {
  return layers.map((l) => (l.id.endsWith(':top') ? l : l.clone({ beforeId: FIRST_LABEL_LAYER } as never)));
}

export function MapCanvas({ basemap, overlays, visible, rasterUrl, tooltip, onReady, focus, onMapClick, onView, cursor }: MapCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapLibreOverlay | null>(null);
  const tooltipRef = useRef(tooltip);
  tooltipRef.current = tooltip;
  const clickRef = useRef(onMapClick);
  clickRef.current = onMapClick;
  const viewRef = useRef(onView);
  viewRef.current = onView;
  const readyRef = useRef(onReady);
  readyRef.current = onReady;
  const overlaysRef = useRef(overlays);
  overlaysRef.current = overlays;

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
      canvasContextAttributes: { preserveDrawingBuffer: true, antialias: true },
    });
    map.addControl(new NavigationControl({ showCompass: true }), 'top-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    mapRef.current = map;
    // For end-to-end tests and operators' debugging: the map instance of this page.
    (window as unknown as { __pinganMap?: MaplibreMap }).__pinganMap = map;
    map.on('load', () => {
      // deck.gl joins once the style is in: interleaved layers need the label layer to exist
      const overlay = new MapLibreOverlay({
        interleaved: true,
        layers: underLabels(overlaysRef.current),
        getTooltip: (info) => {
          const text = tooltipRef.current?.(info);
          return text ? { text, className: 'map-tooltip' } : null;
        },
      });
      map.addControl(overlay);
      overlayRef.current = overlay;
      (window as unknown as { __pinganOverlay?: MapLibreOverlay }).__pinganOverlay = overlay;
      viewRef.current?.(viewOf(map));
      map.once('idle', () => readyRef.current?.());
    });
    map.on('moveend', () => viewRef.current?.(viewOf(map)));
    map.on('click', (e) => {
      const picked = overlayRef.current?.pickObject({ x: e.point.x, y: e.point.y, radius: 4 }) ?? null;
      clickRef.current?.([e.lngLat.lng, e.lngLat.lat], picked);
    });
    return () => {
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
    // The style is built once per data set; visibility is handled below.
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
    overlayRef.current?.setProps({ layers: underLabels(overlays) });
  }, [overlays]);

  useEffect(() => {
    if (focus && mapRef.current) flyTo(mapRef.current, focus);
  }, [focus]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = cursor ?? '';
  }, [cursor]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
