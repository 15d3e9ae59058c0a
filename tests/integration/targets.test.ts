// Rectification targeting: explainable scores that add up, weights that steer the ranking,
// percentile ranks by their definition, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback } from '../helpers';
import { percentileRanks, rankTargets } from '../../server/services/hotspots/targets';
import { HotspotInputError } from '../../server/errors';

test('percentile ranks run from 0 to 1 and ties share their mean rank', () => {
  const r = percentileRanks(new Map([[1, 5], [2, 1], [3, 5], [4, 9], [5, 3]]));
  assert.deepEqual([...r].sort((a, b) => a[0] - b[0]), [[1, 0.625], [2, 0], [3, 0.625], [4, 1], [5, 0.25]]);
});

test('each target lists its factors by contribution, and the contributions add up to the score', { timeout: 180_000 }, async () => {
  const r = await inRollback((tx) => rankTargets(tx, { top: 10 }));
  assert.equal(r.targets.length, 10);
  for (const t of r.targets) {
    const sum = t.factors.reduce((a, f) => a + f.contribution, 0);
    assert.ok(Math.abs(sum - t.score) < 1e-3, `score ${t.score} vs Σ ${sum}`);
    assert.ok(t.factors.every((f, i) => i === 0 || f.contribution <= t.factors[i - 1]!.contribution));
    assert.match(t.reason, /^近一年案事件 \d+ 起.*主要因素:/);
  }
  assert.ok(r.targets.every((t, i) => i === 0 || t.score <= r.targets[i - 1]!.score));
});

test('the planner’s weights steer the ranking: all weight on key places puts the place-richest cell first', { timeout: 180_000 }, async () => {
  const r = await inRollback((tx) => rankTargets(tx, { top: 3, weights: { density: 0, trend: 0, gistar: 0, cameraGap: 0, hazards: 0, places: 1, patrolDeficit: 0 } }));
  const places = (t: (typeof r.targets)[number]) => t.factors.find((f) => f.factor === 'places')!.value;
  assert.equal(r.targets[0]!.factors[0]!.factor, 'places');
  assert.ok(places(r.targets[0]!) >= places(r.targets[2]!));
  assert.equal(r.targets[0]!.score, r.targets[0]!.factors.find((f) => f.factor === 'places')!.rank);
});

test('bad requests are refused with a sentence', async () => {
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 0 })), (e: unknown) => e instanceof HotspotInputError && /--top/.test(e.message));
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 5, cellM: 10 })), (e: unknown) => e instanceof HotspotInputError && /cell size/.test(e.message));
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 5, weights: { density: 0, trend: 0, gistar: 0, cameraGap: 0, hazards: 0, places: 0, patrolDeficit: 0 } })), /weight above 0/);
});
