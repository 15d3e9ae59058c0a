// The hotspot forecasting methods. Each scores every fishnet cell for a coming window
// [origin, origin + horizon) from the incidents of [start, origin) only: it is handed
// nothing later (a Forecast holds a slice of the history that ends at the origin).
// Methods with parameters choose them by rolling-origin validation inside that same
// history (folds below), so no method ever reads the window it forecasts.
//   counts          incidents per cell
//   kde             quartic kernel density, bandwidth by the spatial Silverman rule
//   gistar          Gi* z of the counts (binary, distance band 2 × cell, self included)
//   recency-kde     quartic KDE, each incident weighted exp(−age / 90 days)
//   recency-counts  incidents per cell weighted exp(−age / 365 days)
//   kde-cv          quartic KDE whose bandwidth and time decay are chosen by validation
//   sepp            self-exciting point process (sepp.ts): background + near-repeats
//   ensemble        a weighted sum of long-run counts, recent counts, kernel-smoothed
//                   counts and the SEPP forecast, each as a share of its total; the weights
//                   (steps of 0.1) and the smoothing bandwidth chosen by validation
import { countCells, pai, slice, type Fishnet, type Incidents } from './grid';
import { giStarZ, quarticDensity, silvermanBandwidth } from './surfaces';
import { fitSepp, seppForecast, type SeppFit } from './sepp';

export const RECENCY_KDE_DAYS = 90;
export const RECENCY_COUNT_DAYS = 365;
/** The share of the area the validation ranks methods by, as the back-test's headline PAI. */
export const VALIDATION_SHARE = 5;
const KDE_BANDWIDTH_CELLS = [1, 1.5, 2, 3, 4, 6];
const KDE_DECAY_DAYS = [Infinity, 730, 365, 180, 90];
const SMOOTH_CELLS = [1.5, 3];

export interface Forecast {
  grid: Fishnet;
  /** the incidents of [start, origin) */
  history: Incidents;
  start: number;
  origin: number;
  horizon: number;
  /** SEPP fits shared between methods and folds, by start:origin */
  cache: Map<string, SeppFit>;
}

export interface Fold { start: number; origin: number; end: number }

export interface Scored {
  score: Float64Array;
  /** what the method chose, for the report (e.g. the bandwidth) */
  params?: Record<string, number | string>;
}

export type MethodName = 'counts' | 'kde' | 'gistar' | 'recency-kde' | 'recency-counts' | 'kde-cv' | 'sepp' | 'ensemble';

export const METHOD_NAMES: MethodName[] = ['counts', 'kde', 'gistar', 'recency-kde', 'recency-counts', 'kde-cv', 'sepp', 'ensemble'];

/** A forecast from `all` incidents (sorted) for [origin, origin + horizon): the history is cut at the origin here. */
export function forecastAt(grid: Fishnet, all: Incidents, start: number, origin: number, horizon: number, cache = new Map<string, SeppFit>()): Forecast {
  return { grid, history: slice(all, start, origin), start, origin, horizon, cache };
}

/**
 * Rolling-origin folds inside [start, origin): each fold forecasts `h` days from an
 * earlier origin, h = min(horizon, span / 3), origins origin − h, origin − 2h, …
 * (at most `max`), each keeping at least h days of history before it.
 */
export function foldsOf(start: number, origin: number, horizon: number, max = 3): Fold[] {
  const h = Math.min(horizon, (origin - start) / 3);
  const out: Fold[] = [];
  if (!(h >= 1)) return out;
  for (let k = 1; k <= max; k++) {
    const o = origin - k * h;
    if (o - start < h - 1e-9) break;
    out.push({ start, origin: o, end: o + h });
  }
  return out;
}

/** A fold's forecast and its actual counts: the fold's window lies inside the parent's history. */
function foldData(f: Forecast, fold: Fold): { sub: Forecast; actual: Float64Array } {
  return {
    sub: forecastAt(f.grid, f.history, fold.start, fold.origin, fold.end - fold.origin, f.cache),
    actual: countCells(f.grid, slice(f.history, fold.origin, fold.end)),
  };
}

/** The mean PAI at VALIDATION_SHARE over the folds that have incidents, for scores made per fold. */
export function validate(f: Forecast, score: (sub: Forecast) => Float64Array, folds = foldsOf(f.start, f.origin, f.horizon)): number | null {
  let sum = 0;
  let used = 0;
  for (const fold of folds) {
    const { sub, actual } = foldData(f, fold);
    if (!actual.some((v) => v > 0) || sub.history.t.length === 0) continue;
    sum += pai(score(sub), actual, VALIDATION_SHARE).pai;
    used++;
  }
  return used ? sum / used : null;
}

const decayWeight = (origin: number, days: number) => (Number.isFinite(days) ? (t: number) => Math.exp(-(origin - t) / days) : undefined);

function kdeScore(f: Forecast, h: number, decayDays = Infinity): Float64Array {
  return quarticDensity(f.grid, f.history, h, decayWeight(f.origin, decayDays));
}

