'use client';
// The map: maplibre for the base map and labels, deck.gl overlays joined through
// @deck.gl/maplibre's MapLibreOverlay. The style is built once from the base-map data;
// layer toggles only change visibility, so nothing is re-downloaded or re-parsed.
// Interleaved mode: deck.gl draws into maplibre's own WebGL2 context, each overlay inserted
// below the first label layer (`beforeId`), so place names stay readable above the data and
// one canvas holds the whole picture (the PNG export reads it). A deck layer whose id ends
// with ':top' is drawn above the labels (selection, measurement, search pin).
// Basemaps (lib/basemaps.ts): the chosen source's style is built here; a PMTiles source is read
// through pmtiles' maplibre protocol (loaded on first use). Over a GCJ-02 basemap the map's own
// coordinates are GCJ-02: our GeoJSON sources are converted when the style is built, every
// deck.gl layer gets a modelMatrix with the GCJ-02 offset fitted to the view (recomputed on
// moveend), and what the map reports (view, clicks) is converted back to WGS-84, what it is
// asked to show (fly-to targets) forward.
import { useEffect, useMemo, useRef } from 'react';
import { addProtocol, AttributionControl, Map as MaplibreMap, NavigationControl, ScaleControl, setWorkerUrl } from 'maplibre-gl';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { Device } from '@luma.gl/core';
import bbox from '@turf/bbox';
import { buildBasemapStyle, darkStyle, FIRST_LABEL_LAYER, STYLE_LAYER_OWNER, type BasemapData } from './basemap-style';
import type { FlyTarget, ViewBox } from '../layers/types';
import { bboxTo, fitGcj, gcjModelMatrix, gcjToWgs, OFFLINE_SOURCE, wgsToGcj, type BasemapSource, type BBox, type GcjFit, type LonLat } from '@/lib/basemaps';

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
  /** The basemap to draw under the county layers (default: the offline one). */
  source?: BasemapSource;
  /** An XYZ template drawn as a WGS-84 raster basemap, when no `source` is given (the old BASEMAP_URL). */
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
  /** The wall's dark base map (darkStyle). */
  dark?: boolean;
  /** No pan or zoom by hand (the wall: nobody touches it). */
  still?: boolean;
}

/**
 * Keeps deck.gl's handle on the shared drawing buffer at the canvas's real size. luma.gl resizes
 * that framebuffer object only when it changes `canvas.width` itself; on maplibre's canvas, maplibre
 * already has, so after any resize (window, wall layout, the PNG export's enlargement) deck.gl placed
 * its layers against the old height: shifted by the difference, in a corner. Called before each draw;
 * a no-op while the size is unchanged.
 */
function followCanvasSize(device: Device, canvas: HTMLCanvasElement): void {
  device.getDefaultCanvasContext().getCurrentFramebuffer().resize([canvas.width, canvas.height]);
}

function viewOf(map: MaplibreMap, gcj = false): ViewBox {
  const b = map.getBounds();
  const box: BBox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  return { bbox: gcj ? bboxTo(box, gcjToWgs) : box, zoom: map.getZoom() };
}

/** A fly-to target (WGS-84) in the map's GCJ-02 coordinates. */
function inGcj(t: FlyTarget): FlyTarget {
  if ('bbox' in t) return { ...t, bbox: bboxTo(t.bbox, wgsToGcj) };
  const [lon, lat] = wgsToGcj([t.lon, t.lat]);
  return { ...t, lon, lat };
}

/** The GCJ-02 offset fitted over the part of the county in view (where our data is), or over the view. */
function viewFit(map: MaplibreMap, county: BBox): GcjFit {
  const v = viewOf(map, true).bbox;
  const part: BBox = [Math.max(v[0], county[0]), Math.max(v[1], county[1]), Math.min(v[2], county[2]), Math.min(v[3], county[3])];
  return fitGcj(part[0] < part[2] && part[1] < part[3] ? part : v);
}

// pmtiles:// sources: the protocol is registered once, its code loaded when a PMTiles basemap first asks
let pmtilesRegistered = false;
function registerPmtiles(): void {
  if (pmtilesRegistered) return;
  pmtilesRegistered = true;
  let protocol: Promise<import('pmtiles').Protocol> | null = null;
  addProtocol('pmtiles', async (params, abortController) => {
    protocol ??= import('pmtiles').then((m) => new m.Protocol());
    // pmtiles answers TileJSON (an object) or tile bytes: what maplibre's protocol contract takes
    return (await protocol).tilev4(params, abortController) as ReturnType<Parameters<typeof addProtocol>[1]>;
  });
}

export function flyTo(map: MaplibreMap, t: FlyTarget): void {
  if ('bbox' in t) map.fitBounds([[t.bbox[0], t.bbox[1]], [t.bbox[2], t.bbox[3]]], { padding: 80, maxZoom: 16, duration: 800 });
  else map.flyTo({ center: [t.lon, t.lat], zoom: t.zoom ?? Math.max(map.getZoom(), 15), duration: 800 });
}

