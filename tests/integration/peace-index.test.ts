// 平安指数: scores within 0–100 that are the weighted mean of their indicator scores,
// ranks 1..n, values that match independent counts, directions respected, weights that
// steer the ranking, 红黑榜 of N townships each, and bad input refused with a sentence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback } from '../helpers';
import { many, one } from '../../server/db/index';
import { computePeaceIndex, INDICATOR_IDS, type PeaceIndexResult, type TownshipResult } from '../../server/services/peace-index/index';
import { PeaceIndexInputError } from '../../server/errors';
import { datasetInfo } from '../../server/services/basemap/layers';
import { chinaDay, monthsBefore } from '../../lib/china-time';

let defaultRun: Promise<PeaceIndexResult> | undefined;
const byDefault = () => (defaultRun ??= inRollback((tx) => computePeaceIndex(tx)));

const indicator = (t: TownshipResult, id: string) => t.indicators.find((i) => i.id === id)!;
const zeroWeights = () => Object.fromEntries(INDICATOR_IDS.map((id) => [id, 0]));

test('every township gets a score from 0 to 100, the weighted mean of its indicator scores, and ranks run 1..n', { timeout: 180_000 }, async () => {
  const r = await byDefault();
  const { n } = await inRollback((c) => one<{ n: number }>(`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'township'`, [], 'counting townships', c));
  assert.equal(r.townships.length, n);
  assert.equal(r.method.townships, n);
  assert.deepEqual(r.townships.map((t) => t.rank).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 1));
  for (const t of r.townships) {
    assert.ok(t.score !== null && t.score >= 0 && t.score <= 100, `${t.name}: score ${t.score}`);
    let sum = 0;
    let weights = 0;
    for (const i of t.indicators) {
      assert.ok(i.score === null || (i.score >= 0 && i.score <= 100), `${t.name} ${i.id}: ${i.score}`);
      if (i.score !== null && i.weight > 0) {
        sum += i.weight * i.score;
        weights += i.weight;
      }
    }
    assert.ok(Math.abs(sum / weights - t.score!) < 0.011, `${t.name}: score ${t.score} vs weighted mean ${sum / weights}`);
  }
  assert.ok(r.townships.every((t, i) => i === 0 || t.score! <= r.townships[i - 1]!.score!), 'sorted by rank, best first');
  // The demo county's scores spread: the county seat is not scored like the mountain townships.
  const scores = r.townships.map((t) => t.score!);
  assert.ok(Math.max(...scores) - Math.min(...scores) > 10, `scores ${scores.join(', ')}`);
});

test('the default period is the 12 months up to the data’s end; the previous one is as long and ends where it starts', { timeout: 180_000 }, async () => {
  const { method, townships } = await byDefault();
  const { latest } = await inRollback((c) => one<{ latest: Date }>('SELECT max(occurred_at) AS latest FROM incidents', [], 'finding the latest incident', c));
  const info = await inRollback((c) => datasetInfo(c));
  const to = new Date(method.period.to);
  const from = new Date(method.period.from);
  // the demo ends on its end date; other data at the China midnight after its latest incident
  if (info.endDate) assert.equal(to.getTime(), chinaDay(info.endDate).getTime());
  else assert.ok(to > latest && to.getTime() - latest.getTime() <= 86_400_000, `${method.period.to} vs latest ${latest.toISOString()}`);
  assert.ok(to > latest, `${method.period.to} vs latest ${latest.toISOString()}`);
  assert.ok([365, 366].includes(method.period.days));
  assert.equal(method.previousPeriod.to, method.period.from);
  assert.equal(new Date(method.previousPeriod.from).getTime(), from.getTime() - (to.getTime() - from.getTime()));
  assert.ok(method.incidents.current > 0 && method.incidents.previous > 0);
  for (const t of townships) {
    assert.ok(t.previousRank !== null && t.previousScore !== null);
    assert.equal(t.rankChange, t.previousRank - t.rank);
  }
});

test('indicator values match independent counts: the county seat’s dispute resolution rate and criminal rate', { timeout: 180_000 }, async () => {
  const { method, townships } = await byDefault();
  const seat = await inRollback((c) => one<{ code: string; population: number }>(
    `SELECT code::text AS code, population FROM admin_areas WHERE level = 'township' ORDER BY population DESC NULLS LAST LIMIT 1`, [], 'finding the most populous township', c,
  ));
  const t = townships.find((x) => x.code === seat.code)!;
  const d = await inRollback((c) => one<{ total: number; closed: number; criminal: number }>(
    `SELECT count(*) FILTER (WHERE category_code LIKE 'dispute%')::int AS total,
            count(*) FILTER (WHERE category_code LIKE 'dispute%' AND status = 'closed')::int AS closed,
            count(*) FILTER (WHERE category_code LIKE 'criminal%')::int AS criminal
     FROM incidents WHERE township_code = $1 AND occurred_at >= $2 AND occurred_at < $3`,
    [seat.code, method.period.from, method.period.to], 'counting the seat’s incidents by hand', c,
  ));
  assert.ok(d.total > 0);
  const dispute = indicator(t, 'disputeResolution');
  assert.equal(dispute.numerator, d.closed);
  assert.equal(dispute.denominator, d.total);
  assert.ok(Math.abs(dispute.value! - (100 * d.closed) / d.total) < 1e-3, `${dispute.value} vs ${(100 * d.closed) / d.total}`);
  assert.equal(dispute.meetsTarget, dispute.value! >= dispute.target!);
  const criminal = indicator(t, 'criminalRate');
  assert.equal(criminal.numerator, d.criminal);
  const expected = (d.criminal / seat.population) * 10_000 * (365 / method.period.days);
  assert.ok(Math.abs(criminal.value! - expected) < 1e-3, `${criminal.value} vs ${expected}`);
});

