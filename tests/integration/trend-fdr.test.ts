// Mann-Kendall and Benjamini–Hochberg against small cases checked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback } from '../helpers';
import { one } from '../../server/db/index';

const mk = (x: number[]) => inRollback((c) => one<{ s: number; variance: number; z: number; p: number }>('SELECT * FROM stat_mann_kendall($1::float8[])', [x], 'Mann-Kendall', c));
const close = (a: number, b: number, tol = 1e-4) => assert.ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

test('Mann-Kendall on a strictly rising series: S = 10, Var = 50/3, z = 9/√(50/3), p ≈ 0.0275', async () => {
  const r = await mk([1, 2, 3, 4, 5]);
  assert.equal(r.s, 10);
  close(r.variance, 50 / 3);
  close(r.z, 9 / Math.sqrt(50 / 3));
  close(r.p, 0.027486, 1e-5);
});

test('Mann-Kendall with a tie: [1, 1, 2, 3] gives S = 5 and the tie-corrected Var = 23/3', async () => {
  // 6 pairs: one tie (0) and five rising (+1). Ties: one group of 2 → 2·1·9 = 18; (4·3·13 − 18) / 18 = 23/3.
  const r = await mk([1, 1, 2, 3]);
  assert.equal(r.s, 5);
  close(r.variance, 23 / 3);
  close(r.z, 4 / Math.sqrt(23 / 3));
});

test('Mann-Kendall on a falling and on a flat series', async () => {
  const down = await mk([9, 7, 8, 4, 3, 1]);
  assert.equal(down.s, -13); // 15 pairs, 14 falling, 1 rising
  assert.ok(down.z < -2 && down.p < 0.05);
  const flat = await mk([2, 2, 2, 2]);
  assert.deepEqual([flat.s, flat.z, flat.p], [0, 0, 1]);
});

test('Benjamini–Hochberg: [0.01, 0.04, 0.03, 0.2] → [0.04, 0.0533, 0.0533, 0.2] (R p.adjust "BH")', () => inRollback(async (c) => {
  const r = await one<{ q: number[] }>('SELECT stat_bh_adjust($1::float8[]) AS q', [[0.01, 0.04, 0.03, 0.2]], 'BH', c);
  const expected = [0.04, 0.16 / 3, 0.16 / 3, 0.2];
  r.q.forEach((q, i) => close(q, expected[i]!, 1e-12));
  const capped = await one<{ q: number[] }>('SELECT stat_bh_adjust($1::float8[]) AS q', [[0.5, 0.9, 0.7]], 'BH', c);
  assert.deepEqual(capped.q, [0.9, 0.9, 0.9]);
}));

test('erfc and two-sided normal p-values match reference values within the fit’s 1.2e-7 relative error, and saturate far out', () => inRollback(async (c) => {
  // reference values: erfc from R's 2 * pnorm(-x * sqrt(2)), printed to 10 significant digits
  const cases: [number, number][] = [[0, 1], [0.5, 0.4795001222], [1, 0.1572992071], [-1, 1.842700793], [2, 0.004677734981], [3, 2.209049700e-5], [5, 1.537459794e-12]];
  const r = await one<{ v: number[] }>('SELECT array_agg(stat_erfc(x) ORDER BY i) AS v FROM unnest($1::float8[]) WITH ORDINALITY AS t(x, i)', [cases.map((c) => c[0])], 'erfc', c);
  cases.forEach(([x, want], i) => assert.ok(Math.abs(r.v[i]! - want) <= 1.2e-7 * want + 1e-15, `erfc(${x}) = ${r.v[i]} ≠ ${want}`));
  const far = await one<{ hi: number; lo: number; p: number; p0: number }>('SELECT stat_erfc(30) AS hi, stat_erfc(-30) AS lo, stat_two_sided_p(1.959963985) AS p, stat_two_sided_p(0) AS p0', [], 'erfc tails', c);
  assert.equal(far.hi, 0);
  assert.equal(far.lo, 2);
  close(far.p, 0.05, 1e-8);
  assert.equal(far.p0, 1);
}));
