// Rectification targeting: explainable scores that add up, weights that steer the ranking,
// scaled values and percentile ranks by their definition, the density factor from the
// chosen forecast, a hand-built county where the size of a difference decides, a place
// name for every target, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback } from '../helpers';
import { one } from '../../server/db/index';
import type { Tx } from '../../server/db/scope';
import { DEFAULT_WEIGHTS, FACTORS, percentileRanks, rankTargets, riseEvidence, scaledValues, setsApart, type Target } from '../../server/services/hotspots/targets';
import { runCountyForecast } from '../../server/services/forecast/county';
import { HotspotInputError } from '../../server/errors';

test('percentile ranks run from 0 to 1 and ties share their mean rank', () => {
  const r = percentileRanks(new Map([[1, 5], [2, 1], [3, 5], [4, 9], [5, 3]]));
  assert.deepEqual([...r].sort((a, b) => a[0] - b[0]), [[1, 0.625], [2, 0], [3, 0.625], [4, 1], [5, 0.25]]);
});

test('scaled values are the value over the highest (negatives count as 0); a rise is a Poisson z; a factor sets a cell apart at half the highest or in the top 5 %', () => {
  assert.deepEqual([...scaledValues(new Map([[1, 30], [2, 300], [3, -4], [4, 0]]))], [[1, 0.1], [2, 1], [3, 0], [4, 0]]);
  assert.deepEqual([...scaledValues(new Map([[1, 0], [2, -1]]))], [[1, 0], [2, 0]]);
  assert.equal(riseEvidence(20, 4), 16 / Math.sqrt(24));
  assert.equal(riseEvidence(147, 166), 0);
  assert.equal(riseEvidence(0, 0), 0);
  assert.equal(setsApart(5, 0.5, 0.1), true);
  assert.equal(setsApart(1, 0.2, 0.96), true);
  assert.equal(setsApart(1, 0.2, 0.9), false);
  assert.equal(setsApart(0, 0, 1), false);
});

test('each target lists its factors by contribution, and the contributions add up to the score', { timeout: 180_000 }, async () => {
  const r = await inRollback((tx) => rankTargets(tx, { top: 10 }));
  assert.equal(r.targets.length, 10);
  const total = Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0);
  for (const t of r.targets) {
    const sum = t.factors.reduce((a, f) => a + f.contribution, 0);
    assert.ok(Math.abs(sum - t.score) < 1e-3, `score ${t.score} vs Σ ${sum}`);
    assert.ok(t.factors.every((f, i) => i === 0 || f.contribution <= t.factors[i - 1]!.contribution));
    assert.match(t.reason, /^近一年案事件 \d+ 起.*(主要因素:|无单项因素突出)/);
    for (const f of t.factors) assert.ok(Math.abs(f.contribution - (DEFAULT_WEIGHTS[f.factor] / total) * f.scaled) < 1e-3, `${f.factor}: ${f.contribution} vs weight × ${f.scaled}`);
    // a main factor sets the cell apart; the place is named, not given as lon/lat
    const named = t.reason.split('主要因素:')[1]?.split('、') ?? [];
    for (const label of named) assert.ok(t.factors.find((f) => f.label === label)!.standsOut, `${label} named but not standing out`);
    assert.ok(t.place.township, `target ${t.rank} has a township`);
    assert.ok(!/经度/.test(t.place.text), t.place.text);
  }
  assert.ok(r.targets.every((t, i) => i === 0 || t.score <= r.targets[i - 1]!.score));
});

test('the planner’s weights steer the ranking: all weight on key places puts the place-richest cell first', { timeout: 180_000 }, async () => {
  const r = await inRollback((tx) => rankTargets(tx, { top: 3, weights: { density: 0, trend: 0, gistar: 0, cameraGap: 0, hazards: 0, places: 1, patrolDeficit: 0 } }));
  const places = (t: (typeof r.targets)[number]) => t.factors.find((f) => f.factor === 'places')!.value;
  assert.equal(r.targets[0]!.factors[0]!.factor, 'places');
  assert.ok(places(r.targets[0]!) >= places(r.targets[2]!));
  // scaled by the county's highest: the place-richest cell scores 1
  assert.equal(r.targets[0]!.score, 1);
  assert.equal(r.targets[0]!.factors.find((f) => f.factor === 'places')!.scaled, 1);
});

