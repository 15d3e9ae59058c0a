// Pure helpers of the incident layers: the binary point payload (base64 → typed arrays), the
// playback frames (which days or hour a frame queries, its label, the next frame) and the
// count classes of the heat. No React, no deck.gl: unit-tested in tests/unit/incident-layers.test.ts.
import type { MapFilters, Rgb, ViewBox } from '../types';
import incidentCategories from '../../../geodata/dictionaries/incident-categories.json';
import { LADDER_BASE_M, MERCATOR_M_PER_PX_Z0, rungSize } from '../../../server/services/map/lattice';

// ---- binary payload -------------------------------------------------------------------------

/** The bytes of a base64 text (atob exists in browsers and in Node ≥ 16). */
export function bytesFromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Little-endian float32 values of a base64 text (the server writes them from a Float32Array on x86/ARM, both little-endian). */
export function float32FromBase64(b64: string): Float32Array {
  const bytes = bytesFromBase64(b64);
  if (bytes.length % 4 !== 0) throw new Error(`float32 payload of ${bytes.length} bytes is not a multiple of 4`);
  // read through a DataView so a big-endian client would still decode the server's little-endian bytes
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Per-point RGBA colours (4 bytes a point) from per-point category indexes into `palette`; an index outside it gets `fallback`. */
export function colorsOf(categories: Uint8Array, palette: readonly Rgb[], fallback: Rgb, alpha = 255): Uint8Array {
  const out = new Uint8Array(categories.length * 4);
  for (let i = 0; i < categories.length; i++) {
    const c = palette[categories[i]!] ?? fallback;
    out[i * 4] = c[0];
    out[i * 4 + 1] = c[1];
    out[i * 4 + 2] = c[2];
    out[i * 4 + 3] = alpha;
  }
  return out;
}

// ---- categories -----------------------------------------------------------------------------

interface Category { code: string; name: string; parent: string | null }
const CATEGORIES = incidentCategories as Category[];

/** The top-level categories in the dictionary's order (刑事案件, 治安案件, 矛盾纠纷, 火灾, 交通事故, 信访). */
export const TOP_CATEGORIES: readonly Category[] = CATEGORIES.filter((c) => c.parent === null);

/** The name of any category code (sub-categories too); the code itself when unknown. */
export function categoryName(code: string): string {
  return CATEGORIES.find((c) => c.code === code)?.name ?? code;
}

/** The top-level code of a category code (`criminal.theft` → `criminal`). */
export function topCategoryOf(code: string): string {
  let c = CATEGORIES.find((x) => x.code === code);
  while (c?.parent) c = CATEGORIES.find((x) => x.code === c!.parent);
  return c?.code ?? code.split('.')[0]!;
}

// ---- playback frames ------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`); // calendar arithmetic only

/** The calendar day `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(dayMs(day) + n * DAY_MS).toISOString().slice(0, 10);
}

/** How many days the inclusive window from..to holds (at least 1). */
export function windowDays(from: string, to: string): number {
  return Math.max(1, Math.round((dayMs(to) - dayMs(from)) / DAY_MS) + 1);
}

/** How many frames a playback mode has over a window: its days, or the 24 hours of the day. */
export function frameCount(mode: 'day' | 'hour', from: string, to: string): number {
  return mode === 'hour' ? 24 : windowDays(from, to);
}

/** A frame index brought inside its mode's range (a link may carry one past the window). */
export function clampFrame(mode: 'day' | 'hour', index: number, from: string, to: string): number {
  const n = frameCount(mode, from, to);
  return Math.min(n - 1, Math.max(0, Math.floor(index)));
}

export interface FrameWindow { from: string; to: string; hour?: number }

/** What a frame queries: one day of the window (from = to = that day), the whole window at one hour, or (no playback) the whole window. */
export function frameWindow(f: Pick<MapFilters, 'from' | 'to' | 'play'>): FrameWindow {
  const p = f.play;
  if (!p) return { from: f.from, to: f.to };
  const i = clampFrame(p.mode, p.index, f.from, f.to);
  if (p.mode === 'hour') return { from: f.from, to: f.to, hour: i };
  const day = addDays(f.from, i);
  return { from: day, to: day };
}

/** The frame after this one, wrapping to the first at the end. */
export function nextFrame(p: NonNullable<MapFilters['play']>, from: string, to: string): NonNullable<MapFilters['play']> {
  const n = frameCount(p.mode, from, to);
  return { mode: p.mode, index: (clampFrame(p.mode, p.index, from, to) + 1) % n };
}

/** The input of map.incidentBins / map.incidentPoints for a view and the filters' frame (absent keys stay out of the query key). */
export function viewQuery(view: ViewBox, f: Pick<MapFilters, 'from' | 'to' | 'play' | 'categories'>): { bbox: [number, number, number, number]; zoom: number; from: string; to: string; categories?: string[]; hour?: number } {
  const w = frameWindow(f);
  return {
    bbox: view.bbox,
    zoom: view.zoom,
    from: w.from,
    to: w.to,
    ...(f.categories.length ? { categories: f.categories } : {}),
    ...(w.hour !== undefined ? { hour: w.hour } : {}),
  };
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** The label of a frame: "2026-03-01(周日)" for a day, "20 时" for an hour, "全部时段" without playback. */
export function frameLabel(f: Pick<MapFilters, 'from' | 'to' | 'play'>): string {
  const p = f.play;
  if (!p) return '全部时段';
  const w = frameWindow(f);
  if (p.mode === 'hour') return `${w.hour} 时`;
  return `${w.from}(周${WEEKDAYS[new Date(dayMs(w.from)).getUTCDay()]})`;
}

// ---- count classes --------------------------------------------------------------------------

/** Yellow → red (ColorBrewer YlOrRd, 5 classes): light = few, dark = many. Ordered by lightness, so it reads without hue vision. */
export const HEAT_RAMP: readonly Rgb[] = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]];

