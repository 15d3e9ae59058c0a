// Scores on the fishnet from incidents in memory: the quartic kernel density, the spatial
// Silverman bandwidth and Getis-Ord Gi*, the same definitions as the SQL of the hotspot
// analyses (sql/hotspots/kde.sql, bandwidth.sql, gistar.sql), so the back-test and the
// forecast methods can evaluate them many times without a round trip per surface.
import type { Fishnet, Incidents } from './grid';

/**
 * Quartic (biweight) kernel density at every cell centre, in incidents per km²:
 * Σ w · 3/(πh²) · (1 − d²/h²)² over incidents within h. `w(t)` weights each incident.
 * Incidents outside the study area still add to the cells within h of them.
 */
export function quarticDensity(g: Fishnet, p: Incidents, h: number, w?: (t: number) => number): Float64Array {
  const out = new Float64Array(g.n);
  const s = g.cellM;
  const h2 = h * h;
  const norm = (3 / (Math.PI * h2)) * 1e6;
  for (let k = 0; k < p.t.length; k++) {
    const x = p.x[k]!;
    const y = p.y[k]!;
    const wk = w ? w(p.t[k]!) : 1;
    if (wk === 0) continue;
    const i0 = Math.max(g.imin, Math.ceil((x - h) / s - 0.5));
    const i1 = Math.min(g.imin + g.nx - 1, Math.floor((x + h) / s - 0.5));
    const j0 = Math.max(g.jmin, Math.ceil((y - h) / s - 0.5));
    const j1 = Math.min(g.jmin + g.ny - 1, Math.floor((y + h) / s - 0.5));
    for (let j = j0; j <= j1; j++) {
      const dy = (j + 0.5) * s - y;
      const row = (j - g.jmin) * g.nx - g.imin;
      for (let i = i0; i <= i1; i++) {
        const c = g.lookup[row + i]!;
        if (c < 0) continue;
        const dx = (i + 0.5) * s - x;
        const d2 = dx * dx + dy * dy;
        if (d2 < h2) {
          const u = 1 - d2 / h2;
          out[c]! += wk * norm * u * u;
        }
      }
    }
  }
  return out;
}

/**
 * The spatial variant of Silverman's rule (ArcGIS's default):
 * h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−1/5), never below `minimum`. SD: standard
 * distance to the mean centre; Dm: the median distance to it (interpolated, as
 * percentile_cont). NaN without incidents.
 */
export function silvermanBandwidth(p: Incidents, minimum: number): number {
  const n = p.t.length;
  if (n === 0) return NaN;
  let mx = 0, my = 0;
  for (let k = 0; k < n; k++) { mx += p.x[k]!; my += p.y[k]!; }
  mx /= n; my /= n;
  const d = new Float64Array(n);
  let ss = 0;
  for (let k = 0; k < n; k++) {
    d[k] = Math.hypot(p.x[k]! - mx, p.y[k]! - my);
    ss += d[k]! * d[k]!;
  }
  d.sort();
  const pos = (n - 1) / 2;
  const median = d[Math.floor(pos)]! + (d[Math.ceil(pos)]! - d[Math.floor(pos)]!) * (pos - Math.floor(pos));
  return Math.max(minimum, 0.9 * Math.min(Math.sqrt(ss / n), Math.sqrt(1 / Math.LN2) * median) * Math.pow(n, -0.2));
}

/** The offsets (di, dj) of a distance band of `metres` between the centres of cells of size s, the cell itself included. */
export function stencil(s: number, metres: number): Array<[number, number]> {
  const r = Math.floor(metres / s);
  const out: Array<[number, number]> = [];
  for (let di = -r; di <= r; di++) for (let dj = -r; dj <= r; dj++) if ((di * di + dj * dj) * s * s <= metres * metres * (1 + 1e-12)) out.push([di, dj]);
  return out;
}

/** Sum of `v` over each cell's stencil neighbours that are in the study area, and how many there are. */
export function neighbourSums(g: Fishnet, v: Float64Array, offsets: Array<[number, number]>): { sum: Float64Array; count: Float64Array } {
  const sum = new Float64Array(g.n);
  const count = new Float64Array(g.n);
  for (let c = 0; c < g.n; c++) {
    const i = g.i[c]! - g.imin;
    const j = g.j[c]! - g.jmin;
    for (const [di, dj] of offsets) {
      const a = i + di;
      const b = j + dj;
      if (a < 0 || b < 0 || a >= g.nx || b >= g.ny) continue;
      const o = g.lookup[a + b * g.nx]!;
      if (o < 0) continue;
      sum[c]! += v[o]!;
      count[c]!++;
    }
  }
  return { sum, count };
}

/** Getis-Ord Gi* z of the values with binary weights, a distance band between centres, the cell itself included (NaN where undefined). */
export function giStarZ(g: Fishnet, v: Float64Array, metres: number): Float64Array {
  const m = g.n;
  let mean = 0, sq = 0;
  for (let c = 0; c < m; c++) { mean += v[c]!; sq += v[c]! * v[c]!; }
  mean /= m;
  const sd = Math.sqrt(Math.max(sq / m - mean * mean, 0));
  const { sum, count } = neighbourSums(g, v, stencil(g.cellM, metres));
  const z = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    const w = count[c]!;
    const den = sd * Math.sqrt((m * w - w * w) / (m - 1));
    z[c] = den > 0 ? (sum[c]! - mean * w) / den : NaN;
  }
  return z;
}