test('the density factor is the chosen forecast: the expected incidents of the planner’s forecast layer, cell by cell', { timeout: 240_000 }, async () => {
  await inRollback(async (tx) => {
    const r = await rankTargets(tx, { top: 10 });
    const density = r.method.density as { method: string; horizonDays: number };
    const f = await runCountyForecast(tx, { cellM: 500, asOf: new Date(r.method.reference as string), horizonDays: density.horizonDays, historyDays: 730 });
    assert.equal(density.method, f.method.chosen);
    const expected = new Map(f.cells.map((c) => [c.id, c.expected]));
    for (const t of r.targets) {
      const v = t.factors.find((x) => x.factor === 'density')!.value;
      assert.ok(Math.abs(v - (expected.get(t.cellId) ?? 0)) < 1e-3, `cell ${t.cellId}: density ${v} vs forecast ${expected.get(t.cellId)}`);
      assert.match(t.reason, new RegExp(`预测未来 ${density.horizonDays} 天约 ${v.toFixed(1)} 起`));
    }
  });
});

// A hand-built county of 5 km × 5 km (UTM 50N, far from the demo), 500 m cells: a hot cell H
// with 300 incidents in the year, falling lately (60 in the last 90 days, 90 in the 90 before),
// ringed by 8 cells of 30 — a significant Gi* hot spot; and a quiet cell Q with 30 (20 of them
// in the last 90 days, 4 before), two key places against H's one, and a landslide point.
// No cameras, no patrols anywhere. Percentile ranks among the cells with incidents score the
// two alike (Q's rise, places and hazard are the county's highest; H's density only a few
// ranks above Q's); scaled values let ten times the incidents and a real hot spot decide.
const X0 = 300_000;
const Y0 = 3_000_000;
const REF = Date.parse('2026-11-13T12:00:00Z');
const DAY = 86_400_000;

async function handBuiltCounty(tx: Tx): Promise<void> {
  await tx.query('DELETE FROM incidents');
  await tx.query(`UPDATE admin_areas SET geom = ST_Multi(ST_Transform(ST_MakeEnvelope($1::float8, $2::float8, $1::float8 + 5000, $2::float8 + 5000, 32650), 4326)) WHERE level = 'county'`, [X0, Y0]);
  const rows: Array<{ x: number; y: number; t: number }> = [];
  // n incidents in cell (a, b), spread over the days [d0, d1) and within 150 m of the centre
  const plant = (a: number, b: number, n: number, d0: number, d1: number) => {
    for (let k = 0; k < n; k++) {
      const angle = k * 2.39996;
      const radius = 150 * Math.sqrt((k + 0.5) / n);
      rows.push({ x: X0 + 500 * a + 250 + radius * Math.cos(angle), y: Y0 + 500 * b + 250 + radius * Math.sin(angle), t: REF - 3_600_000 - (d0 + ((d1 - d0) * k) / n) * DAY });
    }
  };
  plant(2, 2, 60, 0, 89);
  plant(2, 2, 90, 90, 179);
  plant(2, 2, 150, 181, 364);
  for (let a = 1; a <= 3; a++) for (let b = 1; b <= 3; b++) if (a !== 2 || b !== 2) plant(a, b, 30, 0, 364);
  plant(7, 7, 20, 0, 89);
  plant(7, 7, 4, 90, 179);
  plant(7, 7, 6, 181, 364);
  for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) if ((a + 2 * b) % 4 === 0 && Math.max(Math.abs(a - 2), Math.abs(b - 2)) > 1 && (a !== 7 || b !== 7)) plant(a, b, 2, 200, 364);
  await tx.query(
    `INSERT INTO incidents (occurred_at, category_code, source, status, geom)
     SELECT to_timestamp(t / 1000), 'criminal.theft', '110', 'closed', ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 32650), 4326)
     FROM unnest($1::float8[], $2::float8[], $3::float8[]) AS u(x, y, t)`,
    [rows.map((r) => r.x), rows.map((r) => r.y), rows.map((r) => r.t)],
  );
  const at = (a: number, b: number, dx: number) => `ST_Transform(ST_SetSRID(ST_MakePoint(${X0 + 500 * a + 250 + dx}, ${Y0 + 500 * b + 250}), 32650), 4326)`;
  await tx.query(`INSERT INTO places (name, place_type, geom) VALUES ('测试集贸市场', 'market', ${at(2, 2, 40)}), ('测试网吧', 'internet_cafe', ${at(7, 7, 40)}), ('测试中学', 'school', ${at(7, 7, -40)})`);
  await tx.query(`INSERT INTO hazards (hazard_type, name, geom) VALUES ('landslide', '测试滑坡', ${at(7, 7, 80)})`);
}