/**
 * Lower bounds of classes 2..k for whole-number counts on a log scale: counts are skewed
 * (most bins hold 1–2 incidents, a few hold dozens), so equal steps of log(count) spread the
 * colours where the differences are. Bounds are whole numbers, strictly increasing, above the
 * smallest count and at most the largest, so every class but the first starts at a bound and
 * no class is empty of possible values. With few distinct counts each count gets its class.
 */
export function countBreaks(counts: ArrayLike<number>, k = HEAT_RAMP.length): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0) { lo = Math.min(lo, c); hi = Math.max(hi, c); }
  }
  if (!Number.isFinite(lo) || hi <= lo) return [];
  if (hi - lo + 1 <= k) {
    const out: number[] = [];
    for (let v = lo + 1; v <= hi; v++) out.push(v);
    return out;
  }
  const out: number[] = [];
  const a = Math.log(lo);
  const b = Math.log(hi + 1);
  for (let i = 1; i < k; i++) {
    const v = Math.round(Math.exp(a + ((b - a) * i) / k));
    const prev = out.length ? out[out.length - 1]! : lo;
    const next = Math.max(v, prev + 1);
    if (next <= hi) out.push(next);
  }
  return out;
}

/** The class of a count: 0 below the first bound, breaks.length at or above the last. */
export function countClass(c: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && c >= breaks[k]!) k++;
  return k;
}

/** The legend text of each class of whole counts: "1–2 起", "3 起", "≥ 40 起". */
export function classLabels(breaks: readonly number[], min: number, max: number): string[] {
  const n = (v: number) => v.toLocaleString('zh-CN');
  const bounds = [min, ...breaks];
  return bounds.map((lo, i) => {
    const hi = i < breaks.length ? breaks[i]! - 1 : max;
    return lo === hi ? `${n(lo)} 起` : `${n(lo)}–${n(hi)} 起`;
  });
}

// ---- hexagon size ---------------------------------------------------------------------------

/**
 * The lattice rung of a bins answer, from its `sizeM` (ground metres at the snapped view's
 * centre latitude) and any latitude inside the view: Mercator size ≈ sizeM / cos φ, then the
 * nearest rung of the ladder (rungs differ by √2, far more than cos φ changes over one view),
 * so the exact Mercator circumradius is recovered. Drawn in deck.gl's common units (512 per
 * world at zoom 0, i.e. Mercator metres / MERCATOR_M_PER_PX_Z0), each hexagon then matches the
 * server's bin exactly at every latitude of the view: neighbours share edges, no gaps or overlaps.
 */
