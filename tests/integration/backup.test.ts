// Backup and restore, and the graceful shutdown of a server, on both engines.
//
// The target is a new, empty database: on PostgreSQL a database created in the test
// cluster (dropped after), on the embedded engine a new PGlite folder under the temp dir. A
// small server (tests/fixtures/shutdown-server.ts, the app's shutdown on SIGTERM) serves
// the target the whole time, so on the embedded engine the restore CLI, like the backup
// CLI against the test database, runs as a client of a serving process — as it does
// beside the running app.
//
// 1. `cli backup` of the test database → a copy cut short is refused and leaves the target
//    empty → `cli restore` into the target → every table of
//    the schema has the same row count and the same checksum (md5 of its rows' text in
//    primary-key order); the sequences go on after the restored rows; both commands are in
//    the audit log with their counts; a second restore into the now non-empty target and a
//    file that is no backup are refused with a sentence, and change nothing.
// 2. SIGTERM to the server with a request in flight inside an open transaction: new
//    connections are refused at once, the request finishes with 200 after its commit, the
//    process exits 0 having closed the pool, and (embedded) its lock file is gone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import zlib from 'node:zlib';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import pg from 'pg';
import '../helpers';
import { getDatabase } from '../../server/db/index';
import { openEmbedded, readLock, type EmbeddedHandle } from '../../server/db/embedded';
import type { BackupReport, RestoreReport } from '../../server/db/backup';
import type { LogRecord } from '../../server/log';

const ON_PG = Boolean(process.env.DATABASE_URL);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-backup-'));
const pgliteDir = path.join(work, 'pglite');
const targetDb = `pingan_restore_${process.pid}`;
let targetEnv: Record<string, string | undefined> = {};
let targetPool: pg.Pool | null = null;
let targetHandle: EmbeddedHandle | null = null;

interface Server {
  child: ChildProcessWithoutNullStreams;
  logs: LogRecord[];
  port: number;
  exited: Promise<number>;
  waitFor(event: string): Promise<LogRecord>;
}
let server: Server | null = null;

function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete env[k];
  return env;
}

function startServer(env: Record<string, string | undefined>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fixtures/shutdown-server.ts'], { env: childEnv(env) });
  const logs: LogRecord[] = [];
  const waiters: { event: string; resolve: (r: LogRecord) => void }[] = [];
  let stderr = '';
  const onLine = (line: string) => {
    let r: LogRecord;
    try {
      r = JSON.parse(line) as LogRecord;
    } catch {
      return;
    }
    logs.push(r);
    for (const w of waiters.filter((w) => w.event === r.event)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(r);
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream.on('data', (d) => {
      buf += d;
      if (stream === child.stderr) stderr += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      parts.forEach(onLine);
    });
  }
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  const waitFor = (event: string) =>
    new Promise<LogRecord>((resolve, reject) => {
      const seen = logs.find((l) => l.event === event);
      if (seen) return resolve(seen);
      waiters.push({ event, resolve });
      void exited.then((code) => reject(new Error(`the server exited (${code}) before logging ${event}: ${stderr.slice(-2000)}`)));
    });
  return waitFor('fixture.ready').then((ready) => ({ child, logs, port: Number(ready.fields?.port), exited, waitFor }));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: childEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

before(async () => {
  if (ON_PG) {
    const source = (await getDatabase()).pool;
    await source.query(`CREATE DATABASE ${targetDb}`);
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${targetDb}`;
    targetEnv = { DATABASE_URL: u.toString() };
  } else {
    targetEnv = { DATABASE_URL: undefined, PGLITE_DIR: pgliteDir };
  }
  // the server owns the new embedded folder (a cold start); everything else connects through it
  server = await startServer(targetEnv);
  if (ON_PG) targetPool = new pg.Pool({ connectionString: targetEnv.DATABASE_URL, max: 2 });
  else {
    targetHandle = await openEmbedded(pgliteDir);
    assert.equal(targetHandle.owner, false, 'the test connects through the serving process');
    targetPool = new pg.Pool({ connectionString: targetHandle.url, max: 1 });
  }
});

after(async () => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
  await targetPool?.end().catch(() => {});
  await targetHandle?.stop();
  if (ON_PG) await (await getDatabase()).pool.query(`DROP DATABASE IF EXISTS ${targetDb} WITH (FORCE)`).catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
});

interface TableSum {
  rows: number;
  sum: string;
}

/** Row count and md5 of every row's text in primary-key order, per table of schema public (audit_log up to `auditUpTo`). */
async function checksums(pool: pg.Pool, auditUpTo: number): Promise<Record<string, TableSum>> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    for (const s of [`SET LOCAL TimeZone = 'UTC'`, `SET LOCAL DateStyle = 'ISO, YMD'`, `SET LOCAL extra_float_digits = 1`]) await client.query(s);
    const { rows: tables } = await client.query<{ name: string; pk: string[] | null }>(
      `SELECT c.relname AS name,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i
                 CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                WHERE i.indrelid = c.oid AND i.indisprimary) AS pk
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1`,
    );
    const out: Record<string, TableSum> = {};
    for (const t of tables) {
      const id = client.escapeIdentifier(t.name);
      const order = t.pk?.length ? t.pk.map((c) => `r.${client.escapeIdentifier(c)}`).join(', ') : 'ROW(r.*)::text';
      const where = t.name === 'audit_log' ? `WHERE r.id <= ${auditUpTo}` : '';
      const { rows } = await client.query<{ n: number; sum: string }>(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(ROW(r.*)::text, E'\\n' ORDER BY ${order}), '')) AS sum FROM ${id} r ${where}`,
      );
      out[t.name] = { rows: rows[0]!.n, sum: rows[0]!.sum };
    }
    await client.query('COMMIT');
    return out;
  } finally {
    client.release();
  }
}

