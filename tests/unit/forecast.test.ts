// The forecasting methods on synthetic point patterns with known answers: a pure Poisson
// background gives no triggering, a planted near-repeat process is recovered, the
// rolling-origin validation never reads the window it is asked to forecast, and the
// ranking helper follows the back-test's definition (ties by cell index).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { countCells, fishnet, incidents, pai, topHits, type Fishnet } from '../../server/services/forecast/grid';
import { fitSepp } from '../../server/services/forecast/sepp';
import { foldsOf, forecastAt, METHOD_NAMES, runMethod } from '../../server/services/forecast/methods';
import { chooseMethod } from '../../server/services/forecast/select';
import { giStarZ, quarticDensity, silvermanBandwidth } from '../../server/services/forecast/surfaces';

const CELL = 250;
function square(n: number): Fishnet {
  const cells: Array<{ i: number; j: number }> = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) cells.push({ i, j });
  return fishnet(CELL, cells);
}

/** A background of `perCellDay` incidents per cell and day, uniform inside the cells with rates varying by cell. */
function background(g: Fishnet, days: number, rate: (c: number) => number, rnd: () => number): Array<{ x: number; y: number; t: number }> {
  const out: Array<{ x: number; y: number; t: number }> = [];
  for (let c = 0; c < g.n; c++) {
    const expected = rate(c) * days;
    // Poisson by inversion (expected counts here stay small)
    let k = 0;
    let p = Math.exp(-expected);
    let s = p;
    const u = rnd();
    while (u > s) { k++; p *= expected / k; s += p; }
    for (let q = 0; q < k; q++) out.push({ x: (g.i[c]! + rnd()) * CELL, y: (g.j[c]! + rnd()) * CELL, t: rnd() * days });
  }
  return out;
}

