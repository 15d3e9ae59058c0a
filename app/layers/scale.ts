// Colour classes shared by the layer modules: quantile breaks, the class of a value, rgb text.
import type { Rgb } from './types';

/** `k - 1` upper bounds splitting `values` into k classes of about equal size (duplicates removed). */
export function quantileBreaks(values: number[], k: number): number[] {
  if (values.length === 0) return [];
  const v = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (let i = 1; i < k; i++) {
    const q = v[Math.min(v.length - 1, Math.floor((i * v.length) / k))]!;
    // a break at the minimum would leave the first class empty
    if (q > v[0]! && (!out.length || q > out[out.length - 1]!)) out.push(q);
  }
  return out;
}

/** The class index of `v`: 0 below the first break, breaks.length at or above the last. */
export function classOf(v: number, breaks: number[]): number {
  let k = 0;
  while (k < breaks.length && v >= breaks[k]!) k++;
  return k;
}

export const rgb = (c: Rgb, a?: number) => (a === undefined ? `rgb(${c.join(',')})` : `rgba(${c.join(',')},${a})`);

/** A number for a legend: whole numbers as they are, small ones with one decimal. */
export function fmt(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('zh-CN');
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('zh-CN') : v.toFixed(1);
}

/** The legend's text of class k of `breaks` over values from `min`: [lo, hi) ranges, the last open-ended. */
export function classLabel(k: number, breaks: number[], min: number, unit: string): string {
  if (breaks.length === 0) return `${fmt(min)} ${unit}`;
  if (k === 0) return `${fmt(min)} – ${fmt(breaks[0]!)} ${unit}`;
  if (k < breaks.length) return `${fmt(breaks[k - 1]!)} – ${fmt(breaks[k]!)} ${unit}`;
  return `≥ ${fmt(breaks[k - 1]!)} ${unit}`;
}
