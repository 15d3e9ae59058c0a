// A self-exciting point process on the fishnet (after Mohler et al. 2011, JASA 106; and
// the grid ETAS of Mohler et al. 2015, JASA 110): the rate of incidents at (x, y, t) is a
// background that is constant in time within each cell, plus near-repeat triggering by
// every earlier incident,
//   λ(x, y, t) = μ_c / A  +  Σ_{t_j < t} θ · ω e^(−ω (t − t_j)) · N₂(x − x_j, y − y_j; σ)
// with A the cell's area, θ the expected number of incidents one incident triggers, 1/ω
// the mean delay in days and σ the spatial spread in metres. Fitted by expectation-
// maximisation on the pairs closer than MAX_LAG days and MAX_DIST metres (triggering
// beyond those is taken as zero). The forecast for [t0, t1) is each cell's expected count:
// its background over the window plus what the incidents before t0 are still expected to
// trigger inside it.
import type { Fishnet, Incidents } from './grid';

export interface SeppFit {
  /** background incidents per day, per cell */
  mu: Float64Array;
  theta: number;
  omega: number;
  sigma: number;
  iterations: number;
  /** share of the incidents the fit attributes to triggering */
  triggeredShare: number;
  pairs: number;
}

export const MAX_LAG_DAYS = 60;
export const MAX_DIST_M = 600;
const MAX_PAIRS = 30_000_000;
/** Spatial spread floor: geocoding to blocks or rounded coordinates puts repeats at one point, where σ would collapse to 0. */
export const MIN_SIGMA_M = 10;

interface Pairs { a: Int32Array; b: Int32Array; dt: Float32Array; d2: Float32Array; n: number }

/** The (earlier j, later i) pairs within the lag and distance, by a spatial hash of MAX_DIST buckets. */
function pairsOf(p: Incidents, maxLag: number, maxDist: number): Pairs {
  const n = p.t.length;
  const buckets = new Map<number, number[]>();
  const key = (bx: number, by: number) => bx * 1_000_003 + by;
  let cap = Math.min(MAX_PAIRS, Math.max(1024, n * 16));
  let out: Pairs = { a: new Int32Array(cap), b: new Int32Array(cap), dt: new Float32Array(cap), d2: new Float32Array(cap), n: 0 };
  const md2 = maxDist * maxDist;
  for (let i = 0; i < n; i++) {
    const bx = Math.floor(p.x[i]! / maxDist);
    const by = Math.floor(p.y[i]! / maxDist);
    for (let ox = -1; ox <= 1; ox++) for (let oy = -1; oy <= 1; oy++) {
      const list = buckets.get(key(bx + ox, by + oy));
      if (!list) continue;
      // each bucket's list is in time order: walk back from its end while within the lag
      for (let q = list.length - 1; q >= 0; q--) {
        const j = list[q]!;
        const dt = p.t[i]! - p.t[j]!;
        if (dt > maxLag) break;
        if (dt <= 0) continue;
        const dx = p.x[i]! - p.x[j]!;
        const dy = p.y[i]! - p.y[j]!;
        const d2 = dx * dx + dy * dy;
        if (d2 > md2) continue;
        if (out.n === cap) {
          if (cap >= MAX_PAIRS) throw new Error(`more than ${MAX_PAIRS} near-repeat pairs: the triggering window is too wide for these data`);
          cap = Math.min(MAX_PAIRS, cap * 2);
          const grown: Pairs = { a: new Int32Array(cap), b: new Int32Array(cap), dt: new Float32Array(cap), d2: new Float32Array(cap), n: out.n };
          grown.a.set(out.a); grown.b.set(out.b); grown.dt.set(out.dt); grown.d2.set(out.d2);
          out = grown;
        }
        out.a[out.n] = i;
        out.b[out.n] = j;
        out.dt[out.n] = dt;
        out.d2[out.n] = d2;
        out.n++;
      }
    }
    const k = key(bx, by);
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  }
  return out;
}

/**
 * Fits the process to the incidents of [start, end) (times in days), those outside the
 * study area's cells triggering but carrying no background. `iterations` bounds EM.
 */
