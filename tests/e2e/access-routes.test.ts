// End to end, with node's fetch against the built app: every HTTP route and page refuses an
// anonymous caller except health, sign-in and sign-out (and the display activation, which is
// its own credential); a signed-in role without the right gets 403. The routes are read
// from app/api/**/route.ts and the pages from app/**/page.tsx, so a new one without an
// entry here fails until its rule is decided.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startAppServer, type AppServer } from './app-server';
import { DEMO } from './page';
import { many } from '../../server/db/index';
import { inRollback, TEST_ACTOR } from '../helpers';
import { withScope } from '../../server/db/scope';
import { addFeed } from '../../server/auth/accounts';
import { DEMO_DISPLAY } from '../../server/auth/demo';

let server: AppServer | undefined;
before(async () => {
  server = await startAppServer();
}, { timeout: 600_000 });
after(async () => {
  await server?.stop();
});

const url = (p: string) => `${server!.base}${p}`;

function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, name) : e.name === name ? [p] : [];
  });
}
const routeOf = (file: string, base: string) => '/' + path.relative(base, path.dirname(file)).split(path.sep).join('/');

/** What an anonymous request to each route gets: the method, a path to call, the status. */
const ROUTES: Record<string, { method: 'GET' | 'POST'; path: string; anonymous: number; json?: unknown }> = {
  '/api/health': { method: 'GET', path: '/api/health', anonymous: 200 },
  '/api/auth/sign-in': { method: 'POST', path: '/api/auth/sign-in', anonymous: 401, json: { username: 'nobody', password: 'Wrong-pass-1' } },
  '/api/auth/sign-out': { method: 'POST', path: '/api/auth/sign-out', anonymous: 200, json: {} },
  '/api/display/activate': { method: 'GET', path: '/api/display/activate?token=dsp_nope', anonymous: 401 },
  '/api/trpc/[trpc]': { method: 'GET', path: '/api/trpc/basemap.county', anonymous: 401 },
  '/api/uploads': { method: 'POST', path: '/api/uploads', anonymous: 401 },
  '/api/ingest/camera-status': { method: 'POST', path: '/api/ingest/camera-status', anonymous: 401, json: { items: [] } },
  '/api/ingest/hazard-alert': { method: 'POST', path: '/api/ingest/hazard-alert', anonymous: 401, json: { items: [] } },
  '/api/planner/export': { method: 'GET', path: '/api/planner/export?table=gistar&format=csv', anonymous: 401 },
  '/api/planner/report': { method: 'GET', path: '/api/planner/report?paper=A4', anonymous: 401 },
  '/api/audit/export': { method: 'GET', path: '/api/audit/export?table=findings&format=csv', anonymous: 401 },
  '/api/audit/report': { method: 'GET', path: '/api/audit/report?paper=A4', anonymous: 401 },
  '/api/patrol/export': { method: 'GET', path: '/api/patrol/export?table=dosage&format=csv', anonymous: 401 },
  '/api/patrol/report': { method: 'GET', path: '/api/patrol/report', anonymous: 401 },
  '/api/admin/audit/export': { method: 'GET', path: '/api/admin/audit/export?format=csv', anonymous: 401 },
  '/api/tiles/[file]': { method: 'GET', path: '/api/tiles/county.pmtiles', anonymous: 401 },
  '/vendor/maplibre-gl-worker.mjs': { method: 'GET', path: '/vendor/maplibre-gl-worker.mjs', anonymous: 200 }, // a static script from the npm package
};
/** Pages open without a session; every other page sends an anonymous visitor to the sign-in page. */
const OPEN_PAGES = ['/login'];

function send(r: (typeof ROUTES)[string], cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { origin: server!.base };
  if (cookie) headers.cookie = cookie;
  if (r.json !== undefined) headers['content-type'] = 'application/json';
  return fetch(url(r.path), { method: r.method, headers, body: r.json === undefined ? (r.method === 'POST' ? new FormData() : undefined) : JSON.stringify(r.json), redirect: 'manual' });
}

async function signedIn(username: string): Promise<string> {
  const r = await fetch(url('/api/auth/sign-in'), { method: 'POST', headers: { 'content-type': 'application/json', origin: server!.base }, body: JSON.stringify({ username, password: DEMO[username] }) });
  assert.equal(r.status, 200, `${username} signs in`);
  const set = r.headers.get('set-cookie') ?? '';
  assert.match(set, /HttpOnly/);
  assert.match(set, /SameSite=Strict/);
  return set.split(';')[0]!;
}

test('every route answers an anonymous caller as its rule says (401 unless it is health or sign-in)', async () => {
  const found = files(path.resolve('app'), 'route.ts').map((f) => routeOf(f, path.resolve('app')));
  assert.deepEqual(found.filter((r) => !ROUTES[r]), [], 'routes without an access rule in this test');
  for (const [route, r] of Object.entries(ROUTES)) {
    const res = await send(r);
    const body = await res.text();
    assert.equal(res.status, r.anonymous, `${route}: ${body.slice(0, 200)}`);
    if (r.anonymous === 401) assert.doesNotMatch(body, /SELECT|at \/|node_modules|\.ts:/, `${route}: no SQL, stack or path in the answer`);
  }
});

test('every page but the sign-in page sends an anonymous visitor to sign in', async () => {
  const pages = files(path.resolve('app'), 'page.tsx').map((f) => routeOf(f, path.resolve('app')).replace(/^\/$/, '/').replace(/\/$/, '') || '/');
  assert.ok(pages.length >= 8, pages.join(' '));
  for (const p of pages) {
    const res = await fetch(url(p), { redirect: 'manual' });
    if (OPEN_PAGES.includes(p)) assert.equal(res.status, 200, p);
    else {
      assert.ok([303, 307, 308].includes(res.status), `${p} answered ${res.status}`);
      assert.match(res.headers.get('location') ?? '', /\/login\?next=/, p);
    }
  }
});

