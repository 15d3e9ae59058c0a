// Live events (server/live) on the real database: an event exists only when its change
// commits; the hub passes each committed event on once, in id order, filtered by scope;
// a reconnecting stream resumes after its last id; camera statuses keep only transitions,
// with history; the simulator is a pure function of seed and clock, writes a bucket once,
// and moves incidents along 受理 → 流转 → 处置 → 办结 without going back; the wall's panels
// count what independent SQL counts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback, TEST_ACTOR } from '../helpers';
import { many, one } from '../../server/db/index';
import { withScope } from '../../server/db/scope';
import { emit, LiveHub, visibleTo, type LiveEvent } from '../../server/live/outbox';
import { addIncidents, advanceIncidents, setCameraStatuses } from '../../server/live/changes';
import { BUCKET_MS, loadModel, simulate } from '../../server/live/simulator';
import { wallPanels } from '../../server/services/wall/panels';
import type { Actor } from '../../server/context';

const write = <T>(fn: Parameters<typeof withScope<T>>[2]) => withScope(TEST_ACTOR, { attempted: 'test write' }, fn);

after(async () => {
  await write(async (tx) => {
    await many(`DELETE FROM incidents WHERE external_id LIKE 'sim-test-%'`, [], 'cleanup', tx);
    await many(`DELETE FROM live_events WHERE payload ->> 'test' = 'yes' OR topic = 'incident.new' AND payload ->> 'summary' = '测试'`, [], 'cleanup', tx);
  });
});

test('an event is seen only when its transaction commits, once, in id order, within the reader\'s scope', async () => {
  const hub = new LiveHub(60_000); // polled by hand
  await hub.start();
  const got: LiveEvent[] = [];
  hub.listen((e) => got.push(e));
  // rolled back: never seen
  await inRollback((tx) => emit(tx, [{ topic: 'data.import', township: null, payload: { test: 'yes', n: 0 } }]));
  await write((tx) => emit(tx, [
    { topic: 'data.import', township: null, payload: { test: 'yes', n: 1 } },
    { topic: 'data.import', township: '000000000001', payload: { test: 'yes', n: 2 } },
  ]));
  await hub.poll();
  await hub.poll(); // the late window is read again: nothing is passed on twice
  const mine = got.filter((e) => e.payload.test === 'yes');
  assert.deepEqual(mine.map((e) => e.payload.n), [1, 2]);
  assert.ok(BigInt(mine[0]!.id) < BigInt(mine[1]!.id));
  const officer: Actor = { ...TEST_ACTOR, townships: ['000000000002'] };
  assert.equal(visibleTo(officer, mine[0]!), true, 'county-wide events reach everyone');
  assert.equal(visibleTo(officer, mine[1]!), false, "another township's event does not");
  assert.equal(visibleTo(TEST_ACTOR, mine[1]!), true);
  // a client that was away gets what it missed, from memory or from the table
  const missed = await hub.since(BigInt(mine[0]!.id));
  assert.deepEqual(missed!.filter((e) => e.payload.test === 'yes').map((e) => e.payload.n), [2]);
  const fresh = new LiveHub(60_000);
  await fresh.start();
  const fromTable = await fresh.since(BigInt(mine[0]!.id) - 1n);
  assert.deepEqual(fromTable!.filter((e) => e.payload.test === 'yes').map((e) => e.payload.n), [1, 2]);
  hub.stop();
  fresh.stop();
});

test('camera statuses keep transitions only, with history, and tell the wall of recent ones', async () => {
  await inRollback(async (tx) => {
    const cam = await one<{ id: number; status: string }>(`SELECT id, status FROM cameras WHERE status = 'online' ORDER BY id LIMIT 1`, [], 'a camera', tx);
    const t = Date.now();
    const n = await setCameraStatuses(tx, [
      { cameraId: cam.id, status: 'online', at: new Date(t - 3000) }, // no change
      { cameraId: cam.id, status: 'offline', at: new Date(t - 2000) },
      { cameraId: cam.id, status: 'offline', at: new Date(t - 1000) }, // no change
      { cameraId: cam.id, status: 'online', at: new Date(t) },
    ], 'push', t);
    assert.deepEqual(n, { written: 2, unchanged: 2, stale: 0 });
    const h = await many<{ status: string; source: string }>(`SELECT status, source FROM camera_status_history WHERE camera_id = $1 AND source = 'push' ORDER BY changed_at`, [cam.id], 'history', tx);
    assert.deepEqual(h.map((x) => x.status), ['offline', 'online']);
    const ev = await many<{ payload: { status: string } }>(`SELECT payload FROM live_events WHERE topic = 'camera.status' AND (payload ->> 'id')::int = $1 AND payload ->> 'source' = 'push' ORDER BY id`, [cam.id], 'events', tx);
    assert.deepEqual(ev.map((e) => e.payload.status), ['offline', 'online']);
    assert.equal((await one<{ status: string }>(`SELECT status FROM cameras WHERE id = $1`, [cam.id], 'camera', tx)).status, 'online');
  });
});

