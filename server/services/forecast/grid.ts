// The fishnet and the incidents as plain arrays, for forecasting in memory. Cells are
// ST_SquareGrid cells: cell (i, j) covers [i·s, (i+1)·s) × [j·s, (j+1)·s) in the metric
// SRID, its centre at ((i + ½)·s, (j + ½)·s). Cell k of the arrays is the back-test's cell
// id k + 1 (ids follow j, then i). Times are days since 1970-01-01 UTC.

export interface Fishnet {
  cellM: number;
  /** cell count */
  n: number;
  i: Int32Array;
  j: Int32Array;
  imin: number;
  jmin: number;
  nx: number;
  ny: number;
  /** (i − imin) + (j − jmin)·nx → cell index, or −1 outside the study area */
  lookup: Int32Array;
}

/** Incidents sorted by time; `cell` is the fishnet cell of each, −1 outside the study area. */
export interface Incidents {
  x: Float64Array;
  y: Float64Array;
  t: Float64Array;
  cell: Int32Array;
}

export const DAY_MS = 86_400_000;
export const toDays = (d: Date) => d.getTime() / DAY_MS;

export function fishnet(cellM: number, cells: ReadonlyArray<{ i: number; j: number }>): Fishnet {
  if (!cells.length) throw new Error('a fishnet needs cells');
  let imin = Infinity, jmin = Infinity, imax = -Infinity, jmax = -Infinity;
  for (const c of cells) {
    imin = Math.min(imin, c.i); imax = Math.max(imax, c.i);
    jmin = Math.min(jmin, c.j); jmax = Math.max(jmax, c.j);
  }
  const nx = imax - imin + 1;
  const ny = jmax - jmin + 1;
  const lookup = new Int32Array(nx * ny).fill(-1);
  const i = new Int32Array(cells.length);
  const j = new Int32Array(cells.length);
  cells.forEach((c, k) => {
    i[k] = c.i;
    j[k] = c.j;
    lookup[c.i - imin + (c.j - jmin) * nx] = k;
  });
  return { cellM, n: cells.length, i, j, imin, jmin, nx, ny, lookup };
}

/** The cell index of fishnet cell (i, j), −1 when it is not part of the study area. */
export function cellIndex(g: Fishnet, i: number, j: number): number {
  const a = i - g.imin;
  const b = j - g.jmin;
  if (a < 0 || b < 0 || a >= g.nx || b >= g.ny) return -1;
  return g.lookup[a + b * g.nx]!;
}

export function cellOf(g: Fishnet, x: number, y: number): number {
  return cellIndex(g, Math.floor(x / g.cellM), Math.floor(y / g.cellM));
}

/** Incidents from unsorted rows, sorted by time, each placed in its cell. */
export function incidents(g: Fishnet, rows: ReadonlyArray<{ x: number; y: number; t: number }>): Incidents {
  const order = rows.map((_, k) => k).sort((a, b) => rows[a]!.t - rows[b]!.t);
  const n = rows.length;
  const out: Incidents = { x: new Float64Array(n), y: new Float64Array(n), t: new Float64Array(n), cell: new Int32Array(n) };
  order.forEach((r, k) => {
    const p = rows[r]!;
    out.x[k] = p.x;
    out.y[k] = p.y;
    out.t[k] = p.t;
    out.cell[k] = cellOf(g, p.x, p.y);
  });
  return out;
}

/** The first index whose time is ≥ t (binary search on the sorted times). */
export function firstAtOrAfter(p: Incidents, t: number): number {
  let lo = 0;
  let hi = p.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (p.t[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The incidents with from ≤ t < to, as views of the same arrays (no copy). */
export function slice(p: Incidents, from: number, to: number): Incidents {
  const a = firstAtOrAfter(p, from);
  const b = Math.max(a, firstAtOrAfter(p, to));
  return { x: p.x.subarray(a, b), y: p.y.subarray(a, b), t: p.t.subarray(a, b), cell: p.cell.subarray(a, b) };
}

/** Incidents per cell, each weighted by w(t) (1 when omitted). */
export function countCells(g: Fishnet, p: Incidents, w?: (t: number) => number): Float64Array {
  const out = new Float64Array(g.n);
  for (let k = 0; k < p.t.length; k++) {
    const c = p.cell[k]!;
    if (c >= 0) out[c]! += w ? w(p.t[k]!) : 1;
  }
  return out;
}

/**
 * Hits among the top k cells by score, ties broken by cell index (lower first), as the
 * back-test ranks them. O(n) plus one typed-array sort, so validation can afford many calls.
 */
export function topHits(score: Float64Array, actual: Float64Array, k: number): number {
  const n = score.length;
  if (k >= n) return actual.reduce((a, v) => a + v, 0);
  const sorted = Float64Array.from(score).sort();
  const threshold = sorted[n - k]!;
  let hits = 0;
  let taken = 0;
  for (let c = 0; c < n; c++) if (score[c]! > threshold) { hits += actual[c]!; taken++; }
  for (let c = 0; c < n && taken < k; c++) if (score[c] === threshold) { hits += actual[c]!; taken++; }
  return hits;
}

/** PAI at `share` % of the area: (share of the actual incidents in the top cells) / (their share of the cells). */
export function pai(score: Float64Array, actual: Float64Array, share: number): { pai: number; hitRate: number } {
  const n = score.length;
  const total = actual.reduce((a, v) => a + v, 0);
  const k = Math.max(1, Math.round((share / 100) * n));
  if (total === 0) return { pai: 0, hitRate: 0 };
  const hitRate = topHits(score, actual, k) / total;
  return { pai: hitRate / (k / n), hitRate };
}
