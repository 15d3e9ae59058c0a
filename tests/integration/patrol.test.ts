// Patrol analytics on the real database with hand-built tracks whose answers are known:
// cleaning drops exactly the planted bad fixes (through the import pipeline, raw fixes
// kept), a 12-minute stop is one Koper visit, a 40-second pass is a drive-through, two
// stops 3 hours apart in a hot period break the 2-hour rule (and 2 hours apart do not).
// The period is in 2020, before the demo county's data, so only these fixes count.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inRollback } from '../helpers';
import { getDatabase, many, one, sql } from '../../server/db/index';
import type { Tx } from '../../server/db/scope';
import { runImport } from '../../server/import/pipeline';
import { cleanTrack, type RawFix } from '../../server/services/patrol/clean';
import { patrolDosage } from '../../server/services/patrol/dosage';
import { PATROL_RULES } from '../../server/services/patrol/rules';
import { patrolVisibility } from '../../server/services/patrol/visibility';
import { routeCoverage } from '../../server/services/patrol/coverage';
import { suggestRoute } from '../../server/services/patrol/suggest';
import { buildGraph, nearestNode, shortestPath, type Segment } from '../../server/services/patrol/route-plan';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-patrol-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A point `dx`, `dy` metres east and north of (lon, lat). */
const offset = ([lon, lat]: [number, number], dx: number, dy: number): [number, number] => [lon + dx / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + dy / 110_574];

async function inCounty(tx: Tx): Promise<[number, number]> {
  const r = await one<{ lon: number; lat: number }>(`SELECT ST_X(centre) AS lon, ST_Y(centre) AS lat FROM admin_areas WHERE level = 'township' AND centre IS NOT NULL ORDER BY code LIMIT 1`, [], 'a township centre', tx);
  return [r.lon, r.lat];
}

test('cleaning (pure): each rule drops exactly its planted fix; a silence splits the track', () => {
  const t0 = Date.UTC(2020, 2, 10, 12);
  const at = (i: number) => offset([117.6, 25.7], i * 10, 0);
  const fix = (key: number, s: number, p: [number, number], outside = false): RawFix => ({ key, t: t0 + s * 1000, lon: p[0], lat: p[1], outside });
  const fixes: RawFix[] = [
    fix(1, 0, at(0)), fix(2, 10, at(1)), fix(3, 20, at(2)),
    fix(4, 5, at(3)), // time going backwards
    fix(5, 20, at(3)), // the same time as the last kept fix
    fix(6, 30, offset(at(3), 5000, 0)), // 5 km in 10 s
    fix(7, 40, [119.9, 27.9], true), // outside the county
    fix(8, 40, at(4)), fix(9, 50, at(5)),
    fix(10, 50 + 31 * 60, at(6)), fix(11, 60 + 31 * 60, at(7)), // after a 31-minute silence: a new piece
  ];
  const r = cleanTrack('T', fixes);
  assert.deepEqual(r.drops.map((d) => [d.key, d.rule]), [[4, 'backwards'], [5, 'duplicate'], [6, 'speed'], [7, 'outside']]);
  assert.deepEqual(r.dropped, { outside: 1, backwards: 1, duplicate: 1, speed: 1 });
  assert.equal(r.kept, 7);
  assert.deepEqual(r.segments.map((s) => s.fixes), [5, 2]);
  assert.equal(r.intervalS, 10);
  assert.match(r.drops[2]!.detail, /^50\d\d m in 10 s/);
});