test('the simulator is a function of seed and clock, at the county\'s rate', async () => {
  const model = await inRollback((tx) => loadModel(tx));
  assert.ok(model, 'the demo county has a history to resample');
  const day = Math.floor(Date.UTC(2026, 11, 1) / BUCKET_MS);
  const a = simulate(model, day, day + 8640, 1, new Map());
  const b = simulate(model, day, day + 8640, 1, new Map());
  assert.deepEqual(a, b);
  // a day's count is Poisson with the county's daily rate: within 5 standard deviations
  const sd = Math.sqrt(model.dailyRate);
  assert.ok(Math.abs(a.incidents.length - model.dailyRate) < 5 * sd + 1, `${a.incidents.length} incidents for a daily rate of ${model.dailyRate.toFixed(1)}`);
  const ten = simulate(model, day, day + 8640, 10, new Map());
  assert.ok(ten.incidents.length > 5 * a.incidents.length, 'rate 10 gives about ten times as many');
  // every new incident copies a historical category near a historical place
  const cats = new Set(model.all.map((t) => t.category));
  for (const i of a.incidents) assert.ok(cats.has(i.categoryCode));
  assert.ok(a.fixes.length > 0, 'patrol teams on shift move');
});

test('simulated incidents move forward through their handling steps, and a bucket is written once', async () => {
  await inRollback(async (tx) => {
    const model = (await loadModel(tx))!;
    const t0 = Date.now() - 30 * 3_600_000;
    const rows = Array.from({ length: 40 }, (_, k) => {
      const tpl = model.all[k * 7 % model.all.length]!;
      return { externalId: `sim-test-${k}`, occurredAt: new Date(t0 + k * 1000), categoryCode: tpl.category, source: '110' as const, severity: 'ordinary' as const, summary: '测试', lon: tpl.lon, lat: tpl.lat };
    });
    assert.equal((await addIncidents(tx, rows)).length, 40);
    assert.equal((await addIncidents(tx, rows)).length, 0, 'the same rows again are skipped');
    const RANK: Record<string, number> = { received: 0, dispatched: 1, handling: 2, supervised: 3, closed: 4 };
    let last = new Map<string, number>();
    for (const hours of [0.1, 0.5, 1, 3, 10, 25, 30]) {
      await advanceIncidents(tx, new Date(t0 + hours * 3_600_000));
      const now = await many<{ external_id: string; status: string }>(`SELECT external_id, status FROM incidents WHERE external_id LIKE 'sim-test-%'`, [], 'statuses', tx);
      for (const r of now) assert.ok(RANK[r.status]! >= (last.get(r.external_id) ?? 0), `${r.external_id} never goes back`);
      last = new Map(now.map((r) => [r.external_id, RANK[r.status]!]));
    }
    // at 30 h: all dispatched and handled; closed unless under supervision
    assert.ok([...last.values()].every((r) => r >= 3), 'after 30 hours each is closed or supervised');
    const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM incident_status_history h JOIN incidents i ON i.id = h.incident_id AND i.occurred_at = h.incident_occurred_at WHERE i.external_id LIKE 'sim-test-%'`, [], 'history', tx);
    await advanceIncidents(tx, new Date(t0 + 30 * 3_600_000));
    const again = await one<{ n: number }>(`SELECT count(*)::int AS n FROM incident_status_history h JOIN incidents i ON i.id = h.incident_id AND i.occurred_at = h.incident_occurred_at WHERE i.external_id LIKE 'sim-test-%'`, [], 'history', tx);
    assert.equal(again.n, before.n, 'the same clock again writes nothing');
    const bad = await one<{ n: number }>(`SELECT count(*)::int AS n FROM incident_status_history h JOIN incidents i ON i.id = h.incident_id AND i.occurred_at = h.incident_occurred_at WHERE i.external_id LIKE 'sim-test-%' AND h.changed_at > $1`, [new Date(t0 + 30 * 3_600_000)], 'future', tx);
    assert.equal(bad.n, 0, 'no step lies after the clock');
  });
});

test("the wall's panels count today's incidents and camera status as independent SQL does", async () => {
  await inRollback(async (tx) => {
    const model = (await loadModel(tx))!;
    const tpl = model.all[0]!;
    const now = Date.now();
    await addIncidents(tx, [0, 1, 2].map((k) => ({ externalId: `sim-test-p${k}`, occurredAt: new Date(now - (k + 1) * 60_000), categoryCode: tpl.category, source: '110' as const, severity: 'ordinary' as const, summary: '测试', lon: tpl.lon, lat: tpl.lat })));
    const p = await wallPanels(tx, now);
    const midnight = new Date(`${p.today}T00:00:00+08:00`);
    const n = await one<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2`, [midnight, new Date(now)], 'today', tx);
    assert.equal(p.incidents.total, n.n);
    assert.ok(p.incidents.total >= 3);
    assert.equal(p.incidents.byCategory.reduce((a, c) => a + c.today, 0), n.n);
    assert.equal(p.incidents.byHour.reduce((a, h) => a + (h.today ?? 0), 0), n.n);
    assert.ok(p.feed.slice(0, 3).every((f) => f.summary === '测试' || f.occurred_at.getTime() <= now));
    const cams = await one<{ total: number; online: number }>(`SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'online'))::int AS online FROM cameras`, [], 'cameras', tx);
    assert.equal(p.cameras.total, cams.total);
    assert.equal(p.cameras.online, cams.online);
    for (const h of p.cameras.hours) assert.ok(h.rate === null || (h.rate >= 0 && h.rate <= 1));
  });
});
