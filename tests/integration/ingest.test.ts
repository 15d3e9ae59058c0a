// Feeds from outside (server/live/ingest.ts, platform.ts) on the real database: a camera
// status push writes transitions with history and live events, repeats nothing, keeps
// older changes out; a hazard alert push raises, upgrades (same alert id) and lifts; a bad
// push is refused with every problem by item and field and writes nothing; a feed limited
// to a township cannot touch another's cameras; feed tokens resolve until revoked; hostile
// bodies never reach the database as anything but a refusal or a valid push; the video
// platform poller reads a local fake platform page by page, reports what it cannot map and
// writes nothing when a page fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { inRollback, TEST_ACTOR } from '../helpers';
import { many, one } from '../../server/db/index';
import { withScope, type Tx } from '../../server/db/scope';
import { CameraStatusPush, HazardAlertPush, IngestError, ingestCameraStatus, ingestHazardAlerts, problemOfPath, problemsOfZod } from '../../server/live/ingest';
import { applyPlatform, PlatformError, platformConfig, readPlatform, type PlatformConfig } from '../../server/live/platform';
import { addFeed, resolveFeed, revokeFeed } from '../../server/auth/accounts';
import { hostileValue, perturbedOf } from '../hostile/zod-arbitrary';
import type { Actor } from '../../server/context';

const SOURCE = 'feed:test';
const iso = (ms: number) => new Date(ms).toISOString();

interface Cam { id: number; gb_id: string; external_id: string | null; status: string; township_code: string }
async function cameras(tx: Tx, n: number): Promise<Cam[]> {
  // cameras whose 国标编码 is theirs alone, with a township
  return many<Cam>(
    `SELECT id, gb_id, external_id, status, township_code FROM cameras c
     WHERE gb_id ~ '^\\d{20}$' AND township_code IS NOT NULL AND (SELECT count(*) FROM cameras d WHERE d.gb_id = c.gb_id) = 1
     ORDER BY id LIMIT $1`, [n], 'test cameras', tx,
  );
}
const history = (tx: Tx, id: number) => many<{ status: string; source: string }>(
  `SELECT status, source FROM camera_status_history WHERE camera_id = $1 AND source = $2 ORDER BY changed_at, id`, [id, SOURCE], 'history', tx,
);

function push<T>(schema: { parse(v: unknown): T }, body: unknown): T {
  return schema.parse(body);
}

test('a camera status push writes transitions with history and events; a repeat is unchanged, an older one stale', async () => {
  await inRollback(async (tx) => {
    const [a, b, c] = await cameras(tx, 3);
    assert.ok(a && b && c, 'the test county has cameras with unique ids');
    const t = Date.now() - 60_000;
    const body = {
      items: [
        { gbId: a.gb_id, status: a.status === 'online' ? 'OFF' : 'ON', at: iso(t) },
        { gbId: b.gb_id, status: 'faulty', at: iso(t) },
        { gbId: c.gb_id, status: c.status, at: iso(t) }, // already so
      ],
    };
    const r = await ingestCameraStatus(tx, push(CameraStatusPush, body), SOURCE);
    const bChanges = b.status === 'faulty' ? 0 : 1;
    assert.deepEqual(r, { received: 3, applied: 1 + bChanges, unchanged: 2 - bChanges, stale: 0 });
    assert.deepEqual((await history(tx, a.id)).map((h) => h.status), [a.status === 'online' ? 'offline' : 'online']);
    const ev = await many<{ payload: { id: number; source: string } }>(`SELECT payload FROM live_events WHERE topic = 'camera.status' AND payload ->> 'source' = $1`, [SOURCE], 'events', tx);
    assert.equal(ev.length, 1 + bChanges, 'one live event per transition');
    // the same push again: nothing new
    assert.deepEqual(await ingestCameraStatus(tx, push(CameraStatusPush, body), SOURCE), { received: 3, applied: 0, unchanged: 3, stale: 0 });
    // a change older than the last one recorded for the camera is kept out of the history
    const old = await ingestCameraStatus(tx, push(CameraStatusPush, { items: [{ gbId: a.gb_id, status: a.status, at: iso(t - 3_600_000) }] }), SOURCE);
    assert.deepEqual(old, { received: 1, applied: 0, unchanged: 0, stale: 1 });
    assert.equal((await history(tx, a.id)).length, 1);
    // by the register's own device number
    if (c.external_id) {
      const byExt = await ingestCameraStatus(tx, push(CameraStatusPush, { items: [{ externalId: c.external_id, status: c.status === 'offline' ? 'online' : 'offline', at: iso(t + 1000) }] }), SOURCE);
      assert.equal(byExt.applied, 1);
    }
  });
});

