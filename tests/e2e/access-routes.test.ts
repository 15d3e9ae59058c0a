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
import { inRollback } from '../helpers';

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
  '/api/planner/export': { method: 'GET', path: '/api/planner/export?table=gistar&format=csv', anonymous: 401 },
  '/api/planner/report': { method: 'GET', path: '/api/planner/report?paper=A4', anonymous: 401 },
  '/api/audit/export': { method: 'GET', path: '/api/audit/export?table=findings&format=csv', anonymous: 401 },
  '/api/audit/report': { method: 'GET', path: '/api/audit/report?paper=A4', anonymous: 401 },
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