export function fitSepp(g: Fishnet, p: Incidents, start: number, end: number, iterations = 30): SeppFit {
  const n = p.t.length;
  const span = Math.max(end - start, 1);
  const area = g.cellM * g.cellM;
  const pairs = pairsOf(p, MAX_LAG_DAYS, MAX_DIST_M);
  const mu = new Float64Array(g.n);
  for (let k = 0; k < n; k++) if (p.cell[k]! >= 0) mu[p.cell[k]!]! += 0.5 / span;
  let theta = 0.2;
  let omega = 1 / 7;
  let sigma = 100;
  const lambda = new Float64Array(n);
  const trig = new Float64Array(pairs.n);
  let it = 0;
  let triggered = 0;
  for (; it < iterations; it++) {
    // E step: each incident's rate, split into background and each earlier incident's share
    const s2 = 2 * sigma * sigma;
    const amplitude = (theta * omega) / (Math.PI * s2);
    for (let k = 0; k < n; k++) lambda[k] = p.cell[k]! >= 0 ? mu[p.cell[k]!]! / area : 0;
    for (let q = 0; q < pairs.n; q++) {
      const v = amplitude * Math.exp(-omega * pairs.dt[q]! - pairs.d2[q]! / s2);
      trig[q] = v;
      lambda[pairs.a[q]!]! += v;
    }
    // M step
    const background = new Float64Array(g.n);
    for (let k = 0; k < n; k++) {
      const c = p.cell[k]!;
      if (c >= 0 && lambda[k]! > 0) background[c]! += mu[c]! / area / lambda[k]!;
    }
    let sumP = 0, sumPdt = 0, sumPd2 = 0;
    for (let q = 0; q < pairs.n; q++) {
      const l = lambda[pairs.a[q]!]!;
      if (l <= 0) continue;
      const w = trig[q]! / l;
      sumP += w;
      sumPdt += w * pairs.dt[q]!;
      sumPd2 += w * pairs.d2[q]!;
    }
    // θ: triggered incidents over the triggering each incident had time to do before `end`
    // (the kernel is cut at MAX_LAG_DAYS and MAX_DIST_M, so each incident shows only that part of its offspring)
    let exposure = 0;
    for (let k = 0; k < n; k++) exposure += 1 - Math.exp(-omega * Math.min(MAX_LAG_DAYS, Math.max(end - p.t[k]!, 0)));
    exposure *= 1 - Math.exp(-(MAX_DIST_M * MAX_DIST_M) / s2);
    const nextTheta = exposure > 0 ? sumP / exposure : 0;
    const nextOmega = sumP > 1e-9 ? sumP / sumPdt : omega;
    const nextSigma = sumP > 1e-9 ? Math.max(MIN_SIGMA_M, Math.sqrt(sumPd2 / (2 * sumP))) : sigma;
    // converged when θ, the delay, σ and the total background each move by less than 0.1 %
    let before = 0;
    let after = 0;
    for (let c = 0; c < g.n; c++) {
      before += mu[c]!;
      mu[c] = background[c]! / span;
      after += mu[c]!;
    }
    const change = Math.max(Math.abs(nextTheta - theta) / Math.max(theta, 1e-3), Math.abs(nextOmega - omega) / omega, Math.abs(nextSigma - sigma) / sigma, Math.abs(after - before) / Math.max(before, 1e-12));
    theta = nextTheta;
    omega = Math.min(nextOmega, 10);
    sigma = Math.min(nextSigma, MAX_DIST_M);
    triggered = sumP;
    if (change < 1e-3) { it++; break; }
  }
  return { mu, theta, omega, sigma, iterations: it, triggeredShare: n ? triggered / n : 0, pairs: pairs.n };
}

/** Standard normal distribution function (Abramowitz–Stegun 7.1.26 through erf, |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected incidents per cell in [t0, t1) from the fit and the incidents before t0. */
export function seppForecast(g: Fishnet, fit: SeppFit, p: Incidents, t0: number, t1: number): Float64Array {
  const out = new Float64Array(g.n);
  for (let c = 0; c < g.n; c++) out[c] = fit.mu[c]! * (t1 - t0);
  if (fit.theta <= 0) return out;
  const s = g.cellM;
  const reach = 3 * fit.sigma;
  for (let k = 0; k < p.t.length; k++) {
    if (p.t[k]! >= t0) break;
    const mass = fit.theta * (Math.exp(-fit.omega * (t0 - p.t[k]!)) - Math.exp(-fit.omega * (t1 - p.t[k]!)));
    if (mass < 1e-9) continue;
    const x = p.x[k]!;
    const y = p.y[k]!;
    for (let i = Math.floor((x - reach) / s); i <= Math.floor((x + reach) / s); i++) {
      const fx = phi(((i + 1) * s - x) / fit.sigma) - phi((i * s - x) / fit.sigma);
      for (let j = Math.floor((y - reach) / s); j <= Math.floor((y + reach) / s); j++) {
        const a = i - g.imin;
        const b = j - g.jmin;
        if (a < 0 || b < 0 || a >= g.nx || b >= g.ny) continue;
        const c = g.lookup[a + b * g.nx]!;
        if (c < 0) continue;
        out[c]! += mass * fx * (phi(((j + 1) * s - y) / fit.sigma) - phi((j * s - y) / fit.sigma));
      }
    }
  }
  return out;
}