test('a bad push is refused whole, with each problem by item and field, and writes nothing', async () => {
  await inRollback(async (tx) => {
    const [a] = await cameras(tx, 1);
    const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM camera_status_history`, [], 'count', tx);
    // the schema: a bad status at item 2, a time without its zone at item 3, both ids at item 4
    const bad = CameraStatusPush.safeParse({
      items: [
        { gbId: a!.gb_id, status: 'offline', at: iso(Date.now()) },
        { gbId: a!.gb_id, status: 'sleeping', at: iso(Date.now()) },
        { gbId: a!.gb_id, status: 'online', at: '2026-12-01 08:00:00' },
        { gbId: a!.gb_id, externalId: 'x', status: 'online', at: iso(Date.now()) },
        { gbId: a!.gb_id, status: 'online', at: iso(Date.now() + 3_600_000) },
      ],
    });
    assert.equal(bad.success, false);
    const problems = bad.error!.issues.map((i) => problemOfPath(i.path, i.message));
    assert.deepEqual(problems.map((p) => [p.item, p.path]), [[2, 'items[1].status'], [3, 'items[2].at'], [4, 'items[3]'], [5, 'items[4].at']]);
    assert.match(problems[0]!.message, /sleeping.*无法识别/);
    assert.match(problems[1]!.message, /须带时区/);
    assert.match(problems[3]!.message, /晚于当前时间/);
    // the register: an unknown camera at item 2 refuses the push, item 1 included
    const err = await ingestCameraStatus(tx, push(CameraStatusPush, {
      items: [
        { gbId: a!.gb_id, status: a!.status === 'online' ? 'offline' : 'online', at: iso(Date.now()) },
        { gbId: '35990199999999999999', status: 'offline', at: iso(Date.now()) },
      ],
    }), SOURCE).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof IngestError, String(err));
    assert.deepEqual(err.problems.map((p) => [p.item, p.path]), [[2, 'items[1].gbId']]);
    assert.match(err.zh, /未写入任何数据.*第 2 项.*35990199999999999999/);
    assert.equal((await one<{ n: number }>(`SELECT count(*)::int AS n FROM camera_status_history`, [], 'count', tx)).n, before.n);
  });
});

test('hazard alerts: raised, upgraded under the same alert id, lifted; on_alert follows; an alert id is one hazard\'s', async () => {
  await inRollback(async (tx) => {
    const hz = await many<{ id: number; external_id: string | null }>(`SELECT id, external_id FROM hazards WHERE NOT on_alert ORDER BY id LIMIT 2`, [], 'hazards', tx);
    assert.equal(hz.length, 2);
    const [h, other] = hz as [{ id: number; external_id: string | null }, { id: number }];
    const t = Date.now() - 300_000; // within the 10 minutes that are news for the wall
    const ref = h.external_id ? { hazardCode: h.external_id } : { hazardId: h.id };
    const r1 = await ingestHazardAlerts(tx, push(HazardAlertPush, {
      items: [
        { ...ref, level: '黄色预警', at: iso(t), alertId: 'W-1', note: '强降雨' },
        { ...ref, level: 'orange', at: iso(t + 60_000), alertId: 'W-1' },
      ],
    }), SOURCE);
    assert.deepEqual(r1, { received: 2, applied: 3, unchanged: 0, stale: 0 }, 'yellow started, yellow ended, orange started');
    const alerts = await many<{ level: string; ends_at: Date | null; external_id: string; note: string | null }>(
      `SELECT level, ends_at, external_id, note FROM hazard_alerts WHERE hazard_id = $1 AND source = $2 ORDER BY starts_at`, [h.id, SOURCE], 'alerts', tx,
    );
    assert.deepEqual(alerts.map((a) => [a.level, a.ends_at?.getTime() ?? null, a.external_id]), [['yellow', t + 60_000, 'W-1'], ['orange', null, 'W-1']]);
    assert.equal(alerts[0]!.note, '强降雨');
    assert.equal((await one<{ on_alert: boolean }>(`SELECT on_alert FROM hazards WHERE id = $1`, [h.id], 'hazard', tx)).on_alert, true);
    // the same alert id for another hazard is refused, nothing written
    const err = await ingestHazardAlerts(tx, push(HazardAlertPush, { items: [{ hazardId: other.id, level: 'red', at: iso(t + 120_000), alertId: 'W-1' }] }), SOURCE).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof IngestError);
    assert.deepEqual(err.problems.map((p) => p.path), ['items[0].alertId']);
    // lifted; lifting again changes nothing; an older change is stale
    assert.deepEqual(await ingestHazardAlerts(tx, push(HazardAlertPush, { items: [{ ...ref, level: null, at: iso(t + 180_000) }] }), SOURCE), { received: 1, applied: 1, unchanged: 0, stale: 0 });
    assert.deepEqual(await ingestHazardAlerts(tx, push(HazardAlertPush, { items: [{ ...ref, level: 'lift', at: iso(t + 240_000) }] }), SOURCE), { received: 1, applied: 0, unchanged: 1, stale: 0 });
    assert.deepEqual(await ingestHazardAlerts(tx, push(HazardAlertPush, { items: [{ ...ref, level: 'red', at: iso(t + 30_000) }] }), SOURCE), { received: 1, applied: 0, unchanged: 0, stale: 1 });
    assert.equal((await one<{ on_alert: boolean }>(`SELECT on_alert FROM hazards WHERE id = $1`, [h.id], 'hazard', tx)).on_alert, false);
    const ev = await many<{ payload: { level: string | null } }>(`SELECT payload FROM live_events WHERE topic = 'hazard.alert' AND (payload ->> 'id')::int = $1 ORDER BY id`, [h.id], 'events', tx);
    assert.deepEqual(ev.map((e) => e.payload.level), ['yellow', 'orange', null]);
  });
});

test("a feed limited to a township cannot change another township's cameras", async () => {
  const [a] = await inRollback((tx) => cameras(tx, 1));
  const elsewhere = await inRollback((tx) => one<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'township' AND code <> $1 ORDER BY code LIMIT 1`, [a!.township_code], 'township', tx));
  const feed: Actor = { kind: 'feed', id: SOURCE, displayName: 'test feed', roles: ['feed'], townships: [elsewhere.code], topics: ['camera-status'] };
  const err = await inRollback(
    (tx) => ingestCameraStatus(tx, push(CameraStatusPush, { items: [{ gbId: a!.gb_id, status: a!.status === 'online' ? 'offline' : 'online', at: iso(Date.now()) }] }), SOURCE),
    feed,
  ).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof IngestError, 'row-level security hides the camera: it is unknown to this feed');
  assert.match(err.problems[0]!.message, /不在摄像机台账中/);
});

