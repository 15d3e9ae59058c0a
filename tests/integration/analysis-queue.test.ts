// Cost bounds, the analysis queue and the result cache (server/limits.ts,
// server/analysis-queue.ts): work above the bound is refused before it runs, the heaviest
// allowed analysis leaves health and the base map answering while it runs, identical
// analyses are computed once and kept until the data changes, a full queue says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback, TEST_ACTOR } from '../helpers';
import { one } from '../../server/db/index';
import { checkHealth } from '../../server/services/health/check';
import { analysisState, clearAnalysisCache, dataVersion } from '../../server/analysis-queue';
import { withScope } from '../../server/db/scope';
import { LIMITS } from '../../server/limits';

const CJK = /[\u4e00-\u9fff]/;

async function refusal(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof TRPCError, `expected a TRPCError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

/** A change that analyses read, made and committed as the app would (same content). */
async function touchData(): Promise<void> {
  await withScope(TEST_ACTOR, { attempted: 'touching the data' }, (tx) => tx.query(`UPDATE dataset_info SET value = value WHERE key = 'demo'`));
}

const until = async (cond: () => boolean) => {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
};

test('a Gi* band too wide for the county is refused before any cell is made, with the widest band that fits', async () => {
  const c = await caller();
  const before = analysisState();
  const err = await refusal(c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: 20_000 } }));
  assert.equal(err.code, 'BAD_REQUEST');
  assert.match(err.message, CJK);
  assert.match(err.message, /邻域距离设为不超过 \d+ 米/);
  assert.equal(analysisState().running.length, before.running.length, 'nothing left running');
  // and the schema's own bounds: past the largest band, below the smallest cell, NaN
  for (const bad of [
    { cellM: 500, neighbours: { kind: 'distance' as const, metres: LIMITS.distanceM.max + 1 } },
    { cellM: LIMITS.cellM.min - 1, neighbours: { kind: 'distance' as const, metres: 1000 } },
    { cellM: Number.NaN, neighbours: { kind: 'distance' as const, metres: 1000 } },
    { cellM: 500, neighbours: { kind: 'knn' as const, k: LIMITS.knn.max + 1 } },
  ]) {
    const e = await refusal(c.hotspots.gistar(bad));
    assert.equal(e.code, 'BAD_REQUEST', JSON.stringify(bad));
    assert.doesNotMatch(e.message, /[{}]/, 'no JSON in the sentence');
  }
  const kde = await refusal(c.hotspots.kde({ cellM: 50, bandwidthM: 5000 }));
  assert.equal(kde.code, 'BAD_REQUEST');
  assert.match(kde.message, /网格|带宽/);
  const slices = await refusal(c.hotspots.emerging({ cellM: 200, distanceM: 5000, from: new Date('2025-01-01'), to: new Date('2026-11-01'), slices: 60 }));
  assert.match(slices.message, /上限/);
});

test('while the heaviest allowed analysis runs, health and a base-map layer are answered', async () => {
  clearAnalysisCache();
  const c = await caller();
  // the widest band the bound allows at 500 m cells, read from the refusal of a wider one
  const widest = Number(/不超过 (\d+) 米/.exec((await refusal(c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: 20_000 } }))).message)![1]);
  assert.ok(widest >= 1000 && widest < 20_000, `widest band ${widest}`);
  await c.basemap.county(); // the layers a map has drawn once
  const order: string[] = [];
  const t0 = performance.now();
  const heavy = c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: widest } }).then((r) => {
    order.push('analysis');
    return r;
  });
  await until(() => analysisState().running.length > 0);
  const health = await checkHealth();
  order.push('health');
  const tHealth = performance.now() - t0;
  const county = await c.basemap.county();
  order.push('basemap');
  const tBase = performance.now() - t0;
  const result = await heavy;
  const tHeavy = performance.now() - t0;
  console.log(`# heaviest allowed Gi* (500 m cells, ${widest} m band, ${result.method.cells} cells): ${(tHeavy / 1000).toFixed(1)} s; health answered at ${(tHealth / 1000).toFixed(2)} s, base map at ${(tBase / 1000).toFixed(2)} s`);
  assert.deepEqual(order, ['health', 'basemap', 'analysis']);
  assert.equal(health.ok, true, JSON.stringify(health));
  assert.ok(county && typeof county === 'object');
  assert.ok(result.cells.length > 1000);
});

test('identical analyses are computed once and kept until the data changes', async () => {
  clearAnalysisCache();
  const c = await caller();
  const input = { cellM: 1000, neighbours: { kind: 'distance' as const, metres: 2500 } };
  const [a, b] = await Promise.all([c.hotspots.gistar(input), c.hotspots.gistar(input)]);
  assert.equal(a, b, 'two callers at once share one computation');
  const again = await c.hotspots.gistar(input);
  assert.equal(again, a, 'a later identical call reads the cache');
  const other = await c.hotspots.gistar({ ...input, fdr: false });
  assert.notEqual(other, a, 'another input is another analysis');
  const v0 = await dataVersion(TEST_ACTOR);
  await touchData();
  assert.ok((await dataVersion(TEST_ACTOR)) > v0, 'a committed change moves the data version');
  const after = await c.hotspots.gistar(input);
  assert.notEqual(after, a, 'after a change the analysis runs again');
  assert.deepEqual(after.cells.map((x) => x.z), a.cells.map((x) => x.z), 'same data, same answer');
  // a township officer's scope is another cache entry
  const township = await inRollback((tx) => one<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'township' ORDER BY code LIMIT 1`, [], 'a township', tx));
  const officer = { ...TEST_ACTOR, id: 'test:officer', townships: [township.code.trim()] };
  assert.notEqual(await (await caller(officer)).hotspots.gistar(input), after);
});

test('a read-only scope does not move the data version; a full queue tells the caller to wait', async () => {
  const v0 = await dataVersion(TEST_ACTOR);
  await withScope(TEST_ACTOR, { attempted: 'a rolled-back write', readOnly: true }, (tx) => tx.query(`UPDATE dataset_info SET value = value WHERE key = 'demo'`));
  // the statement trigger bumps the sequence even when rolled back (harmless: one recomputation), the commit bump does not happen
  assert.ok((await dataVersion(TEST_ACTOR)) - v0 <= 1);

  clearAnalysisCache();
  process.env.ANALYSIS_CONCURRENCY = '1';
  process.env.ANALYSIS_QUEUE = '0';
  try {
    const c = await caller();
    const first = c.hotspots.gistar({ cellM: 800, neighbours: { kind: 'distance', metres: 3000 } });
    await until(() => analysisState().running.length > 0);
    const busy = await refusal(c.hotspots.gistar({ cellM: 900, neighbours: { kind: 'distance', metres: 3000 } }));
    assert.equal(busy.code, 'TOO_MANY_REQUESTS');
    assert.match(busy.message, /服务器正忙.*请稍等/);
    await first;
  } finally {
    delete process.env.ANALYSIS_CONCURRENCY;
    delete process.env.ANALYSIS_QUEUE;
  }
});
