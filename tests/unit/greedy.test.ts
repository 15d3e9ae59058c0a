// Maximal coverage by greedy (server/services/coverage/greedy.ts) on seeded random small
// instances: the lazy greedy makes exactly the picks of the plain greedy, the greedy value
// is at least 1 − 1/e of the optimum found by brute force, gains never grow, and the
// search stops when nothing more can be gained. A hand-made instance where greedy is
// provably not optimal shows the comparison with brute force can tell them apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { bruteForce, coveredWeight, lazyGreedy, naiveGreedy, type Instance, type Pick } from '../../server/services/coverage/greedy';

const BOUND = 1 - 1 / Math.E;
const EPS = 1e-9;

/** A random instance: `options` sets over `units` demand units with weights. */
function randomInstance(rng: seedrandom.PRNG): { inst: Instance; budget: number } {
  const options = 6 + Math.floor(rng() * 7); // 6–12
  const units = 10 + Math.floor(rng() * 31); // 10–40
  const budget = 1 + Math.floor(rng() * 4); // 1–4
  // Small integer weights make equal gains (ties) common, which tests the tie rule too;
  // every third instance uses real-valued weights instead.
  const integer = rng() < 2 / 3;
  const weights = Float64Array.from({ length: units }, () => (integer ? 1 + Math.floor(rng() * 4) : 0.1 + rng() * 5));
  const density = 0.05 + rng() * 0.3;
  const sets = Array.from({ length: options }, () => {
    const members: number[] = [];
    for (let u = 0; u < units; u++) if (rng() < density) members.push(u);
    return Int32Array.from(members);
  });
  return { inst: { weights, sets }, budget };
}

/** The gain each pick adds to the ones before it, recomputed from scratch. */
function marginals(inst: Instance, picks: Pick[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < picks.length; i++) {
    const chosen = picks.slice(0, i + 1).map((p) => p.option);
    out.push(coveredWeight(inst, chosen) - coveredWeight(inst, chosen.slice(0, -1)));
  }
  return out;
}

const total = (picks: Pick[]) => picks.reduce((a, p) => a + p.gain, 0);

test('on 200 seeded random instances: lazy = naive, greedy ≥ (1 − 1/e) × optimum, gains non-increasing and exact', () => {
  const rng = seedrandom('coverage-greedy');
  const ratios: number[] = [];
  let suboptimal = 0;
  let ties = 0;
  for (let n = 0; n < 200; n++) {
    const { inst, budget } = randomInstance(rng);
    const naive = naiveGreedy(inst, budget);
    const lazy = lazyGreedy(inst, budget);
    assert.deepEqual(lazy, naive, `instance ${n}: lazy and naive greedy make the same picks with the same gains`);

    const gains = naive.map((p) => p.gain);
    for (let i = 1; i < gains.length; i++) assert.ok(gains[i]! <= gains[i - 1]! + EPS, `instance ${n}: gain ${i} (${gains[i]}) exceeds gain ${i - 1} (${gains[i - 1]})`);
    const recomputed = marginals(inst, naive);
    recomputed.forEach((g, i) => assert.ok(Math.abs(g - gains[i]!) <= EPS, `instance ${n}: pick ${i} gain ${gains[i]} vs recomputed ${g}`));
    assert.equal(new Set(naive.map((p) => p.option)).size, naive.length, `instance ${n}: no option is picked twice`);
    assert.ok(naive.length <= budget);
    for (const p of naive) assert.ok(p.gain > 0, `instance ${n}: every pick adds something`);

    const value = coveredWeight(inst, naive.map((p) => p.option));
    assert.ok(Math.abs(value - total(naive)) <= EPS, `instance ${n}: the gains add up to the covered weight`);
    const opt = bruteForce(inst, budget);
    assert.ok(opt.options.length <= budget);
    assert.ok(Math.abs(coveredWeight(inst, opt.options) - opt.value) <= EPS);
    assert.ok(opt.value + EPS >= value, `instance ${n}: brute force ${opt.value} is at least greedy ${value}`);
    assert.ok(value + EPS >= BOUND * opt.value, `instance ${n}: greedy ${value} < (1 − 1/e) × optimum ${opt.value}`);
    if (opt.value > 0) ratios.push(value / opt.value);
    if (value < opt.value - EPS) suboptimal++;
    // whether some step had two options with the same best gain (the tie rule mattered)
    const covered = new Uint8Array(inst.weights.length);
    const taken = new Set<number>();
    for (const p of naive) {
      const gainsNow = inst.sets.map((s, o) => (taken.has(o) ? -1 : [...s].reduce((a, u) => a + (covered[u] ? 0 : inst.weights[u]!), 0)));
      if (gainsNow.filter((g) => Math.abs(g - p.gain) <= EPS).length > 1) ties++;
      taken.add(p.option);
      for (const u of inst.sets[p.option]!) covered[u] = 1;
    }
  }
  const mean = ratios.reduce((a, r) => a + r, 0) / ratios.length;
  const worst = Math.min(...ratios);
  console.log(JSON.stringify({ instances: 200, greedyOverOptimum: { mean: Number(mean.toFixed(4)), worst: Number(worst.toFixed(4)) }, bound: Number(BOUND.toFixed(4)), suboptimalInstances: suboptimal, stepsWithTiedBestGain: ties }));
  assert.ok(worst + EPS >= BOUND);
  assert.ok(ties > 0, 'the instances exercise the tie rule');
});