test('feed tokens: issued once, resolved to a feed actor with its topics, refused once revoked', async () => {
  const name = `test-feed-${process.pid}`;
  const write = <T>(fn: (tx: Tx) => Promise<T>) => withScope(TEST_ACTOR, { attempted: 'test write' }, fn);
  const f = await write((tx) => addFeed(tx, name, ['hazard-alert']));
  try {
    assert.match(f.token, /^feed_[A-Za-z0-9_-]{40,}$/);
    const actor = await resolveFeed(f.token, '127.0.0.1');
    assert.deepEqual([actor?.kind, actor?.id, actor?.roles, actor?.topics], ['feed', `feed:${name}`, ['feed'], ['hazard-alert']]);
    assert.equal(await resolveFeed(`${f.token}x`), null);
    assert.equal(await resolveFeed(`dsp_${f.token.slice(5)}`), null);
    const stored = await inRollback((tx) => many<{ token_hash: string }>(`SELECT token_hash FROM feeds WHERE name = $1`, [name], 'feed', tx));
    assert.notEqual(stored[0]!.token_hash, f.token, 'only the hash is stored');
    await write((tx) => revokeFeed(tx, name));
    assert.equal(await resolveFeed(f.token), null);
  } finally {
    await write((tx) => many(`DELETE FROM feeds WHERE name = $1`, [name], 'cleanup', tx));
  }
});

