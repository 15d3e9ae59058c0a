// The database stopped and started, and frozen, while the app serves — on a throwaway
// PostgreSQL cluster of this test's own (scripts/ci/pg-cluster.sh), so the shared test
// database is never touched; runs the same in both CI passes. The app part runs in this
// process, as the Next server would run it: the real /api/health route, the real tRPC
// fetch handler and createContext, the real pool (server/db/index.ts).
//
// What it checks, in order (orderings, not timings):
// - a statement in flight when the server stops fails at once with a server error, and the
//   idle pooled connections the stop closes do not crash the process (they are logged);
// - during the outage /api/health answers 503 with a Chinese reason, and a tRPC request is
//   answered 500 with the generic sentence, its log line carrying the request's id — both
//   before the server is started again, so neither waited for it;
// - after the server is started again, health answers 200 from the same pool: no restart;
// - with the server frozen (SIGSTOP: connections open, nothing answers) health answers 503
//   within its own deadline while the server is still frozen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { setLogSink, type LogRecord } from '../../server/log';

const CLUSTER = path.resolve('scripts/ci/pg-cluster.sh');
const BIN = fs
  .readdirSync('/usr/lib/postgresql')
  .sort((a, b) => Number(a) - Number(b))
  .map((v) => `/usr/lib/postgresql/${v}/bin`)
  .at(-1)!;
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-outage-'));
let url = '';
let port = 0;
const logs: LogRecord[] = [];
const frozen: number[] = [];

function pgCtl(action: 'start' | 'stop'): void {
  if (action === 'stop') asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'fast', '-w', 'stop']);
  else asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/log`, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
}

/** The server's processes: the postmaster and its children. */
function serverPids(): number[] {
  const postmaster = Number(fs.readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  const children = fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

before(async () => {
  url = execFileSync('bash', [CLUSTER, 'start'], { env: { ...process.env, PG_CLUSTER_DIR: dir }, encoding: 'utf8' }).trim();
  port = Number(new URL(url).port);
  const c = new pg.Client(url);
  await c.connect();
  // what health and a request scope need: PostGIS and the application role
  await c.query(`CREATE EXTENSION postgis`);
  await c.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pingan_app') THEN CREATE ROLE pingan_app NOLOGIN; END IF; END $$`);
  await c.end();
  // this process's app now talks to the throwaway cluster only
  process.env.DATABASE_URL = url;
  setLogSink((line) => logs.push(JSON.parse(line) as LogRecord));
});

after(async () => {
  for (const pid of frozen) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      /* gone */
    }
  }
  const { closeDatabase } = await import('../../server/db/index');
  await closeDatabase().catch(() => {});
  setLogSink(null);
  execFileSync('bash', [CLUSTER, 'stop', dir]);
});

async function health(): Promise<{ status: number; body: { ok: boolean; reason?: string; database?: string } }> {
  const { GET } = await import('../../app/api/health/route');
  const res = await GET(new Request('http://localhost/api/health', { headers: { 'x-request-id': 'health-probe-0001' } }));
  return { status: res.status, body: await res.json() };
}