export function hexRadius(sizeM: number, lat: number): { rung: number; mercatorS: number; radiusCommon: number } {
  const approx = sizeM / Math.cos((lat * Math.PI) / 180);
  const rung = Math.round(-2 * Math.log2(approx / LADDER_BASE_M));
  const mercatorS = rungSize(rung);
  return { rung, mercatorS, radiusCommon: mercatorS / MERCATOR_M_PER_PX_Z0 };
}

/** A ground length for a note: "400 米", "1.2 千米". */
export function metresText(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(m >= 10_000 ? 0 : 1)} 千米` : `${Math.round(m).toLocaleString('zh-CN')} 米`;
}

// ---- incident points ------------------------------------------------------------------------

/** Top-level category colours (Okabe–Ito, distinguishable with the common colour-vision deficiencies). */
export const CATEGORY_COLORS: Readonly<Record<string, Rgb>> = {
  criminal: [213, 94, 0], // 刑事案件: vermilion
  public_order: [0, 114, 178], // 治安案件: blue
  dispute: [0, 158, 115], // 矛盾纠纷: bluish green
  fire: [230, 159, 0], // 火灾: orange
  traffic: [204, 121, 167], // 交通事故: reddish purple
  petition: [86, 180, 233], // 信访: sky blue
};
/** A category outside the dictionary (an import with a new code). */
export const OTHER_COLOR: Rgb = [102, 102, 102];
/** Point fill opacity. */
export const POINT_ALPHA = 235;

/** map.incidentPoints' answer (server/services/map/incidents.ts). */
export interface PointsAnswer { count: number; capped: boolean; origin: [number, number]; offsets: string; categoryCodes: string[]; categories: string; ids: number[]; occurredAt: number[] }

/** deck.gl binary data: the typed arrays as attributes, and the way back to the decoded answer. */
export interface PointsBinary {
  length: number;
  attributes: { getPosition: { value: Float32Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4 } };
  src: PointsData;
}

export interface PointsData {
  /** Every incident matching in the view; ids.length of them are sent. */
  count: number;
  capped: boolean;
  origin: [number, number];
  /** [dlon, dlat, …] from origin, degrees. */
  offsets: Float32Array;
  /** Per point: index into codes. */
  cats: Uint8Array;
  codes: string[];
  ids: number[];
  /** Epoch seconds. */
  occurredAt: number[];
  /** Points sent per top-level category code. */
  tally: Map<string, number>;
  binary: PointsBinary;
  /** The playback frame of the answer. */
  label: string;
}

/** Decodes an answer once: typed arrays from base64, a colour per point by its top-level category, counts per category. */
export function decodePoints(a: PointsAnswer, label: string): PointsData {
  const offsets = float32FromBase64(a.offsets);
  const cats = bytesFromBase64(a.categories);
  if (offsets.length !== a.ids.length * 2 || cats.length !== a.ids.length || a.occurredAt.length !== a.ids.length) {
    throw new Error(`incident points: ${a.ids.length} ids, ${offsets.length / 2} positions, ${cats.length} categories, ${a.occurredAt.length} times`);
  }
  const tops = a.categoryCodes.map(topCategoryOf);
  const palette = tops.map((c) => CATEGORY_COLORS[c] ?? OTHER_COLOR);
  const tally = new Map<string, number>();
  for (let i = 0; i < cats.length; i++) {
    const top = tops[cats[i]!] ?? '';
    tally.set(top, (tally.get(top) ?? 0) + 1);
  }
  const d: PointsData = {
    count: a.count, capped: a.capped, origin: a.origin, offsets, cats, codes: a.categoryCodes, ids: a.ids, occurredAt: a.occurredAt, tally, label,
    binary: { length: a.ids.length, attributes: { getPosition: { value: offsets, size: 2 }, getFillColor: { value: colorsOf(cats, palette, OTHER_COLOR, POINT_ALPHA), size: 4 } }, src: undefined as unknown as PointsData },
  };
  d.binary.src = d;
  return d;
}

/** Point i of a decoded answer in lon/lat (origin + offset). */
export function pointPosition(d: Pick<PointsData, 'origin' | 'offsets'>, i: number): [number, number] {
  return [d.origin[0] + d.offsets[2 * i]!, d.origin[1] + d.offsets[2 * i + 1]!];
}
