// Point clustering for layers with many markers (hazards, places, high-rises, cameras):
// supercluster indexes the points once per data set; a module's build reads the clusters of
// its whole zoom over the whole world (clusteredPoints), so panning rebuilds nothing. Each
// bubble carries a one-line summary of what it holds (for the tooltip) and the zoom where it
// breaks apart, where a click on it flies to (expandBubble).
import Supercluster from 'supercluster';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { FlyTarget, LayerActions, Rgb, ViewBox } from './types';

export interface ClusterPoint<P> { lon: number; lat: number; props: P }

export interface ClusterIndex<P> {
  index: Supercluster<P & { _i: number }, { count?: number }>;
  points: ClusterPoint<P>[];
}

export interface ClusterOptions { radiusPx?: number; maxZoom?: number }

/** Clusters form below `maxZoom`; above it every point stands alone. */
export function clusterIndex<P extends object>(points: ClusterPoint<P>[], opts: ClusterOptions = {}): ClusterIndex<P> {
  const index = new Supercluster<P & { _i: number }, { count?: number }>({ radius: opts.radiusPx ?? 56, maxZoom: opts.maxZoom ?? 13, minPoints: 3 });
  index.load(points.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { ...p.props, _i: i } })));
  return { index, points };
}

/** The index of markers that carry their own position (each marker is its point's props). */
export function markerIndex<P extends { lon: number; lat: number }>(markers: P[], opts: ClusterOptions = {}): ClusterIndex<P> {
  return clusterIndex(markers.map((m) => ({ lon: m.lon, lat: m.lat, props: m })), opts);
}

/** Markers with ids, their cluster index and a look-up by id: a clustered module's data. */
export interface MarkerSet<P> {
  markers: P[];
  index: ClusterIndex<P>;
  byId: Map<number, P>;
}

export function markerSet<P extends { id: number; lon: number; lat: number }>(markers: P[], opts: ClusterOptions = {}): MarkerSet<P> {
  return { markers, index: markerIndex(markers, opts), byId: new Map(markers.map((m) => [m.id, m])) };
}

export interface ClusterBubble { kind: 'cluster'; id: number; lon: number; lat: number; count: number }
export interface ClusterSingle<P> { kind: 'point'; lon: number; lat: number; props: P }

/** The clusters and lone points of a view. */
export function clustersOf<P extends object>(c: ClusterIndex<P>, view: ViewBox | null): { bubbles: ClusterBubble[]; singles: ClusterSingle<P>[] } {
  const bbox = view?.bbox ?? [-180, -85, 180, 85];
  const zoom = Math.floor(view?.zoom ?? 8);
  const bubbles: ClusterBubble[] = [];
  const singles: ClusterSingle<P>[] = [];
  for (const f of c.index.getClusters(bbox as [number, number, number, number], zoom)) {
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const p = f.properties as { cluster?: boolean; cluster_id?: number; point_count?: number; _i?: number };
    if (p.cluster) bubbles.push({ kind: 'cluster', id: p.cluster_id!, lon, lat, count: p.point_count! });
    else singles.push({ kind: 'point', lon, lat, props: c.points[p._i!]!.props });
  }
  return { bubbles, singles };
}

/**
 * The zoom a clustered layer is built for: whole zooms up to the first zoom where nothing
 * clusters (clustersOf reads whole zooms), the same value above it so zooming in further
 * rebuilds nothing.
 */
export function clusterZoom(view: ViewBox | null, clusterMaxZoom: number, fallback = 9): number {
  return Math.min(clusterMaxZoom + 1, Math.floor(view?.zoom ?? fallback));
}

/** The whole world: clusters are read for every point, so panning never rebuilds them. */
export function everywhere(zoom: number): ViewBox {
  return { bbox: [-180, -85, 180, 85], zoom };
}