test('hostile push bodies are refused by the schema or applied as valid pushes, never a server error', async () => {
  let refused = 0;
  let applied = 0;
  for (const [schema, apply] of [[CameraStatusPush, ingestCameraStatus], [HazardAlertPush, ingestHazardAlerts]] as const) {
    const inputs = [...fc.sample(perturbedOf(schema as never), { seed: 14, numRuns: 60 }), ...fc.sample(hostileValue, { seed: 15, numRuns: 30 })];
    for (const input of inputs) {
      const p = (schema as typeof CameraStatusPush).safeParse(input);
      if (!p.success) {
        refused++;
        const problems = problemsOfZod(p.error, 'camera-status');
        assert.ok(problems.length > 0 && problems.every((x) => /[\u4e00-\u9fff]/.test(x.message) && x.message.length <= 300), `each problem has a short Chinese message: ${JSON.stringify(problems).slice(0, 300)}`);
        continue;
      }
      await inRollback(async (tx) => {
        try {
          await (apply as (tx: Tx, v: unknown, s: string) => Promise<unknown>)(tx, p.data, SOURCE);
          applied++;
        } catch (err) {
          assert.ok(err instanceof IngestError, `a valid push fails only with the register's problems: ${String(err)}`);
          refused++;
        }
      });
    }
  }
  assert.ok(refused > 100, `most hostile bodies are refused (${refused})`);
  console.log(`ingest hostile bodies: ${refused} refused, ${applied} applied`);
});

// ---------------------------------------------------------------- the video platform poller

/** A fake 视频汇聚平台: the channel list in pages, shaped { code, data: { total, list } }. */
function fakePlatform(channels: Record<string, unknown>[], opts: { failPage?: number; garblePage?: number } = {}) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    seen.push(`${u.pathname}${u.search} ${req.headers['access-token'] ?? ''}`);
    const page = Number(u.searchParams.get('page'));
    const count = Number(u.searchParams.get('count'));
    if (page === opts.failPage) {
      res.writeHead(502).end('bad gateway');
      return;
    }
    if (page === opts.garblePage) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, msg: '成功', data: { total: channels.length, list: channels.slice((page - 1) * count, page * count) } }));
  });
  return {
    seen,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let mappingFile = '';
before(() => {
  mappingFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'platform-')), 'mapping.json');
  fs.writeFileSync(mappingFile, JSON.stringify({ pageSize: 2, id: 'channelId', status: 'status', online: ['ON'], offline: ['OFF'], faulty: ['FAULT'], headers: { 'access-token': '{token}' } }));
});
after(() => fs.rmSync(path.dirname(mappingFile), { recursive: true, force: true }));