test('backup, then restore into an empty database: every table has the same rows', { timeout: 300_000 }, async () => {
  const source = (await getDatabase()).pool;
  const auditUpTo = (await source.query<{ id: number | null }>('SELECT max(id)::int AS id FROM audit_log')).rows[0]!.id ?? 0;
  const before = await checksums(source, auditUpTo);
  assert.ok(before.incidents!.rows > 10_000 && before.patrol_track_points!.rows > 10_000, 'the demo county is loaded');

  const file = path.join(work, 'county.backup');
  const b = await cli(['backup', file, '--json']);
  assert.equal(b.code, 0, b.stderr);
  const backup = JSON.parse(b.stdout) as BackupReport;
  assert.equal(backup.format, ON_PG ? 'pg_dump' : 'pingan-dump');
  assert.equal(fs.readFileSync(file).subarray(0, 5).toString('latin1').startsWith('PGDMP'), ON_PG, 'pg_dump custom format on PostgreSQL only');
  const backedUp = Object.fromEntries(backup.tables.map((t) => [t.table, t.rows]));
  for (const [table, s] of Object.entries(before)) assert.equal(backedUp[table], s.rows, `backup count of ${table}`);

  // a backup cut short (a full disk, a copy broken off) is refused after it began loading,
  // and leaves the target as empty as it was: the real restore below needs it empty
  const cut = path.join(work, 'cut.backup');
  if (ON_PG) fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2)));
  else {
    const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
    fs.writeFileSync(cut, zlib.gzipSync(text.slice(0, text.indexOf('{"end":"admin_areas"'))));
  }
  const broken = await cli(['restore', cut], targetEnv);
  assert.equal(broken.code, 2, broken.stderr);
  assert.match(broken.stderr, ON_PG ? /could not be loaded \(pg_restore failed.*nothing was changed/ : /cannot be restored: .*ends before its trailer.*Nothing was changed/);
  const { rows: left } = await targetPool!.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys'`);
  assert.equal(left[0]!.n, 0, 'the failed restore left no table behind');

  const r = await cli(['restore', file, '--json'], targetEnv);
  assert.equal(r.code, 0, r.stderr);
  const restore = JSON.parse(r.stdout) as RestoreReport;
  assert.deepEqual(restore.migrationsApplied, [], 'the backup has every migration of this code');

  const restored = await checksums(targetPool!, auditUpTo);
  assert.deepEqual(Object.keys(restored), Object.keys(before), 'the same tables');
  for (const [table, s] of Object.entries(before)) assert.deepEqual(restored[table], s, `${table}: same row count and checksum`);
  assert.ok(Object.keys(before).length >= 25, `every table of the schema compared (${Object.keys(before).length})`);

  // audited, with the counts; the restore's own row comes after the restored ones (sequences restored)
  const logged = (await source.query<{ rows: number }>(`SELECT row_count AS rows FROM audit_log WHERE action = 'db.backup' AND id > $1`, [auditUpTo])).rows;
  assert.deepEqual(logged, [{ rows: backup.totalRows }], 'the backup is in the audit log with its row count');
  const restoredAudit = (await targetPool!.query<{ id: number; rows: number }>(`SELECT id::int, row_count AS rows FROM audit_log WHERE action = 'db.restore'`)).rows;
  assert.equal(restoredAudit.length, 1);
  assert.equal(restoredAudit[0]!.rows, restore.totalRows);
  assert.ok(restoredAudit[0]!.id > auditUpTo, 'the identity sequence goes on after the restored rows');

  // a second restore into the now non-empty database, and a file that is no backup: refused, nothing changed
  const junk = path.join(work, 'junk.backup');
  fs.writeFileSync(junk, 'id,name\n1,not a backup\n');
  const [again, bad] = await Promise.all([cli(['restore', file], targetEnv), cli(['restore', junk], targetEnv)]);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /is not empty .* restore only into an empty database/);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /is not a backup made by `npm run cli -- backup`/);
  const { rows } = await targetPool!.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  assert.equal(rows[0]!.n, before.incidents!.rows, 'the refused restores changed nothing');
});

function get(port: number, pathName: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathName, agent: false }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function connectError(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(null);
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

test('SIGTERM: the request in flight commits and gets 200, new connections are refused, the pool and the lock are released', { timeout: 120_000 }, async () => {
  // the test's own connection to the target goes first, so the server's pool is the last one
  await targetPool?.end();
  targetPool = null;
  await targetHandle?.stop();
  targetHandle = null;
  const s = server!;
  assert.equal((await get(s.port, '/')).status, 200);
  const slow = get(s.port, '/slow');
  await s.waitFor('fixture.slow-started');

  s.child.kill('SIGTERM');
  const begun = await s.waitFor('shutdown.begin');
  assert.equal(begun.fields?.inFlight, 1, 'the shutdown saw the request in flight');
  assert.equal(await connectError(s.port), 'ECONNREFUSED', 'a new connection after the shutdown began is refused');

  s.child.stdin.write('release\n');
  const res = await slow;
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { committed: true, rows: 2 }, 'the transaction in flight committed');

  assert.equal(await s.exited, 0, 'a clean exit: nothing cut, the database closed');
  const done = s.logs.find((l) => l.event === 'shutdown.done');
  assert.ok(done, 'the shutdown logged its outcome');
  assert.equal(done.fields?.cut, 0);
  assert.equal(done.fields?.databaseClosed, true);
  // every line the server wrote is a JSON log record
  for (const l of s.logs) {
    assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(l.level) && typeof l.event === 'string');
  }
  if (!ON_PG) assert.equal(readLock(pgliteDir), null, 'the embedded server stopped and removed its lock file');
});