function gaussian(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Offspring: each incident triggers Poisson(θ) more, exponential delay of mean 1/ω days, Gaussian spread σ (all generations). */
function trigger(parents: Array<{ x: number; y: number; t: number }>, theta: number, omega: number, sigma: number, days: number, rnd: () => number) {
  const all = [...parents];
  let generation = parents;
  while (generation.length) {
    const next: typeof parents = [];
    for (const p of generation) {
      let k = 0;
      let q = Math.exp(-theta);
      let s = q;
      const u = rnd();
      while (u > s) { k++; q *= theta / k; s += q; }
      for (let m = 0; m < k; m++) {
        const t = p.t - Math.log(1 - rnd()) / omega;
        if (t < days) next.push({ x: p.x + sigma * gaussian(rnd), y: p.y + sigma * gaussian(rnd), t });
      }
    }
    all.push(...next);
    generation = next;
  }
  return all;
}

test('SEPP: a pure Poisson background gives (almost) no triggering', () => {
  const rnd = seedrandom('poisson');
  const g = square(40);
  const days = 720;
  const rows = background(g, days, (c) => 0.002 + 0.02 * ((c * 7919) % 13) / 13, rnd);
  const fit = fitSepp(g, incidents(g, rows), 0, days);
  assert.ok(rows.length > 5_000, `${rows.length} incidents`);
  assert.ok(fit.theta < 0.02, `θ ${fit.theta} on a pure background`);
  assert.ok(fit.triggeredShare < 0.02, `triggered share ${fit.triggeredShare}`);
  // the background recovers each cell's rate: the totals match
  const total = fit.mu.reduce((a, v) => a + v, 0) * days;
  assert.ok(Math.abs(total - rows.length) / rows.length < 0.03, `background total ${total} vs ${rows.length}`);
});

test('SEPP: a planted near-repeat process is recovered (θ within 0.05, delay and spread within 20 %)', () => {
  const rnd = seedrandom('hawkes');
  const g = square(40);
  const days = 720;
  const theta = 0.4;
  const omega = 1 / 5;
  const sigma = 80;
  const rows = trigger(background(g, days, (c) => 0.001 + 0.01 * ((c * 104729) % 7) / 7, rnd), theta, omega, sigma, days, rnd);
  const fit = fitSepp(g, incidents(g, rows.filter((r) => r.x >= 0 && r.y >= 0 && r.x < 40 * CELL && r.y < 40 * CELL)), 0, days, 200);
  assert.ok(Math.abs(fit.theta - theta) < 0.05, `θ ${fit.theta} vs ${theta}`);
  assert.ok(Math.abs(1 / fit.omega - 1 / omega) / (1 / omega) < 0.2, `mean delay ${1 / fit.omega} vs ${1 / omega} days`);
  assert.ok(Math.abs(fit.sigma - sigma) / sigma < 0.2, `σ ${fit.sigma} vs ${sigma} m`);
});

test('validation never reads the forecast window: changing every incident after the origin changes no choice', () => {
  const rnd = seedrandom('folds');
  const g = square(30);
  const days = 540;
  const history = background(g, 360, (c) => (c % 31 === 0 ? 0.05 : 0.003), rnd);
  const later = background(g, 180, () => 0.01, rnd).map((r) => ({ ...r, t: r.t + 360 }));
  const other = background(g, 180, (c) => (c % 17 === 0 ? 0.2 : 0), rnd).map((r) => ({ ...r, t: r.t + 360 }));
  const a = forecastAt(g, incidents(g, [...history, ...later]), 0, 360, days - 360);
  const b = forecastAt(g, incidents(g, [...history, ...other]), 0, 360, days - 360);
  // the forecast's history ends at the origin
  assert.ok(a.history.t.every((t) => t < 360));
  for (const fold of foldsOf(a.start, a.origin, a.horizon)) assert.ok(fold.end <= a.origin + 1e-9, `fold ${fold.origin}–${fold.end} inside the training period`);
  const ca = chooseMethod(a);
  const cb = chooseMethod(b);
  assert.deepEqual(ca, cb);
  for (const name of METHOD_NAMES) assert.deepEqual([...runMethod(name, a).score], [...runMethod(name, b).score], name);
});

test('rolling-origin folds: up to three, each with at least its own length of history', () => {
  assert.deepEqual(foldsOf(0, 730, 273).map((f) => [f.origin, f.end]), [[730 - 730 / 3, 730], [730 - 2 * 730 / 3, 730 - 730 / 3]]);
  assert.deepEqual(foldsOf(0, 1000, 100).map((f) => f.origin), [900, 800, 700]);
  assert.deepEqual(foldsOf(0, 2, 100), []);
});

test('ranking: the top k by score, ties by cell index, and PAI by its definition', () => {
  const score = Float64Array.from([1, 3, 3, 0, 3]);
  const actual = Float64Array.from([10, 1, 2, 5, 4]);
  assert.equal(topHits(score, actual, 1), 1); // cell 1: first of the tied 3s
  assert.equal(topHits(score, actual, 2), 3);
  assert.equal(topHits(score, actual, 4), 17);
  const r = pai(score, actual, 40); // 2 of 5 cells: cells 1, 2 → 3 of 22 incidents
  assert.ok(Math.abs(r.hitRate - 3 / 22) < 1e-12 && Math.abs(r.pai - 3 / 22 / 0.4) < 1e-12);
});

test('surfaces: quartic density, Silverman bandwidth and Gi* by their formulas on a small net', () => {
  const g = square(5);
  const pts = incidents(g, [{ x: 625, y: 625, t: 1 }, { x: 700, y: 600, t: 2 }, { x: 100, y: 1200, t: 3 }]);
  const h = 300;
  const d = quarticDensity(g, pts, h);
  for (let c = 0; c < g.n; c++) {
    const cx = (g.i[c]! + 0.5) * CELL;
    const cy = (g.j[c]! + 0.5) * CELL;
    let want = 0;
    for (let k = 0; k < 3; k++) {
      const d2 = (cx - pts.x[k]!) ** 2 + (cy - pts.y[k]!) ** 2;
      if (d2 < h * h) want += (3 / (Math.PI * h * h)) * (1 - d2 / (h * h)) ** 2 * 1e6;
    }
    assert.ok(Math.abs(d[c]! - want) < 1e-9, `cell ${c}: ${d[c]} vs ${want}`);
  }
  const mx = (625 + 700 + 100) / 3;
  const my = (625 + 600 + 1200) / 3;
  const dist = [[625, 625], [700, 600], [100, 1200]].map(([x, y]) => Math.hypot(x! - mx, y! - my)).sort((a, b) => a - b);
  const sd = Math.sqrt(dist.reduce((a, v) => a + v * v, 0) / 3);
  const rule = 0.9 * Math.min(sd, Math.sqrt(1 / Math.LN2) * dist[1]!) * 3 ** -0.2;
  assert.ok(Math.abs(silvermanBandwidth(pts, 100) - rule) < 1e-9);
  assert.equal(silvermanBandwidth(pts, 1000), 1000); // never below the floor (one cell)
  const counts = countCells(g, pts);
  const z = giStarZ(g, counts, 2 * CELL);
  // cell (2, 2) holds both near points
  const centre = 2 + 2 * 5;
  assert.equal(counts[centre], 2);
  // by the formula: 13 neighbours within 2 cells (itself included), 25 cells, values {2, 1, 0 …}
  const mean = 3 / 25;
  const sdev = Math.sqrt(5 / 25 - mean * mean);
  const want = (2 - mean * 13) / (sdev * Math.sqrt((25 * 13 - 13 * 13) / 24));
  assert.ok(Math.abs(z[centre]! - want) < 1e-12, `z ${z[centre]} vs ${want}`);
});