function underLabels(layers: Layer[], gcj: GcjFit | null = null): Layer[] {
  return layers.map((l) => {
    const placed = l.id.endsWith(':top') || (l.props as { beforeId?: string }).beforeId;
    const shift = gcj ? gcjModelMatrix(gcj, l.props.coordinateSystem, l.props.coordinateOrigin, l.props.modelMatrix as ArrayLike<number> | null) : null;
    if (placed && !shift) return l;
    return l.clone({ ...(placed ? {} : { beforeId: FIRST_LABEL_LAYER }), ...(shift ? { modelMatrix: shift } : {}) } as never);
  });
}

export function MapCanvas({ basemap, overlays, visible, source: chosen, rasterUrl, tooltip, onReady, focus, onMapClick, onView, cursor, dark, still }: MapCanvasProps) {
  // by value: a new but equal object (a refreshed server page) must not rebuild the map
  const sourceKey = JSON.stringify(chosen ?? rasterUrl ?? null);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the value
  const source = useMemo<BasemapSource>(() => chosen ?? (rasterUrl ? { ...OFFLINE_SOURCE, id: 'raster', name: '栅格底图', kind: 'xyz', tiles: [rasterUrl] } : OFFLINE_SOURCE), [sourceKey]);
  const gcjRef = useRef(false);
  const fitRef = useRef<GcjFit | null>(null);
  // the place shown when the basemap is switched (WGS-84), kept for the next map
  const lastView = useRef<{ center: LonLat; zoom: number; bearing: number; pitch: number } | null>(null);
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
    if (source.kind === 'pmtiles') registerPmtiles();
    const gcj = source.crs === 'gcj02';
    gcjRef.current = gcj;
    fitRef.current = null;
    const county = bbox(basemap.county) as BBox;
    const [minX, minY, maxX, maxY] = gcj ? bboxTo(county, wgsToGcj) : county;
    const toWgs = (p: LonLat): LonLat => (gcj ? gcjToWgs(p) : p);
    const map = new MaplibreMap({
      container: container.current,
      style: dark ? darkStyle(buildBasemapStyle(basemap, source, window.location.origin)) : buildBasemapStyle(basemap, source, window.location.origin),
      interactive: !still,
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
    if (source.attribution) map.addControl(new AttributionControl({ compact: true }), 'bottom-right');
    if (lastView.current) {
      const v = lastView.current;
      map.jumpTo({ center: gcj ? wgsToGcj(v.center) : v.center, zoom: v.zoom, bearing: v.bearing, pitch: v.pitch });
    }
    mapRef.current = map;
    // For end-to-end tests and operators' debugging: the map instance of this page.
    (window as unknown as { __pinganMap?: MaplibreMap }).__pinganMap = map;
    map.on('load', () => {
      // deck.gl joins once the style is in: interleaved layers need the label layer to exist
      if (gcj) fitRef.current = viewFit(map, county);
      const overlay = new MapLibreOverlay({
        interleaved: true,
        layers: underLabels(overlaysRef.current, fitRef.current),
        onBeforeRender: ({ device }) => followCanvasSize(device, map.getCanvas()),
        getTooltip: (info) => {
          const text = tooltipRef.current?.(info);
          return text ? { text, className: 'map-tooltip' } : null;
        },
      });
      map.addControl(overlay);
      overlayRef.current = overlay;
      (window as unknown as { __pinganOverlay?: MapLibreOverlay }).__pinganOverlay = overlay;
      viewRef.current?.(viewOf(map, gcj));
      map.once('idle', () => readyRef.current?.());
    });
    map.on('moveend', () => {
      if (gcj) {
        fitRef.current = viewFit(map, county);
        overlayRef.current?.setProps({ layers: underLabels(overlaysRef.current, fitRef.current) });
      }
      viewRef.current?.(viewOf(map, gcj));
    });
    map.on('click', (e) => {
      const picked = overlayRef.current?.pickObject({ x: e.point.x, y: e.point.y, radius: 4 }) ?? null;
      clickRef.current?.(toWgs([e.lngLat.lng, e.lngLat.lat]), picked);
    });
    return () => {
      const c = map.getCenter();
      lastView.current = { center: toWgs([c.lng, c.lat]), zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
    // The style is built once per data set and basemap; visibility is handled below.
  }, [basemap, source]);

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
  }, [visible, basemap, source]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: underLabels(overlays, fitRef.current) });
  }, [overlays]);

  useEffect(() => {
    if (focus && mapRef.current) flyTo(mapRef.current, gcjRef.current ? inGcj(focus) : focus);
  }, [focus]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = cursor ?? '';
  }, [cursor]);

  return <div ref={container} className="map-canvas" data-testid="map" />;
}
