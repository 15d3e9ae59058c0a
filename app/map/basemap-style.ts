// The base map as a maplibre style built only from the county's own data: no tiles, no
// sprites, no glyph server. Labels are drawn by the browser from local fonts (maplibre
// rasterises glyphs itself when the style names no `glyphs` URL), so Chinese place
// names render on an isolated intranet. A configured raster basemap (lib/basemaps.ts: 天地图,
// a local tile server, a PMTiles file served by the app) goes underneath, its label tiles
// (天地图 cva_w) above our data; for a GCJ-02 basemap our own sources are shifted to GCJ-02
// once, here, with gcoord's exact transform (deck.gl overlays: map-canvas.tsx).
import type { StyleSpecification, LayerSpecification, FilterSpecification, SourceSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import { ROAD_STYLE } from '../layers/base';
import { convertCollection, OFFLINE_SOURCE, wgsToGcj, type BasemapSource } from '@/lib/basemaps';

export const LABEL_FONT = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'WenQuanYi Micro Hei', 'sans-serif'];
export const BACKGROUND = '#e4e7eb';
const TOWNSHIP_FILLS = ['#f3f0ff', '#fff4e6', '#ebfbee', '#e7f5ff', '#fff0f6', '#fff9db', '#e6fcf5', '#f8f0fc'];

export interface BasemapData {
  county: FeatureCollection;
  townships: FeatureCollection;
  villages: FeatureCollection;
  roads: FeatureCollection;
}

/** Which registry layer each style layer belongs to, for the layer panel's toggles. */
export const STYLE_LAYER_OWNER: Record<string, string> = {};
/** deck.gl overlays are inserted below this style layer, so every label stays on top. */
export const FIRST_LABEL_LAYER = 'road-label';
/** Area fills are inserted below this one: the lowest road layer (the village roads' casing). */
export const FIRST_ROAD_LAYER = 'road-village-casing';

function own(layerId: string, layers: LayerSpecification[]): LayerSpecification[] {
  for (const l of layers) STYLE_LAYER_OWNER[l.id] = layerId;
  return layers;
}

/** A collection in GCJ-02 (exact per position, gcoord), remembered per collection. */
const GCJ_COPIES = new WeakMap<FeatureCollection, FeatureCollection>();
export function toGcj(fc: FeatureCollection): FeatureCollection {
  let out = GCJ_COPIES.get(fc);
  if (!out) {
    out = convertCollection(fc, wgsToGcj);
    GCJ_COPIES.set(fc, out);
  }
  return out;
}

/** The base-map data in the datum of the basemap it is drawn over. */
export function basemapDataIn(data: BasemapData, crs: BasemapSource['crs']): BasemapData {
  if (crs !== 'gcj02') return data;
  return { county: toGcj(data.county), townships: toGcj(data.townships), villages: toGcj(data.villages), roads: toGcj(data.roads) };
}

/** The raster source of a configured basemap; `origin` makes the PMTiles URL absolute (the protocol fetches it). */
function rasterSource(b: BasemapSource, origin: string, overlay = false): SourceSpecification {
  const common = { type: 'raster' as const, tileSize: b.tileSize, maxzoom: b.maxzoom, ...(b.attribution && !overlay ? { attribution: b.attribution } : {}) };
  if (overlay) return { ...common, tiles: b.overlay!, scheme: b.scheme };
  if (b.kind === 'pmtiles') return { ...common, url: `pmtiles://${origin}/api/tiles/${encodeURIComponent(b.file!)}` };
  return { ...common, tiles: b.tiles!, scheme: b.scheme };
}

function labelPoints(fc: FeatureCollection, crs: BasemapSource['crs'] = 'wgs84'): FeatureCollection {
  const points: FeatureCollection = {
    type: 'FeatureCollection',
    features: fc.features.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [Number(f.properties?.labelLon), Number(f.properties?.labelLat)] },
      properties: { name: f.properties?.name },
    })),
  };
  return crs === 'gcj02' ? convertCollection(points, wgsToGcj) : points;
}

/**
 * The style for a basemap: the offline default (nothing fetched), or a configured raster
 * source under our layers. `basemap` may still be a bare XYZ template (the old BASEMAP_URL).
 */