function sepp(f: Forecast): SeppFit {
  const key = `${f.start}:${f.origin}`;
  let fit = f.cache.get(key);
  if (!fit) {
    fit = fitSepp(f.grid, f.history, f.start, f.origin);
    f.cache.set(key, fit);
  }
  return fit;
}

function shares(v: Float64Array): Float64Array {
  let s = 0;
  for (const x of v) s += x;
  if (!(s > 0)) return v;
  return v.map((x) => x / s);
}

/** The ensemble's features for a forecast, each as a share of its total. */
function features(f: Forecast, smoothCells: number): Float64Array[] {
  const long = countCells(f.grid, f.history);
  const recent = countCells(f.grid, slice(f.history, f.origin - f.horizon, f.origin));
  const smooth = kdeScore(f, smoothCells * f.grid.cellM);
  const self = seppForecast(f.grid, sepp(f), f.history, f.origin, f.origin + f.horizon);
  return [long, recent, smooth, self].map(shares);
}

export const FEATURE_NAMES = ['long', 'recent', 'smooth', 'sepp'] as const;

function combine(fs: Float64Array[], w: number[]): Float64Array {
  const out = new Float64Array(fs[0]!.length);
  fs.forEach((v, k) => { if (w[k]) for (let c = 0; c < out.length; c++) out[c]! += w[k]! * v[c]!; });
  return out;
}

/** Every weight vector on the simplex in steps of 1/steps. */
function simplex(dim: number, steps: number): number[][] {
  if (dim === 1) return [[1]];
  const out: number[][] = [];
  for (let a = 0; a <= steps; a++) for (const rest of simplex(dim - 1, steps - a)) out.push([a / steps, ...rest.map((r) => (r * (steps - a)) / steps)]);
  return out;
}
const WEIGHTS = simplex(4, 10);

export function runMethod(name: MethodName, f: Forecast): Scored {
  const g = f.grid;
  switch (name) {
    case 'counts':
      return { score: countCells(g, f.history) };
    case 'recency-counts':
      return { score: countCells(g, f.history, decayWeight(f.origin, RECENCY_COUNT_DAYS)), params: { decayDays: RECENCY_COUNT_DAYS } };
    case 'kde': {
      const h = silvermanBandwidth(f.history, g.cellM);
      return { score: kdeScore(f, h), params: { bandwidthM: Math.round(h) } };
    }
    case 'recency-kde': {
      const h = silvermanBandwidth(f.history, g.cellM);
      return { score: kdeScore(f, h, RECENCY_KDE_DAYS), params: { bandwidthM: Math.round(h), decayDays: RECENCY_KDE_DAYS } };
    }
    case 'gistar': {
      const z = giStarZ(g, countCells(g, f.history), 2 * g.cellM);
      return { score: z.map((v) => (Number.isNaN(v) ? 0 : v)), params: { distanceM: 2 * g.cellM } };
    }
    case 'sepp': {
      const fit = sepp(f);
      return {
        score: seppForecast(g, fit, f.history, f.origin, f.origin + f.horizon),
        params: { theta: round(fit.theta), meanDelayDays: round(1 / fit.omega), sigmaM: Math.round(fit.sigma), triggeredShare: round(fit.triggeredShare), iterations: fit.iterations, pairs: fit.pairs },
      };
    }
    case 'kde-cv': {
      const folds = foldsOf(f.start, f.origin, f.horizon);
      const silverman = silvermanBandwidth(f.history, g.cellM);
      const bandwidths = [...new Set([...KDE_BANDWIDTH_CELLS.map((c) => c * g.cellM), Math.round(silverman)])].sort((a, b) => a - b);
      let best = { h: silverman, tau: Infinity, v: -Infinity };
      for (const h of bandwidths) for (const tau of KDE_DECAY_DAYS) {
        const v = validate(f, (sub) => kdeScore(sub, h, tau), folds);
        if (v !== null && v > best.v) best = { h, tau, v };
      }
      return { score: kdeScore(f, best.h, best.tau), params: { bandwidthM: Math.round(best.h), decayDays: Number.isFinite(best.tau) ? best.tau : 'none', validationPai: round(best.v) } };
    }
    case 'ensemble': {
      const folds = foldsOf(f.start, f.origin, f.horizon);
      let best = { w: [1, 0, 0, 0], b: SMOOTH_CELLS[0]!, v: -Infinity };
      for (const b of SMOOTH_CELLS) {
        const per = folds.map((fold) => foldData(f, fold)).filter((d) => d.actual.some((v) => v > 0) && d.sub.history.t.length > 0).map((d) => ({ fs: features(d.sub, b), actual: d.actual }));
        if (!per.length) continue;
        for (const w of WEIGHTS) {
          const v = per.reduce((a, d) => a + pai(combine(d.fs, w), d.actual, VALIDATION_SHARE).pai, 0) / per.length;
          if (v > best.v + 1e-12) best = { w, b, v };
        }
      }
      const params: Record<string, number | string> = { smoothM: Math.round(best.b * g.cellM), validationPai: round(best.v) };
      FEATURE_NAMES.forEach((n, k) => { params[`w_${n}`] = round(best.w[k]!); });
      return { score: combine(features(f, best.b), best.w), params };
    }
  }
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