test('hazard monitoring and camera coverage match the register', { timeout: 180_000 }, async () => {
  const { townships } = await byDefault();
  const rows = await inRollback((c) => many<{ code: string; points: number; monitored: number }>(
    `SELECT h.township_code::text AS code, count(*)::int AS points, count(*) FILTER (WHERE coalesce(h.monitor_name, '') <> '')::int AS monitored
     FROM hazards h WHERE h.hazard_type IN ('landslide', 'rockfall', 'debris_flow', 'ground_collapse', 'flash_flood', 'unstable_rock') GROUP BY 1`,
    [], 'counting monitored hazard points by hand', c,
  ));
  for (const t of townships) {
    const h = rows.find((r) => r.code === t.code);
    const i = indicator(t, 'hazardMonitoring');
    if (!h) assert.equal(i.value, null, `${t.name} has no geological hazard point`);
    else assert.ok(Math.abs(i.value! - (100 * h.monitored) / h.points) < 1e-3, `${t.name}: ${i.value} vs ${h.monitored}/${h.points}`);
    const c = indicator(t, 'cameraCoverage');
    assert.ok(c.value !== null && c.value >= 0 && c.value <= 100 && c.numerator <= c.denominator + 1, `${t.name}: coverage ${c.value}`);
  }
});

test('direction is respected: the highest criminal rate scores 0 and the lowest 100; the best coverage scores 100', { timeout: 180_000 }, async () => {
  const { townships } = await byDefault();
  const byValue = (id: string) => [...townships].sort((a, b) => indicator(a, id).value! - indicator(b, id).value!);
  const criminal = byValue('criminalRate');
  assert.equal(indicator(criminal.at(-1)!, 'criminalRate').score, 0);
  assert.equal(indicator(criminal[0]!, 'criminalRate').score, 100);
  const coverage = byValue('cameraCoverage');
  assert.equal(indicator(coverage.at(-1)!, 'cameraCoverage').score, 100);
  assert.equal(indicator(coverage[0]!, 'cameraCoverage').score, 0);
});

test('weights steer the ranking: all weight on one indicator ranks by that indicator alone', { timeout: 180_000 }, async () => {
  const coverage = await inRollback((tx) => computePeaceIndex(tx, { weights: { ...zeroWeights(), cameraCoverage: 1 } }));
  const best = coverage.townships[0]!;
  assert.equal(indicator(best, 'cameraCoverage').score, 100);
  assert.equal(best.score, 100);
  for (const t of coverage.townships) assert.ok(Math.abs(t.score! - indicator(t, 'cameraCoverage').score!) < 0.011);
  const criminal = await inRollback((tx) => computePeaceIndex(tx, { weights: { ...zeroWeights(), criminalRate: 1 } }));
  const rates = criminal.townships.map((t) => indicator(t, 'criminalRate').value!);
  assert.ok(rates.every((v, i) => i === 0 || v >= rates[i - 1]!), `criminal rates in rank order: ${rates.join(', ')}`);
  assert.notDeepEqual(coverage.townships.map((t) => t.code), criminal.townships.map((t) => t.code));
  assert.equal(coverage.method.indicators.find((i) => i.id === 'cameraCoverage')!.weight, 1);
});

test('红榜 and 黑榜 hold N townships each, the best and the worst, and never overlap', { timeout: 180_000 }, async () => {
  for (const r of [await byDefault(), await inRollback((tx) => computePeaceIndex(tx, { top: 5 }))]) {
    const n = r.method.lists.top;
    const red = r.townships.filter((t) => t.list === 'red');
    const black = r.townships.filter((t) => t.list === 'black');
    assert.equal(red.length, n);
    assert.equal(black.length, n);
    assert.deepEqual(red.map((t) => t.rank), Array.from({ length: n }, (_, i) => i + 1));
    assert.deepEqual(black.map((t) => t.rank), Array.from({ length: n }, (_, i) => r.townships.length - n + i + 1));
    assert.ok(!red.some((t) => black.includes(t)));
  }
  assert.equal((await byDefault()).method.lists.top, 3);
  const wide = await inRollback((tx) => computePeaceIndex(tx, { top: 50 }));
  assert.equal(wide.method.lists.top, Math.floor(wide.townships.length / 2));
  assert.ok(wide.method.notes.some((x) => /以免两榜重叠/.test(x)));
});