test('an imported dirty track: the planted fixes are dropped, reported per track and kept raw', async () => {
  await inRollback(async (tx) => {
    const base = await inCounty(tx);
    const t0 = Date.UTC(2020, 2, 10, 12);
    const time = (s: number) => new Date(t0 + s * 1000).toISOString();
    const rows: [number, [number, number]][] = [
      [0, offset(base, 0, 0)], [10, offset(base, 10, 0)], [20, offset(base, 20, 0)],
      [5, offset(base, 30, 0)], // backwards
      [20, offset(base, 30, 0)], // duplicate time
      [30, offset(base, 5030, 0)], // a 5 km jump in 10 s
      [40, [base[0] + 3, base[1] + 3]], // outside the county
      [40, offset(base, 40, 0)], [50, offset(base, 50, 0)],
    ];
    const csv = ['设备号,定位时间,经度,纬度', ...rows.map(([s, [lon, lat]]) => `TEST-DIRTY,${time(s)},${lon.toFixed(7)},${lat.toFixed(7)}`)].join('\n');
    const file = path.join(dir, 'dirty.csv');
    fs.writeFileSync(file, csv);
    const report = await runImport(tx, { layer: 'patrol-tracks', file, allowOutside: true });
    assert.equal(report.accepted, 5, JSON.stringify(report));
    assert.equal(report.cleaned?.length, 1);
    assert.deepEqual(report.cleaned![0]!.dropped, { outside: 1, backwards: 1, duplicate: 1, speed: 1 });
    assert.ok(report.warningsZh.some((w) => w.includes('轨迹清洗') && w.includes('时间倒退 1')), report.warningsZh.join('\n'));
    const kept = await many<{ t: string }>(`SELECT recorded_at::text AS t FROM patrol_track_points WHERE device_id = 'TEST-DIRTY' ORDER BY recorded_at`, [], 'kept fixes', tx);
    assert.equal(kept.length, 5);
    const rejects = await many<{ rule: string; row_no: number }>(`SELECT rule, row_no FROM patrol_fix_rejects WHERE device_id = 'TEST-DIRTY' ORDER BY row_no`, [], 'rejects', tx);
    // CSV rows are numbered from the header's next line (row 2)
    assert.deepEqual(rejects.map((r) => [r.row_no, r.rule]), [[5, 'backwards'], [6, 'duplicate'], [7, 'speed'], [8, 'outside']]);
    const rep = await one<{ fixes: number; kept: number; dropped: Record<string, number>; interval_s: number }>(`SELECT fixes, kept, dropped, interval_s FROM patrol_cleaning WHERE device_id = 'TEST-DIRTY'`, [], 'cleaning report', tx);
    assert.deepEqual([rep.fixes, rep.kept, rep.interval_s], [9, 5, 10]);
  });
});

/** Fixes every `stepS` seconds from `fromS` to `toS` (seconds after t0) at one place. */
function still(t0: number, fromS: number, toS: number, stepS: number, p: [number, number]) {
  const out: { t: Date; p: [number, number] }[] = [];
  for (let s = fromS; s <= toS; s += stepS) out.push({ t: new Date(t0 + s * 1000), p });
  return out;
}

async function insertFixes(tx: Tx, device: string, fixes: { t: Date; p: [number, number] }[]) {
  const team = await one<{ id: number }>('SELECT min(id) AS id FROM patrol_teams', [], 'a team', tx);
  await tx.query(
    `INSERT INTO patrol_track_points (team_id, device_id, recorded_at, geom)
     SELECT $1, $2, t, ST_SetSRID(ST_MakePoint(x, y), 4326) FROM unnest($3::timestamptz[], $4::float8[], $5::float8[]) AS u(t, x, y)`,
    [team.id, device, fixes.map((f) => f.t), fixes.map((f) => f.p[0]), fixes.map((f) => f.p[1])],
  );
}

/** A 100 m square around `c` as GeoJSON. */
function square(c: [number, number]) {
  const ring = [[-50, -50], [50, -50], [50, 50], [-50, 50], [-50, -50]].map(([dx, dy]) => offset(c, dx!, dy!));
  return { type: 'Polygon' as const, coordinates: [ring] };
}