test('greedy is provably suboptimal on one big set overlapping two disjoint ones, and brute force finds the better pair', () => {
  // Units a1 a2 a3 | b1 b2 b3, weight 1 each. Option 0 = {a1, a2, b1, b2} (4), option 1 =
  // {a1, a2, a3} (3), option 2 = {b1, b2, b3} (3). Greedy takes option 0 first (4 > 3) and
  // then can add only one more unit: 5. The disjoint pair {1, 2} covers all six.
  const inst: Instance = {
    weights: Float64Array.from([1, 1, 1, 1, 1, 1]),
    sets: [Int32Array.from([0, 1, 3, 4]), Int32Array.from([0, 1, 2]), Int32Array.from([3, 4, 5])],
  };
  const naive = naiveGreedy(inst, 2);
  assert.deepEqual(naive, [{ option: 0, gain: 4 }, { option: 1, gain: 1 }]);
  assert.deepEqual(lazyGreedy(inst, 2), naive);
  assert.equal(coveredWeight(inst, naive.map((p) => p.option)), 5);
  const opt = bruteForce(inst, 2);
  assert.deepEqual(opt, { options: [1, 2], value: 6 });
  assert.ok(5 < opt.value && 5 >= BOUND * opt.value, 'greedy is worse than the optimum, within the guarantee');
});

test('ties go to the lower option index in both greedies', () => {
  const inst: Instance = {
    weights: Float64Array.from([2, 2, 1, 1]),
    sets: [Int32Array.from([2]), Int32Array.from([0]), Int32Array.from([1]), Int32Array.from([3])],
  };
  const expected = [{ option: 1, gain: 2 }, { option: 2, gain: 2 }, { option: 0, gain: 1 }, { option: 3, gain: 1 }];
  assert.deepEqual(naiveGreedy(inst, 4), expected);
  assert.deepEqual(lazyGreedy(inst, 4), expected);
});

test('both greedies stop early when nothing more can be gained', () => {
  // After options 0 and 1 everything is covered; option 2 adds nothing new, option 3 is
  // empty and unit 4 weighs nothing.
  const inst: Instance = {
    weights: Float64Array.from([1, 2, 3, 4, 0]),
    sets: [Int32Array.from([0, 1, 2]), Int32Array.from([3, 4]), Int32Array.from([1, 2, 4]), Int32Array.from([])],
  };
  for (const greedy of [naiveGreedy, lazyGreedy]) {
    const picks = greedy(inst, 5);
    assert.deepEqual(picks, [{ option: 0, gain: 6 }, { option: 1, gain: 4 }], greedy.name);
  }
  // nothing to gain at all: no picks
  const empty: Instance = { weights: Float64Array.from([0, 0]), sets: [Int32Array.from([0]), Int32Array.from([1])] };
  assert.deepEqual(naiveGreedy(empty, 2), []);
  assert.deepEqual(lazyGreedy(empty, 2), []);
  assert.deepEqual(naiveGreedy({ weights: new Float64Array(0), sets: [] }, 3), []);
  assert.deepEqual(lazyGreedy({ weights: new Float64Array(0), sets: [] }, 3), []);
});