test('a signed-in role without the right gets 403; with it, the file', async () => {
  const commander = await signedIn('commander');
  assert.equal((await send(ROUTES['/api/uploads']!, commander)).status, 403, 'a commander does not import');
  assert.equal((await send(ROUTES['/api/admin/audit/export']!, commander)).status, 403, 'nor read the audit log');
  const auditor = await signedIn('auditor');
  const log = await send(ROUTES['/api/admin/audit/export']!, auditor);
  assert.equal(log.status, 200);
  assert.match((await log.text()).replace(/^\ufeff/, '').split('\n')[0]!, /^编号,时间,操作者/);
  const officer = await signedIn('chengguan');
  const audit = await fetch(url('/admin/audit'), { headers: { cookie: officer }, redirect: 'manual' });
  assert.equal(audit.status, 200);
  assert.match(await audit.text(), /没有查看审计日志的权限/);
  // signed out, the same cookie is refused
  await send(ROUTES['/api/auth/sign-out']!, officer);
  assert.equal((await send(ROUTES['/api/trpc/[trpc]']!, officer)).status, 401);
});

test('the address in the audit log is the socket\'s, not what the client claims in X-Forwarded-For', async () => {
  const who = `xff-${Date.now()}`;
  await fetch(url('/api/auth/sign-in'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify({ username: who, password: 'Wrong-pass-1' }) });
  const rows = await inRollback((tx) => many<{ address: string }>(`SELECT address FROM audit_log WHERE object = $1`, [`user:${who}`], 'reading the refusal', tx));
  assert.equal(rows.length, 1);
  assert.notEqual(rows[0]!.address, '203.0.113.9');
  assert.match(rows[0]!.address, /127\.0\.0\.1/);
});

test('the ingest routes: a feed token with the topic is served, others refused; a bad push gets its problems by item, as JSON', async () => {
  const stamp = Date.now();
  const write = <T>(fn: Parameters<typeof withScope<T>>[2]) => withScope(TEST_ACTOR, { attempted: 'test write' }, fn);
  const cams = await write((tx) => addFeed(tx, `e2e-cams-${stamp}`, ['camera-status']));
  const alerts = await write((tx) => addFeed(tx, `e2e-alerts-${stamp}`, ['hazard-alert']));
  const cam = (await inRollback((tx) => many<{ gb_id: string; status: string }>(
    `SELECT gb_id, status FROM cameras c WHERE gb_id ~ '^\\d{20}$' AND (SELECT count(*) FROM cameras d WHERE d.gb_id = c.gb_id) = 1 ORDER BY id LIMIT 1`, [], 'a camera', tx,
  )))[0]!;
  const post = (route: string, token: string, body: unknown, type = 'application/json') =>
    fetch(url(`/api/ingest/${route}`), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const other = cam.status === 'online' ? 'offline' : 'online';
  const t0 = new Date(Date.now() - 2000).toISOString();
  const ok = await post('camera-status', cams.token, { items: [{ gbId: cam.gb_id, status: other, at: t0 }] });
  assert.equal(ok.status, 200, await ok.clone().text());
  assert.deepEqual(await ok.json(), { received: 1, applied: 1, unchanged: 0, stale: 0 });
  // back as it was, so the rest of the suite sees the register unchanged
  const back = await post('camera-status', cams.token, { items: [{ gbId: cam.gb_id, status: cam.status, at: new Date().toISOString() }] });
  assert.deepEqual(await back.json(), { received: 1, applied: 1, unchanged: 0, stale: 0 });
  // a bad push: 400, every problem by item and field, in Chinese
  const bad = await post('camera-status', cams.token, { items: [{ gbId: cam.gb_id, status: 'sleeping', at: t0 }, { gbId: '123', status: 'online', at: t0 }] });
  assert.equal(bad.status, 400);
  const b = (await bad.json()) as { error: string; problems: { item: number; path: string; message: string }[] };
  assert.deepEqual(b.problems.map((p) => [p.item, p.path]), [[1, 'items[0].status'], [2, 'items[1].gbId']]);
  assert.match(b.error, /状态“sleeping”无法识别/);
  assert.match(b.problems[1]!.message, /20 位数字/);
  const notJson = await post('camera-status', cams.token, '{"items": [', 'application/json');
  assert.equal(notJson.status, 400);
  assert.match(((await notJson.json()) as { error: string }).error, /不是有效的 JSON/);
  assert.equal((await post('camera-status', cams.token, 'items=1', 'application/x-www-form-urlencoded')).status, 415);
  // the wrong topic, a display token, an unknown feed token
  const wrongTopic = await post('camera-status', alerts.token, { items: [{ gbId: cam.gb_id, status: other, at: t0 }] });
  assert.equal(wrongTopic.status, 403);
  assert.match(((await wrongTopic.json()) as { error: string }).error, /不能推送这类数据/);
  assert.equal((await post('camera-status', DEMO_DISPLAY.token, { items: [] })).status, 403, 'a wall display pushes nothing');
  assert.equal((await post('hazard-alert', `feed_${'x'.repeat(43)}`, { items: [] })).status, 401);
  const audit = await inRollback((tx) => many<{ action: string; result: string; row_count: number | null }>(
    `SELECT action, result, row_count FROM audit_log WHERE actor = $1 ORDER BY id`, [`feed:e2e-cams-${stamp}`], 'audit', tx,
  ));
  assert.deepEqual(audit.map((a) => [a.action, a.result, a.row_count]), [['ingest.camera-status', 'ok', 1], ['ingest.camera-status', 'ok', 1]]);
});