test('hand-built county: ten times the incidents and a significant hot spot outrank a quiet cell whose small factors are the county’s highest', { timeout: 240_000 }, async (ctx) => {
  await inRollback(async (tx) => {
    await handBuiltCounty(tx);
    const r = await rankTargets(tx, { top: 100 });
    const cellOf = async (t: Target) => {
      const p = await one<{ a: number; b: number }>(`SELECT floor((ST_X(q) - $3) / 500)::int AS a, floor((ST_Y(q) - $4) / 500)::int AS b FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), 32650) AS q) s`, [t.lon, t.lat, X0, Y0], 'locating a target', tx);
      return `${p.a},${p.b}`;
    };
    const cells = await Promise.all(r.targets.map(cellOf));
    const h = r.targets[cells.indexOf('2,2')]!;
    const q = r.targets[cells.indexOf('7,7')]!;
    assert.ok(h && q, `cells ${cells.join(' ')}`);
    const f = (t: Target, id: string) => t.factors.find((x) => x.factor === id)!;
    assert.equal(h.rank, 1, `H is rank ${h.rank}`);
    assert.ok(h.rank < q.rank, `H ${h.score} (rank ${h.rank}) vs Q ${q.score} (rank ${q.rank})`);
    assert.match(h.hotspotClass, /^hot-/);
    assert.equal(f(h, 'density').scaled, 1);
    assert.ok(f(q, 'density').scaled < 0.3, `Q density ${f(q, 'density').scaled}`);
    // Q's rise, places and hazard are the highest in the county
    for (const id of ['trend', 'places', 'hazards']) assert.equal(f(q, id).scaled, 1, id);
    // named only where it sets the cell apart: H's hot spot, not Q's
    assert.match(h.reason, /主要因素:.*统计热点/);
    assert.match(h.reason, /主要因素:.*案件密度/);
    assert.doesNotMatch(q.reason, /主要因素:.*统计热点/);
    assert.doesNotMatch(q.reason, /主要因素:.*案件密度/);
    // the size of the difference shows: H scores at least twice Q, where bare percentile ranks
    // (the old score) had them within 15 % of each other (measured: 0.869 against 0.788)
    const total = FACTORS.reduce((a, x) => a + DEFAULT_WEIGHTS[x], 0);
    const byRanks = (t: Target) => FACTORS.reduce((a, x) => a + (DEFAULT_WEIGHTS[x] / total) * f(t, x).rank, 0);
    ctx.diagnostic(`scaled scores: H ${h.score}, Q ${q.score} (rank ${q.rank}); by percentile ranks: H ${byRanks(h).toFixed(3)}, Q ${byRanks(q).toFixed(3)}`);
    assert.ok(h.score >= 2 * q.score, `scaled scores: H ${h.score}, Q ${q.score}`);
    assert.ok(byRanks(h) / byRanks(q) < 1.15, `percentile scores: H ${byRanks(h).toFixed(3)}, Q ${byRanks(q).toFixed(3)}`);
    // no admin areas there: the place falls back to lon/lat, and says so
    assert.match(h.place.text, /^测试集贸市场附近$|经度/);
  });
});

test('bad requests are refused with a sentence', async () => {
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 0 })), (e: unknown) => e instanceof HotspotInputError && /--top/.test(e.message));
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 5, cellM: 10 })), (e: unknown) => e instanceof HotspotInputError && /cell size/.test(e.message));
  await assert.rejects(() => inRollback((tx) => rankTargets(tx, { top: 5, weights: { density: 0, trend: 0, gistar: 0, cameraGap: 0, hazards: 0, places: 0, patrolDeficit: 0 } })), /weight above 0/);
});
