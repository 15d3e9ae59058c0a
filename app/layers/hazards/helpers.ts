// Pure helpers the risk layers share (no React, no network): dictionary look-ups, the marker
// size band of a zoom, counts with their unit. The clustering helpers are in ../cluster.ts.
import type { ViewBox } from '../types';
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

/** The marker size band of a zoom: 0 the county view (below 12), 1 the town view (12–14), 2 the street view (15 up). */
export function sizeBand(view: ViewBox | null, fallback = 9): 0 | 1 | 2 {
  const z = view?.zoom ?? fallback;
  return z < 12 ? 0 : z < 15 ? 1 : 2;
}

export function plural(n: number | null | undefined, unit: string): string {
  return n === null || n === undefined ? '—' : `${n.toLocaleString('zh-CN')} ${unit}`;
}