test('a 12-minute stop is one Koper visit; a 40-second pass is a drive-through, not a visit', async () => {
  await inRollback(async (tx) => {
    const c = offset(await inCounty(tx), 3000, 3000);
    const t0 = Date.parse('2020-03-10T10:00:00+08:00');
    const away = offset(c, 1500, 0);
    // 10:00 approach from 1.5 km, 10:05–10:17 stopped in the area, then away
    await insertFixes(tx, 'TEST-STOP', [...still(t0, 0, 270, 30, away), ...still(t0, 300, 300 + 12 * 60, 30, c), ...still(t0, 300 + 12 * 60 + 30, 1800, 30, away)]);
    // 14:00 a pass: in the area for 40 s (fixes every 10 s)
    const t1 = Date.parse('2020-03-10T14:00:00+08:00');
    await insertFixes(tx, 'TEST-PASS', [...still(t1, 0, 50, 10, away), ...still(t1, 60, 100, 10, c), ...still(t1, 110, 200, 10, away)]);
    const r = await patrolDosage(tx, { period: { from: '2020-03-10', to: '2020-03-11' }, areas: { kind: 'drawn', name: '测试区域', geometry: square(c) } });
    const a = r.areas[0]!;
    assert.equal(a.visits, 1);
    assert.equal(a.driveThroughs, 1);
    assert.equal(a.koperVisits, 1);
    assert.equal(a.meanVisitMinutes, 12);
    assert.equal(a.presenceMinutes, 12.7, 'the visit (12 min) and the pass (40 s)');
    assert.deepEqual(a.bands.map((b) => [b.name, b.visits, b.driveThroughs]), [['凌晨', 0, 0], ['上午', 1, 0], ['下午', 0, 1], ['晚间', 0, 0]]);
    const team = r.teams[0]!;
    assert.deepEqual([team.visits, team.koperVisits, team.driveThroughs], [1, 1, 1]);
  });
});

test('two stops 3 hours apart in a hot period break the 2-hour rule; 2 hours apart keep it', async () => {
  await inRollback(async (tx) => {
    const c = offset(await inCounty(tx), -3000, 3000);
    // incidents at 20, 21 and 22 h China time on days before the period: those are the hot hours
    await tx.query(
      `INSERT INTO incidents (occurred_at, category_code, source, status, geom)
       SELECT ('2020-02-01T00:00:00+08:00'::timestamptz + d * interval '1 day' + h * interval '1 hour' + interval '10 minutes'), 'criminal.theft', '110', 'closed', ST_SetSRID(ST_MakePoint($1, $2), 4326)
       FROM generate_series(0, 3) d, unnest(ARRAY[20, 21, 22]) h`, [c[0], c[1]],
    );
    const rules = { ...PATROL_RULES, koper: { ...PATROL_RULES.koper, hotHoursShare: 1 } };
    const day = Date.parse('2020-03-10T00:00:00+08:00');
    const stop = (device: string, hour: number) => insertFixes(tx, device, still(day, hour * 3600, hour * 3600 + 12 * 60, 30, c));
    await stop('TEST-A', 20);
    await stop('TEST-A', 23);
    const period = { from: '2020-03-10', to: '2020-03-11' };
    const area = { kind: 'drawn' as const, name: '热时段区域', geometry: square(c) };
    const r = await patrolDosage(tx, { period, areas: area }, rules);
    const a = r.areas[0]!;
    assert.deepEqual(a.hotHours, [20, 21, 22]);
    assert.equal(a.incidents, 12);
    assert.equal(a.visits, 2);
    assert.deepEqual([a.hotSlots, a.hotSlotsMet], [3, 2], 'the 22 h slot ends 2 h 48 min after the last visit');
    assert.equal(a.medianGapMinutes, 168);
    await tx.query(`DELETE FROM patrol_track_points WHERE device_id = 'TEST-A'`);
    await stop('TEST-B', 20);
    await stop('TEST-B', 22);
    const b = (await patrolDosage(tx, { period, areas: area }, rules)).areas[0]!;
    assert.deepEqual([b.hotSlots, b.hotSlotsMet], [3, 3]);
  });
});

// ---- on the demo county's own tracks, hotspots and roads ----