test('a period without incidents still ranks the townships, with the rates at 0 and a note', { timeout: 180_000 }, async () => {
  const r = await inRollback((tx) => computePeaceIndex(tx, { from: '2090-01-01', to: '2090-04-01' }));
  assert.equal(r.method.incidents.current, 0);
  assert.ok(r.method.notes.some((x) => /没有案事件/.test(x)));
  for (const t of r.townships) {
    assert.equal(indicator(t, 'criminalRate').value, 0);
    assert.equal(indicator(t, 'criminalRate').score, 100);
    assert.equal(indicator(t, 'disputeResolution').value, null);
    assert.equal(t.previousRank, null);
    assert.ok(t.score !== null && t.score >= 0 && t.score <= 100);
  }
});

test('bad input is refused with a sentence: unknown indicator, all-zero weights, an empty period', async () => {
  await assert.rejects(() => inRollback((tx) => computePeaceIndex(tx, { weights: { burglaryRate: 1 } })), (e: unknown) => e instanceof PeaceIndexInputError && /burglaryRate/.test(e.message));
  await assert.rejects(() => inRollback((tx) => computePeaceIndex(tx, { weights: zeroWeights() })), (e: unknown) => e instanceof PeaceIndexInputError && /全部为 0/.test(e.message));
  await assert.rejects(() => inRollback((tx) => computePeaceIndex(tx, { from: '2026-03-01', to: '2026-03-01' })), (e: unknown) => e instanceof PeaceIndexInputError && /统计期为空/.test(e.message));
  await assert.rejects(() => inRollback((tx) => computePeaceIndex(tx, { from: '2026-02-30' })), (e: unknown) => e instanceof PeaceIndexInputError && /2026-02-30/.test(e.message));
  await assert.rejects(() => inRollback((tx) => computePeaceIndex(tx, { top: 0 })), PeaceIndexInputError);
});

test('tRPC peaceIndex.compute answers like the service and maps bad input to BAD_REQUEST', { timeout: 180_000 }, async () => {
  const api = await caller();
  const r = await api.peaceIndex.compute({ top: 2 });
  assert.equal(r.townships.filter((t) => t.list === 'red').length, 2);
  assert.deepEqual(r.townships.map((t) => t.code), (await byDefault()).townships.map((t) => t.code));
  const badRequest = (pattern: RegExp) => (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && pattern.test(e.message);
  await assert.rejects(() => api.peaceIndex.compute({ weights: { burglaryRate: 1 } }), badRequest(/burglaryRate/));
  await assert.rejects(() => api.peaceIndex.compute({ from: '2026-03-02', to: '2026-03-01' }), badRequest(/统计期为空/));
  // An empty period found only once the default end is known: refused by the service.
  await assert.rejects(() => api.peaceIndex.compute({ from: '2100-01-01' }), badRequest(/统计期为空/));
});

test('the planner page’s default window is the CLI’s: same period, same ranks and previous ranks', { timeout: 240_000 }, async () => {
  // the page: to = the data set's periodEnd, from = 12 calendar months before (planner-workspace)
  const info = await (await caller()).basemap.dataset();
  assert.ok(info.periodEnd, 'the data set has a period end');
  const page = await (await caller()).peaceIndex.compute({ from: monthsBefore(info.periodEnd!, 12), to: info.periodEnd!, top: 3 });
  const cli = await byDefault();
  assert.equal(page.method.period.from, cli.method.period.from);
  assert.equal(page.method.period.to, cli.method.period.to);
  const ranks = (r: PeaceIndexResult) => r.townships.map((t) => `${t.code}:${t.rank}:${t.previousRank}`).sort();
  assert.deepEqual(ranks(page), ranks(cli));
});

test('an indicator that is the weakest of half the townships or more is explained in a note, with its count, top and median', { timeout: 180_000 }, async () => {
  const r = await byDefault();
  const scored = r.townships.filter((t) => t.score !== null);
  const weakest = new Map<string, number>();
  for (const t of scored) {
    const w = t.indicators.filter((i) => i.weight > 0 && i.score !== null).sort((a, b) => a.score! - b.score!)[0];
    if (w) weakest.set(w.name, (weakest.get(w.name) ?? 0) + 1);
  }
  const expected = [...weakest].filter(([, n]) => n * 2 >= scored.length);
  const notes = r.method.notes.filter((n) => /个乡镇的最弱项/.test(n));
  assert.equal(notes.length, expected.length, `${notes.join(' | ')} vs ${JSON.stringify(expected)}`);
  for (const [name, n] of expected) {
    const note = notes.find((x) => x.startsWith(`${name}是 ${n} 个乡镇的最弱项`));
    assert.ok(note, `no note for ${name} (${n})`);
    assert.match(note!, /最小–最大归一化/);
  }
});