test('the app answers through a database stop and start, and recovers without a restart', { timeout: 60_000 }, async () => {
  const { withScope } = await import('../../server/db/scope');
  const { systemActor } = await import('../../server/context');
  const { getDatabase } = await import('../../server/db/index');
  const { appRouter } = await import('../../server/root');
  const { createContext } = await import('../../server/trpc');
  const { mapError } = await import('../../server/errors');
  const actor = systemActor('outage-test', ['admin']);

  const up = await health();
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.equal(up.body.database, 'postgres');
  const pool = (await getDatabase()).pool;
  // a second idle connection in the pool, for the stop to close under it
  await Promise.all([withScope(actor, { attempted: 'warming', readOnly: true }, (tx) => tx.query('SELECT 1')), withScope(actor, { attempted: 'warming', readOnly: true }, (tx) => tx.query('SELECT 1'))]);
  assert.ok(pool.idleCount >= 1, 'idle pooled connections exist when the server stops');

  // a statement in flight when the server stops
  const slow = withScope(actor, { attempted: 'a slow statement', readOnly: true }, (tx) => tx.query('SELECT pg_sleep(60)'));
  slow.catch(() => {});
  const admin = new pg.Client(url);
  await admin.connect();
  for (let i = 0; i < 200; i++) {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'`);
    if (rows[0].n > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await admin.end();

  pgCtl('stop');
  await assert.rejects(slow, (err: unknown) => mapError(err).kind === 'server', 'the statement in flight fails with a server error instead of waiting');
  // the idle connections' errors arrive as events: let them be handled
  for (let i = 0; i < 100 && !logs.some((l) => l.event === 'db.connection-lost'); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(
    logs.some((l) => l.event === 'db.connection-lost' && l.level === 'warn'),
    `the idle connections closed by the stop are logged, and did not crash the process (events: ${logs.map((l) => l.event).join(', ')})`,
  );

  // the outage, seen by health and by a tRPC request
  const down = await health();
  assert.equal(down.status, 503);
  assert.equal(down.body.ok, false);
  assert.match(down.body.reason!, /数据库不可用/);
  assert.match(down.body.reason!, /无法连接数据库服务器/, 'the reason says the server cannot be reached');
  assert.doesNotMatch(down.body.reason!, /127\.0\.0\.1|ECONNREFUSED|:\d{4,5}/, 'no address or driver code in the public answer');

  const requestId = 'outage-test-7f3a9c21';
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request('http://localhost/api/trpc/stats.counts', { headers: { 'x-request-id': requestId } }),
    router: appRouter,
    // the real context (request id from the header), with an actor that may read
    createContext: async (opts) => ({ ...(await createContext(opts)), actor }),
  });
  assert.equal(res.status, 500);
  const body = JSON.stringify(await res.json());
  assert.match(body, /服务器内部错误/, 'the generic Chinese sentence');
  assert.doesNotMatch(body, /ECONNREFUSED|127\.0\.0\.1/, 'no driver message to the caller');
  const logged = logs.find((l) => l.event === 'trpc.error' && l.requestId === requestId);
  assert.ok(logged, `the server error is logged with the request id (logged: ${JSON.stringify(logs.filter((l) => l.level === 'error'))})`);
  assert.equal(logged.level, 'error');
  assert.equal(logged.actor, actor.id);
  assert.match(String(logged.fields?.error ?? logged.message), /ECONNREFUSED|connect/i, 'the log keeps the cause');

  // started again: the same process and pool answer
  pgCtl('start');
  const back = await health();
  assert.equal(back.status, 200, JSON.stringify(back.body));
  assert.equal(back.body.ok, true);
  const { rows } = await withScope(actor, { attempted: 'after the restart', readOnly: true }, (tx) => tx.query<{ one: number }>('SELECT 1 AS one'));
  assert.equal(rows[0]!.one, 1);
});

test('a frozen database server makes health answer 503 within its deadline, while still frozen', { timeout: 60_000 }, async () => {
  assert.equal((await health()).status, 200);
  for (const pid of serverPids()) {
    process.kill(pid, 'SIGSTOP');
    frozen.push(pid);
  }
  const h = await health();
  // the server is still stopped here: health did not wait for it
  assert.equal(h.status, 503);
  assert.match(h.body.reason!, /秒内没有响应/, 'the reason says the database did not answer');
  for (const pid of frozen.splice(0)) process.kill(pid, 'SIGCONT');
  let answered = await health();
  // the frozen connection's late answer comes in first; then health is ok again
  for (let i = 0; i < 20 && answered.status !== 200; i++) answered = await health();
  assert.equal(answered.status, 200, JSON.stringify(answered.body));
});
