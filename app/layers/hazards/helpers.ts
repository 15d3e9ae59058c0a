// Pure helpers the risk layers share (no React, no network): dictionary look-ups, the zoom
// band a clustered layer rebuilds on, cluster summaries for tooltips.
import type { ClusterBubble, ClusterIndex } from '../cluster';
import type { PickingInfo } from '@deck.gl/core';
import type { LayerActions, ViewBox } from '../types';
import HAZARD_TYPES from '@/geodata/dictionaries/hazard-types.json';
import PLACE_TYPES from '@/geodata/dictionaries/place-types.json';

const HAZARD_KIND = new Map(HAZARD_TYPES.map((t) => [t.code, t.kind]));
/** 'geological' | 'fire' for the dictionary's codes, null for a code it does not know. */
export function hazardKindOf(code: string): string | null {
  return HAZARD_KIND.get(code) ?? null;
}

const PLACE_GROUP = new Map(PLACE_TYPES.map((t) => [t.code, t.group]));
/** The family (place_group) of a place type code, or null for a code the dictionary does not know. */
export function placeGroupOf(code: string): string | null {
  return PLACE_GROUP.get(code) ?? null;
}

/**
 * The zoom a clustered layer is built for: whole zooms up to the first zoom where nothing
 * clusters (clustersOf reads whole zooms), the same value above it so zooming in further
 * rebuilds nothing.
 */
export function clusterZoom(view: ViewBox | null, clusterMaxZoom: number, fallback = 9): number {
  return Math.min(clusterMaxZoom + 1, Math.floor(view?.zoom ?? fallback));
}

/** The marker size band of a zoom: 0 the county view (below 12), 1 the town view (12–14), 2 the street view (15 up). */
export function sizeBand(view: ViewBox | null, fallback = 9): 0 | 1 | 2 {
  const z = view?.zoom ?? fallback;
  return z < 12 ? 0 : z < 15 ? 1 : 2;
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

/**
 * A click on a module's cluster bubble: fly to where it breaks up (as cluster.ts's
 * expandCluster does, from the zoom the bubble carries, because a module's onClick is not
 * handed its data). False for anything else.
 */
export function expandBubble(info: PickingInfo, act: LayerActions): boolean {
  const b = info.object as SummarisedBubble | undefined;
  if (!info.layer?.id.endsWith(':clusters') || b?.kind !== 'cluster' || typeof b.expansionZoom !== 'number') return false;
  act.flyTo({ lon: b.lon, lat: b.lat, zoom: Math.min(18, b.expansionZoom + 0.5) });
  return true;
}

export function plural(n: number | null | undefined, unit: string): string {
  return n === null || n === undefined ? '—' : `${n.toLocaleString('zh-CN')} ${unit}`;
}
