// Point clustering for layers with many markers (hazards, places, cameras): supercluster
// indexes the points once per data set; the clusters of a view are read for the view's
// snapped box and whole zoom, so panning within a tile and re-rendering reuse them. A click
// on a cluster flies to the zoom where it breaks apart.
import Supercluster from 'supercluster';
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { LayerActions, Rgb, ViewBox } from './types';

export interface ClusterPoint<P> { lon: number; lat: number; props: P }

export interface ClusterIndex<P> {
  index: Supercluster<P & { _i: number }, { count?: number }>;
  points: ClusterPoint<P>[];
}

/** Clusters form below `maxZoom`; above it every point stands alone. */
export function clusterIndex<P extends object>(points: ClusterPoint<P>[], opts: { radiusPx?: number; maxZoom?: number } = {}): ClusterIndex<P> {
  const index = new Supercluster<P & { _i: number }, { count?: number }>({ radius: opts.radiusPx ?? 56, maxZoom: opts.maxZoom ?? 13, minPoints: 3 });
  index.load(points.map((p, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { ...p.props, _i: i } })));
  return { index, points };
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

/** The click handler for a module's clusters: fly to where the cluster breaks apart. */
export function expandCluster<P extends object>(c: ClusterIndex<P> | undefined, info: PickingInfo, act: LayerActions): boolean {
  const o = info.object as ClusterBubble | undefined;
  if (!c || !info.layer?.id.endsWith(':clusters') || o?.kind !== 'cluster') return false;
  const zoom = Math.min(18, c.index.getClusterExpansionZoom(o.id) + 0.5);
  act.flyTo({ lon: o.lon, lat: o.lat, zoom });
  return true;
}