/** "a 3 · b 1": the counts of the labels that occur, most first, at most `top` of them. */
export function tally(labels: string[], top = 4): string {
  const n = new Map<string, number>();
  for (const l of labels) n.set(l, (n.get(l) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh-CN')).slice(0, top).map(([l, c]) => `${l} ${c}`).join(' · ');
}

/** A cluster bubble with a one-line summary of what it holds (for the tooltip) and the zoom where it breaks up. */
export interface SummarisedBubble extends ClusterBubble { summary: string; expansionZoom: number }

/** Summaries of the bubbles of a view (every leaf read once: a county holds hundreds of points). */
export function summarise<P extends object>(c: ClusterIndex<P>, bubbles: ClusterBubble[], labelOf: (p: P) => string): SummarisedBubble[] {
  return bubbles.map((b) => {
    const leaves = c.index.getLeaves(b.id, Infinity);
    return { ...b, summary: tally(leaves.map((l) => labelOf(c.points[(l.properties as { _i: number })._i]!.props))), expansionZoom: c.index.getClusterExpansionZoom(b.id) };
  });
}

/** Cluster bubbles (size by count) with their counts; ids `${id}:clusters` / `${id}:cluster-counts`. */
export function clusterLayers(id: string, bubbles: ClusterBubble[], color: Rgb): Layer[] {
  if (bubbles.length === 0) return [];
  return [
    new ScatterplotLayer<ClusterBubble>({
      id: `${id}:clusters`,
      data: bubbles,
      getPosition: (d) => [d.lon, d.lat],
      getRadius: (d) => 11 + Math.min(16, Math.sqrt(d.count) * 2.2),
      radiusUnits: 'pixels',
      getFillColor: [...color, 215],
      getLineColor: [255, 255, 255, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      pickable: true,
    }),
    new TextLayer<ClusterBubble>({
      id: `${id}:cluster-counts`,
      data: bubbles,
      getPosition: (d) => [d.lon, d.lat],
      getText: (d) => String(d.count),
      getSize: 13,
      getColor: [255, 255, 255, 255],
      fontWeight: 700,
      getTextAnchor: 'middle',
      getAlignmentBaseline: 'center',
      characterSet: '0123456789',
    }),
  ];
}

export interface ClusterStyle<P> {
  /** The bubbles' layer ids are `${id}:clusters` and `${id}:cluster-counts`. */
  id: string;
  color: Rgb;
  /** The label a point adds to its bubble's summary. */
  labelOf: (p: P) => string;
}

/**
 * A clustered point layer at a zoom (clusterZoom's): the points that stand alone, for the
 * module to draw as it likes, and the summarised bubbles, to draw above them.
 */
export function clusteredPoints<P extends object>(c: ClusterIndex<P>, zoom: number, style: ClusterStyle<P>): { singles: P[]; bubbles: Layer[] } {
  const { bubbles, singles } = clustersOf(c, everywhere(zoom));
  return { singles: singles.map((s) => s.props), bubbles: clusterLayers(style.id, summarise(c, bubbles, style.labelOf), style.color) };
}

/** A bubble's tooltip: "12 处重点场所\n<prefix>教育 5 · 医疗卫生 4\n点击放大查看". */
export function bubbleTooltip(bubble: unknown, what: string, summaryPrefix = ''): string {
  const b = bubble as SummarisedBubble;
  return `${b.count} ${what}\n${summaryPrefix}${b.summary}\n点击放大查看`;
}

/**
 * A click on a module's cluster bubble: fly to where it breaks up, from the zoom the bubble
 * carries (a module's onClick is not handed its data). False for anything else.
 */
export function expandBubble(info: PickingInfo, act: LayerActions): boolean {
  const b = info.object as SummarisedBubble | undefined;
  if (!info.layer?.id.endsWith(':clusters') || b?.kind !== 'cluster' || typeof b.expansionZoom !== 'number') return false;
  act.flyTo({ lon: b.lon, lat: b.lat, zoom: Math.min(18, b.expansionZoom + 0.5) });
  return true;
}

/**
 * The module members a clustered marker layer shares: a click on one of its bubbles expands
 * it; a selection restored from a link is found by id in the data's `byId` and flown to at
 * `locateZoom`.
 */
export function markerNavigation(locateZoom: number) {
  return {
    onClick: expandBubble,
    find: (d: { byId: Map<number, unknown> }, id: string | number) => d.byId.get(Number(id)),
    locate: (o: unknown): FlyTarget => ({ lon: (o as { lon: number }).lon, lat: (o as { lat: number }).lat, zoom: locateZoom }),
  };
}
