// Mann-Kendall and Benjamini–Hochberg against small cases checked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../helpers';
import { one } from '../../server/db/index';

const mk = (x: number[]) => one<{ s: number; variance: number; z: number; p: number }>('SELECT * FROM stat_mann_kendall($1::float8[])', [x], 'Mann-Kendall');
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

test('Benjamini–Hochberg: [0.01, 0.04, 0.03, 0.2] → [0.04, 0.0533, 0.0533, 0.2] (R p.adjust "BH")', async () => {
  const r = await one<{ q: number[] }>('SELECT stat_bh_adjust($1::float8[]) AS q', [[0.01, 0.04, 0.03, 0.2]], 'BH');
  const expected = [0.04, 0.16 / 3, 0.16 / 3, 0.2];
  r.q.forEach((q, i) => close(q, expected[i]!, 1e-12));
  const capped = await one<{ q: number[] }>('SELECT stat_bh_adjust($1::float8[]) AS q', [[0.5, 0.9, 0.7]], 'BH');
  assert.deepEqual(capped.q, [0.9, 0.9, 0.9]);
});
