// Colours of the patrol page's layers and its printed report, in one place: dosage per
// hotspot by presence minutes (red: never visited, to green: much presence) and 见警率 per
// unit by its rate. Plain module: the layers, the page and the report read it.
export type Rgb = [number, number, number];

/** Presence minutes over the period: upper bounds of the classes (the last is open). */
export const DOSAGE_BREAKS = [0, 60, 240, 720] as const;
export const DOSAGE_COLORS: Rgb[] = [[201, 42, 42], [247, 103, 7], [250, 176, 5], [116, 184, 22], [43, 138, 62]];
export const DOSAGE_LABELS = ['未到访', '1 小时以内', '1–4 小时', '4–12 小时', '12 小时以上'];

export function dosageClass(minutes: number): number {
  if (minutes <= 0) return 0;
  const k = DOSAGE_BREAKS.findIndex((b, i) => i > 0 && minutes <= b);
  return k < 0 ? DOSAGE_BREAKS.length : k;
}

/** 见警率 classes: upper bounds (the last is open). */
export const VISIBILITY_BREAKS = [0.05, 0.15, 0.3, 0.5] as const;
export const VISIBILITY_COLORS: Rgb[] = [[224, 49, 49], [253, 126, 20], [252, 196, 25], [148, 216, 45], [47, 158, 68]];
export const VISIBILITY_LABELS = ['5% 以下', '5–15%', '15–30%', '30–50%', '50% 以上'];

export function visibilityClass(rate: number): number {
  const k = VISIBILITY_BREAKS.findIndex((b) => rate < b);
  return k < 0 ? VISIBILITY_BREAKS.length : k;
}

export const css = (c: Rgb, a = 1) => `rgba(${c.join(',')},${a})`;
export const pctText = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)}%`);