async function lastWeek(tx: Tx): Promise<{ from: string; to: string }> {
  const r = await one<{ last: string }>(`SELECT to_char((max(recorded_at) AT TIME ZONE 'UTC') + interval '32 hours', 'YYYY-MM-DD') AS last FROM patrol_track_points`, [], 'the last fix', tx);
  const to = r.last;
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

test('demo county: dosage of the Gi* hotspots, 见警率 by grid, route coverage and a suggested loop agree with their own definitions', async () => {
  await inRollback(async (tx) => {
    const period = await lastWeek(tx);
    const d = await patrolDosage(tx, { period, areas: { kind: 'hotspots' } });
    assert.ok(d.areas.length >= 5, `hotspots found (${d.areas.length})`);
    assert.ok(d.totals.visits > 0, 'patrols visit some hotspots');
    for (const a of d.areas) {
      assert.equal(a.bands.reduce((t, b) => t + b.visits, 0), a.visits);
      assert.ok(a.koperVisits <= a.visits && a.hotSlotsMet <= a.hotSlots);
      assert.ok(a.presenceMinutes >= (a.meanVisitMinutes ?? 0) * a.visits - 0.1 * a.visits - 1e-6);
    }
    assert.ok(d.teams.length >= 3 && d.teams.every((t) => t.koperVisits + t.shortVisits + t.longVisits === t.visits));

    const v = await patrolVisibility(tx, { period });
    assert.equal(v.method.unit, 'grid');
    assert.equal(v.hours.length, 24);
    assert.ok(v.rate! > 0 && v.rate! < 1, `见警率 ${v.rate}`);
    const cells = v.units.reduce((t, u) => t + u.cells, 0);
    assert.ok(Math.abs(v.units.reduce((t, u) => t + u.cellsMet, 0) / cells - v.rate!) < 1e-9);
    assert.ok(v.peaks.every((p) => p.miss === p.presenceShare < 0.5));

    const c = await routeCoverage(tx, { to: period.to });
    assert.ok(c.method.routes > 0);
    for (const i of c.items) assert.equal(i.covered, i.distanceM !== null && i.distanceM <= c.method.withinM);
    assert.equal(c.uncovered.length, c.items.filter((i) => !i.covered).length);
    const places = c.kinds.find((k) => k.kind === 'place')!;
    assert.ok(places.total > 0 && places.covered > 0 && places.covered < places.total, JSON.stringify(places));

    const team = await one<{ id: number }>(`SELECT id FROM patrol_teams ORDER BY id LIMIT 1`, [], 'a team', tx);
    const s = await suggestRoute(tx, { teamId: team.id, shift: { start: '20:00', end: '22:00' }, to: period.to });
    assert.ok(s.stops.length >= 1, JSON.stringify(s.leftOut.slice(0, 3)));
    assert.ok(s.minutes.total <= 120, `within the shift (${s.minutes.total} min)`);
    assert.ok(s.weight.collected <= s.weight.available && s.weight.collected > 0);
    assert.deepEqual(s.stops.map((x) => x.arriveMinute), [...s.stops.map((x) => x.arriveMinute)].sort((a, b) => a - b));
    const ends = [s.path[0]!, s.path[s.path.length - 1]!];
    assert.deepEqual(ends[0], ends[1], 'a loop: it ends where it starts');
  });
});

test('suggested routes: road path costs equal pgRouting\'s (real PostGIS only)', { skip: !process.env.DATABASE_URL && 'pgRouting exists on PostgreSQL only (PGlite has no pgrouting)' }, async () => {
  const db = await getDatabase();
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('CREATE EXTENSION IF NOT EXISTS pgrouting');
    const county = await one<{ srid: number; x: number; y: number }>(
      `WITH s AS (SELECT (32600 + floor((ST_X(ST_Centroid(geom)) + 180) / 6)::int + 1) AS srid, centre FROM admin_areas WHERE level = 'township' AND centre IS NOT NULL ORDER BY code LIMIT 1)
       SELECT srid, ST_X(ST_Transform(centre, srid)) AS x, ST_Y(ST_Transform(centre, srid)) AS y FROM s`, [], 'a township centre', c,
    );
    const segs = await many<Segment>(sql('patrol/road-segments.sql'), [county.srid, county.x, county.y, 3000, 100_000], 'road segments', c);
    const g = buildGraph(segs);
    const edges: [number, number, number][] = [];
    g.graph.forEachLink((l) => { edges.push([Number(l.fromId), Number(l.toId), l.data.m]); });
    await c.query(`CREATE TEMP TABLE route_edges AS SELECT row_number() OVER () AS id, s::bigint AS source, t::bigint AS target, m AS cost, m AS reverse_cost FROM unnest($1::int[], $2::int[], $3::float8[]) AS u(s, t, m)`,
      [edges.map((e) => e[0]), edges.map((e) => e[1]), edges.map((e) => e[2])]);
    const base = nearestNode(g, county.x, county.y)!.id;
    const comp = g.graph.getNode(base)!.data.component;
    const nodes: number[] = [];
    g.graph.forEachNode((n) => { if (n.data.component === comp && nodes.length < 5000) nodes.push(Number(n.id)); });
    const targets = Array.from({ length: 12 }, (_, i) => nodes[Math.floor(((i + 1) * nodes.length) / 13)]!);
    const ours = targets.map((t) => shortestPath(g, base, t)!.m);
    const theirs = await many<{ end_vid: string; agg_cost: number }>(
      `SELECT end_vid, agg_cost FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM route_edges', $1::bigint, $2::bigint[], directed => false) ORDER BY end_vid`,
      [base, targets], 'pgRouting costs', c,
    );
    const byEnd = new Map(theirs.map((r) => [Number(r.end_vid), r.agg_cost]));
    assert.ok(edges.length > 100, `a real network (${edges.length} links)`);
    for (const [i, t] of targets.entries()) {
      if (t === base) continue;
      assert.ok(Math.abs(ours[i]! - byEnd.get(t)!) < 1e-6 * Math.max(1, ours[i]!), `node ${t}: ${ours[i]} m against pgRouting ${byEnd.get(t)} m`);
    }
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
});

test('a drawn area is checked: a self-crossing outline is repaired, one with no area or outside the county is refused in Chinese', async () => {
  await inRollback(async (tx) => {
    const c = await inCounty(tx);
    const [a, b, d, e] = [offset(c, 0, 0), offset(c, 200, 200), offset(c, 200, 0), offset(c, 0, 200)];
    const period = { from: '2020-03-10', to: '2020-03-11' };
    const bowTie = await patrolDosage(tx, { period, areas: { kind: 'drawn', name: '交叉', geometry: { type: 'Polygon', coordinates: [[a, b, d, e, a]] } } });
    assert.equal(bowTie.areas.length, 1);
    assert.ok(['Polygon', 'MultiPolygon'].includes(bowTie.areas[0]!.geometry.type));
    await assert.rejects(() => patrolDosage(tx, { period, areas: { kind: 'drawn', name: '一条线', geometry: { type: 'Polygon', coordinates: [[a, offset(c, 100, 0), d, a]] } } }), (err: Error & { zh?: string }) => /面积为零/.test(err.zh ?? ''));
    const far: [number, number] = [c[0] + 5, c[1] + 5];
    await assert.rejects(() => patrolDosage(tx, { period, areas: { kind: 'drawn', name: '县外', geometry: { type: 'Polygon', coordinates: [[far, offset(far, 100, 0), offset(far, 100, 100), far]] } } }), (err: Error & { zh?: string }) => /不在本县范围内/.test(err.zh ?? ''));
    // the schema: an open ring, and a period longer than the bound
    await assert.rejects(() => patrolDosage(tx, { period, areas: { kind: 'drawn', name: '开口', geometry: { type: 'Polygon', coordinates: [[a, b, d, e]] } } }), /closed rings/);
    await assert.rejects(() => patrolDosage(tx, { period: { from: '2020-01-01', to: '2020-12-31' }, areas: { kind: 'targets' } }), /longer than 92 days/);
  });
});