export function buildBasemapStyle(input: BasemapData, basemap: BasemapSource | string = OFFLINE_SOURCE, origin = ''): StyleSpecification {
  const source: BasemapSource = typeof basemap === 'string' ? { ...OFFLINE_SOURCE, id: 'raster', name: '栅格底图', kind: 'xyz', tiles: [basemap] } : basemap;
  const rasterUrl = source.kind !== 'offline';
  const data = basemapDataIn(input, source.crs);
  const townships: FeatureCollection = {
    ...data.townships,
    features: data.townships.features.map((f, i) => ({ ...f, properties: { ...f.properties, fill: TOWNSHIP_FILLS[i % TOWNSHIP_FILLS.length] } })),
  };
  const roadClasses = Object.keys(ROAD_STYLE);
  const byClass = (cls: string): FilterSpecification => ['==', ['get', 'roadClass'], cls];

  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } },
    ...(rasterUrl ? [{ id: 'raster-basemap', type: 'raster', source: 'raster-basemap', paint: { 'raster-opacity': 0.85 } } as LayerSpecification] : []),
    ...own('county', [
      { id: 'county-fill', type: 'fill', source: 'county', paint: { 'fill-color': '#fbfaf7', 'fill-opacity': rasterUrl ? 0.2 : 1 } },
    ]),
    ...own('townships', [
      { id: 'township-fill', type: 'fill', source: 'townships', paint: { 'fill-color': ['get', 'fill'], 'fill-opacity': rasterUrl ? 0.25 : 0.85 } },
    ]),
    ...own('villages', [
      { id: 'village-line', type: 'line', source: 'villages', minzoom: 9, paint: { 'line-color': '#9c8fb5', 'line-width': 0.8, 'line-dasharray': [3, 2] } },
    ]),
    ...own('townships', [
      { id: 'township-line', type: 'line', source: 'townships', paint: { 'line-color': '#7048e8', 'line-width': 1.6, 'line-dasharray': [4, 2, 1, 2] } },
    ]),
    ...own(
      'roads',
      [...roadClasses].reverse().flatMap((cls): LayerSpecification[] => [
        {
          id: `road-${cls}-casing`,
          type: 'line',
          source: 'roads',
          filter: byClass(cls),
          minzoom: ROAD_STYLE[cls]!.minZoom,
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, ROAD_STYLE[cls]!.width + 0.8, 14, ROAD_STYLE[cls]!.width * 3 + 2] },
        },
        {
          id: `road-${cls}`,
          type: 'line',
          source: 'roads',
          filter: byClass(cls),
          minzoom: ROAD_STYLE[cls]!.minZoom,
          layout: { 'line-join': 'round', 'line-cap': 'round' },
          paint: { 'line-color': ROAD_STYLE[cls]!.color, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, ROAD_STYLE[cls]!.width, 14, ROAD_STYLE[cls]!.width * 3] },
        },
      ]),
    ),
    ...own('county', [
      { id: 'county-line-halo', type: 'line', source: 'county', paint: { 'line-color': '#d0bfff', 'line-width': 7, 'line-opacity': 0.7 } },
      { id: 'county-line', type: 'line', source: 'county', paint: { 'line-color': '#5f3dc4', 'line-width': 2.5 } },
    ]),
    ...own('labels', [
      {
        id: 'road-label',
        type: 'symbol',
        source: 'roads',
        minzoom: 12,
        filter: ['in', ['get', 'roadClass'], ['literal', ['national', 'provincial', 'urban']]],
        layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': LABEL_FONT, 'text-size': 12 },
        paint: { 'text-color': '#495057', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
      // the basemap's own label tiles (天地图 cva_w): above our data, below our village and township names
      ...(rasterUrl && source.overlay ? [{ id: 'raster-labels', type: 'raster', source: 'raster-labels' } as LayerSpecification] : []),
      {
        id: 'village-label',
        type: 'symbol',
        source: 'village-labels',
        minzoom: 10.5,
        layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONT, 'text-size': 12 },
        paint: { 'text-color': '#5c5470', 'text-halo-color': '#ffffff', 'text-halo-width': 1.5 },
      },
      {
        id: 'township-label',
        type: 'symbol',
        source: 'township-labels',
        layout: { 'text-field': ['get', 'name'], 'text-font': LABEL_FONT, 'text-size': ['interpolate', ['linear'], ['zoom'], 8, 13, 12, 18], 'text-allow-overlap': false },
        paint: { 'text-color': '#3b2f80', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
      },
    ]),
  ];

  return {
    version: 8,
    name: '县域底图',
    sources: {
      ...(rasterUrl ? { 'raster-basemap': rasterSource(source, origin) } : {}),
      ...(rasterUrl && source.overlay ? { 'raster-labels': rasterSource(source, origin, true) } : {}),
      county: { type: 'geojson', data: data.county },
      townships: { type: 'geojson', data: townships },
      villages: { type: 'geojson', data: data.villages },
      roads: { type: 'geojson', data: data.roads },
      'township-labels': { type: 'geojson', data: labelPoints(input.townships, source.crs) },
      'village-labels': { type: 'geojson', data: labelPoints(input.villages, source.crs) },
    },
    layers,
  };
}

/**
 * The wall's dark variant of a style built above (/screen, legible across a room): the same
 * layers with dark land, muted boundaries, dim roads and light labels with dark halos.
 */
export function darkStyle(style: StyleSpecification): StyleSpecification {
  const paint: Record<string, Record<string, unknown>> = {
    background: { 'background-color': '#050b18' },
    'county-fill': { 'fill-color': '#0d1a30' },
    'township-fill': { 'fill-opacity': 0.08 },
    'village-line': { 'line-color': '#2c3e5c' },
    'township-line': { 'line-color': '#4c6ef5' },
    'county-line-halo': { 'line-color': '#1c3d8f', 'line-opacity': 0.6 },
    'county-line': { 'line-color': '#74c0fc' },
  };
  return {
    ...style,
    layers: style.layers.map((l) => {
      const p = paint[l.id];
      if (p) return { ...l, paint: { ...(l as { paint?: object }).paint, ...p } } as LayerSpecification;
      if (l.type === 'line' && l.id.startsWith('road-')) {
        const casing = l.id.endsWith('-casing');
        return { ...l, paint: { ...l.paint, 'line-color': casing ? '#0a1426' : '#36507a' } } as LayerSpecification;
      }
      if (l.type === 'symbol') return { ...l, paint: { ...l.paint, 'text-color': '#dbe4ff', 'text-halo-color': '#050b18', 'text-halo-width': 2 } } as LayerSpecification;
      return l;
    }),
  };
}
