// Colours and symbols of the risk layers (hazard points, forest-fire zones, high-rises, key
// places), kept apart from the modules so tests and other layers read the same values.
// Risk levels follow the Chinese warning colours: 1 红 极高, 2 橙 高, 3 黄 中, 4 蓝 低.
import type { Rgb } from '../types';
import type { SymbolName } from '../symbols';

export type RiskLevel = 1 | 2 | 3 | 4;
export const RISK_LEVELS: readonly RiskLevel[] = [1, 2, 3, 4];
export const RISK_COLOR: Record<RiskLevel, Rgb> = { 1: [215, 25, 28], 2: [240, 110, 0], 3: [250, 200, 0], 4: [35, 110, 200] };
export const RISK_LABEL: Record<RiskLevel, string> = { 1: '极高', 2: '高', 3: '中', 4: '低' };
/** A hazard without a recorded level. */
export const RISK_UNKNOWN: Rgb = [134, 142, 150];
/** The ring around a hazard that is on alert (预警中). */
export const ALERT_COLOR: Rgb = [214, 0, 130];
/** Cluster bubbles of the hazard points. */
export const HAZARD_CLUSTER: Rgb = [150, 40, 30];

function isLevel(v: unknown): v is RiskLevel {
  return v === 1 || v === 2 || v === 3 || v === 4;
}

export function riskColor(level: number | null | undefined): Rgb {
  return isLevel(level) ? RISK_COLOR[level] : RISK_UNKNOWN;
}

export function riskLabel(level: number | null | undefined): string {
  return isLevel(level) ? `${RISK_LABEL[level]}(${['一', '二', '三', '四'][level - 1]}级)` : '未评定';
}

/** How a hazard point is drawn: geological ones as warning triangles, fire key units as a flame in a square. */
export function hazardSymbol(hazardType: string, kind: string | null | undefined): SymbolName {
  if (hazardType === 'fire_key_unit') return 'fire';
  if (hazardType === 'forest_fire_zone') return 'flame';
  if (kind === 'geological') return 'triangle';
  return 'diamond';
}

export const HAZARD_KINDS: { symbol: SymbolName; label: string }[] = [
  { symbol: 'triangle', label: '地质灾害隐患点' },
  { symbol: 'fire', label: '消防重点单位' },
  { symbol: 'flame', label: '森林火险点' },
  { symbol: 'diamond', label: '其他隐患' },
];

/** The colour of kind swatches in the legend (the colour on the map is the risk level). */
export const NEUTRAL: Rgb = [73, 80, 87];

// ---- high-rises -----------------------------------------------------------------------
export type FacilityStatus = 'normal' | 'defective' | 'unknown';
export const FACILITY_STATUSES: readonly FacilityStatus[] = ['normal', 'defective', 'unknown'];
export const FACILITY_COLOR: Record<FacilityStatus, Rgb> = { normal: [44, 123, 182], defective: [215, 48, 39], unknown: [150, 150, 150] };
export const FACILITY_LABEL: Record<FacilityStatus, string> = { normal: '消防设施正常', defective: '存在隐患', unknown: '未知' };

/** Cluster bubbles of the high-rises (county view). */
export const HIGH_RISE_CLUSTER: Rgb = [52, 58, 64];

export function facilityColor(s: string | null | undefined): Rgb {
  return FACILITY_COLOR[(s as FacilityStatus) in FACILITY_COLOR ? (s as FacilityStatus) : 'unknown'];
}

export function facilityLabel(s: string | null | undefined): string {
  return FACILITY_LABEL[(s as FacilityStatus) in FACILITY_LABEL ? (s as FacilityStatus) : 'unknown'];
}

/** Which form a high-rise takes at a zoom: a symbol (clustered) in the county view, its footprint from 15, raised from 16. */
export function highRiseForm(zoom: number): 'symbol' | 'footprint' | 'extruded' {
  return zoom >= 16 ? 'extruded' : zoom >= 15 ? 'footprint' : 'symbol';
}

// ---- key places -----------------------------------------------------------------------
export interface PlaceFamily { group: string; label: string; color: Rgb; symbol: SymbolName }

/** One colour and symbol per place family (place_types.place_group); Paul Tol's muted set plus two. */
export const PLACE_FAMILIES: readonly PlaceFamily[] = [
  { group: 'education', label: '教育', color: [51, 34, 136], symbol: 'square' },
  { group: 'medical', label: '医疗卫生', color: [204, 102, 119], symbol: 'plus' },
  { group: 'transport', label: '交通', color: [136, 204, 238], symbol: 'circle' },
  { group: 'commerce', label: '商贸', color: [221, 204, 119], symbol: 'diamond' },
  { group: 'entertainment', label: '娱乐', color: [170, 68, 153], symbol: 'diamond' },
  { group: 'lodging', label: '住宿', color: [68, 170, 153], symbol: 'square' },
  { group: 'hazardous', label: '危险品', color: [136, 34, 85], symbol: 'hexagon' },
  { group: 'water', label: '水利', color: [68, 119, 170], symbol: 'circle' },
  { group: 'finance', label: '金融', color: [153, 153, 51], symbol: 'diamond' },
  { group: 'government', label: '党政机关', color: [17, 119, 51], symbol: 'star' },
  { group: 'public_space', label: '公共场所', color: [238, 119, 51], symbol: 'circle' },
  { group: 'private', label: '私密场所', color: [120, 120, 120], symbol: 'pin' },
];
export const OTHER_FAMILY: PlaceFamily = { group: 'other', label: '其他', color: [187, 187, 187], symbol: 'pin' };
/** Cluster bubbles of the key places: a slate blue that no family uses. */
export const PLACE_CLUSTER: Rgb = [70, 90, 110];

const FAMILY_BY_GROUP = new Map(PLACE_FAMILIES.map((f) => [f.group, f]));

export function placeFamily(group: string | null | undefined): PlaceFamily {
  return (group && FAMILY_BY_GROUP.get(group)) || OTHER_FAMILY;
}