test('the platform poller reads every page, writes transitions, and reports unknown channels and unmapped statuses', async () => {
  const cams = await inRollback((tx) => cameras(tx, 3));
  const flip = (s: string) => (s === 'online' ? 'OFF' : 'ON');
  const channels = [
    { channelId: cams[0]!.gb_id, name: 'a', status: flip(cams[0]!.status) },
    { channelId: cams[1]!.gb_id, name: 'b', status: 'FAULT' },
    { channelId: cams[2]!.gb_id, name: 'c', status: 'MAYBE' },
    { channelId: '35990199999999999998', name: 'not ours', status: 'ON' },
    { name: 'no id', status: 'ON' },
  ];
  const fake = fakePlatform(channels);
  const base = await fake.listen();
  try {
    const cfg = platformConfig({ VIDEO_PLATFORM_URL: `${base}/api/channels?page={page}&count={count}`, VIDEO_PLATFORM_MAPPING: mappingFile, VIDEO_PLATFORM_TOKEN: 'secret-1' })!;
    const poll = await readPlatform(cfg);
    assert.equal(poll.pages, 3, '5 channels at 2 a page');
    assert.deepEqual(fake.seen, [1, 2, 3].map((p) => `/api/channels?page=${p}&count=2 secret-1`), 'pages asked in turn, with the token header');
    assert.deepEqual([poll.channels, poll.readings.length, poll.unmapped.count, poll.noId], [5, 3, 1, 1]);
    assert.deepEqual(poll.unmapped.examples, [{ gbId: cams[2]!.gb_id, value: 'MAYBE' }]);
    await inRollback(async (tx) => {
      const r = await applyPlatform(tx, poll);
      const bChanges = cams[1]!.status === 'faulty' ? 0 : 1;
      assert.deepEqual([r.matched, r.written, r.unchanged, r.unknown.count, r.unknown.examples], [2, 1 + bChanges, 1 - bChanges, 1, ['35990199999999999998']]);
      const h = await many<{ source: string }>(`SELECT source FROM camera_status_history WHERE camera_id = $1 ORDER BY changed_at DESC, id DESC LIMIT 1`, [cams[0]!.id], 'history', tx);
      assert.equal(h[0]!.source, 'platform');
      const again = await applyPlatform(tx, await readPlatform(cfg));
      assert.equal(again.written, 0, 'the same list twice: no new transitions');
    });
  } finally {
    await fake.close();
  }
});

test('a platform page that fails fails the whole poll, naming the page and why; a bad mapping is named', async () => {
  const channels = Array.from({ length: 5 }, (_, i) => ({ channelId: `3599010100132000${String(i).padStart(4, '0')}`, status: 'ON' }));
  for (const [opts, pattern] of [[{ failPage: 2 }, /page 2 .*HTTP 502/], [{ garblePage: 3 }, /page 3 .*not JSON/]] as const) {
    const fake = fakePlatform(channels, opts);
    const base = await fake.listen();
    try {
      const cfg: PlatformConfig = platformConfig({ VIDEO_PLATFORM_URL: `${base}/c?page={page}&count={count}`, VIDEO_PLATFORM_MAPPING: mappingFile })!;
      await assert.rejects(readPlatform(cfg), (e: unknown) => e instanceof PlatformError && pattern.test(e.message));
    } finally {
      await fake.close();
    }
  }
  const badMapping = path.join(path.dirname(mappingFile), 'bad.json');
  fs.writeFileSync(badMapping, JSON.stringify({ pageSize: 0, colour: 'red' }));
  assert.throws(() => platformConfig({ VIDEO_PLATFORM_URL: 'http://127.0.0.1:9/c', VIDEO_PLATFORM_MAPPING: badMapping }), /pageSize.*colour|colour.*pageSize|pageSize/);
  assert.throws(() => platformConfig({ VIDEO_PLATFORM_URL: 'not a url' }), /not a URL/);
  assert.equal(platformConfig({}), null);
  // a platform that does not answer in time
  const silent = http.createServer(() => {});
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const cfg = { ...platformConfig({ VIDEO_PLATFORM_URL: `http://127.0.0.1:${(silent.address() as { port: number }).port}/c` })!, timeoutMs: 300 };
    await assert.rejects(readPlatform(cfg), /no answer within 300 ms/);
  } finally {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
