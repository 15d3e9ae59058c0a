// Backup and restore of the whole database (`npm run cli -- backup <file>` / `restore <file>`),
// while the app serves: the CLI connects like any client, so the running app keeps its
// server (and, on the embedded engine, its lock on PGLITE_DIR).
//
// Two formats, chosen by the engine that is backed up:
// - PostgreSQL: pg_dump's custom format (pg_restore reads it), taken in the snapshot of a
//   REPEATABLE READ transaction that also counts every table's rows, so the counts printed
//   and audited are those of the file.
// - Embedded (PGlite): our own logical dump, "pingan-dump": gzip'd JSON lines with a header
//   (migrations applied, tables and columns), each table's rows as PostgreSQL row literals
//   (`ROW(t.*)::text`: lossless for every type here — geometry as hex EWKB, floats in
//   shortest exact form, timestamps with their offset), the sequences, and a trailer with
//   the row counts. Why not PGlite's own tools: `dumpDataDir()` and pglite-tools' pgDump
//   need the PGlite instance itself, which lives in the process that serves the folder, not
//   in the CLI; and pg_dump 15 refuses PostgreSQL 18 ("server version mismatch") — worse,
//   its session-level `set_config('search_path', '')` leaks into PGlite's one shared session
//   and breaks every other client, so pg_dump must never be pointed at the embedded server.
//   The dump is read in one REPEATABLE READ transaction; on the embedded engine the other
//   clients wait while it runs (PGlite runs one transaction at a time).
//
// Restore goes into an EMPTY database only (no table in schema public), so nothing is mixed
// or overwritten: pg_restore in one transaction (PostgreSQL), or, for a pingan-dump (either
// engine; needs a superuser, as it loads with triggers and foreign keys deferred through
// session_replication_role): the migrations the backup was made with, then every row in one
// transaction, the sequences, the counts checked against the trailer. Then a full `migrate`
// applies what is newer and checks the applied migrations' checksums. Both commands write
// the row counts to the audit log (action db.backup / db.restore).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import type pg from 'pg';
import { DbError, getDatabase, type DatabaseKind } from './index';
import { migrate, migrationFiles, MIGRATIONS_TABLE_DDL, readMigration } from './migrate';
import { withScope } from './scope';
import { audit } from '../audit';
import { UserError } from '../errors';
import type { Actor } from '../context';

export const DUMP_FORMAT = 'pingan-dump';
const DUMP_VERSION = 1;
const FETCH_ROWS = 2_000;
const INSERT_ROWS = 1_000;

/** A backup or restore that cannot be done as asked (English for the CLI, Chinese for pages). */
export class BackupError extends UserError {
  override name = 'BackupError';
}

export type BackupFormat = 'pg_dump' | typeof DUMP_FORMAT;

export interface TableRows {
  table: string;
  rows: number;
}

export interface BackupReport {
  file: string;
  format: BackupFormat;
  database: DatabaseKind;
  bytes: number;
  tables: TableRows[];
  totalRows: number;
  ms: number;
}

export interface RestoreReport {
  file: string;
  format: BackupFormat;
  database: DatabaseKind;
  tables: TableRows[];
  totalRows: number;
  /** Migrations newer than the backup, applied after its rows were loaded. */
  migrationsApplied: string[];
  ms: number;
}

interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: number;
  createdAt: string;
  database: DatabaseKind;
  server: string;
  migrations: { name: string; checksum: string }[];
  tables: { name: string; columns: string[] }[];
}

// Text forms that read back the same everywhere, for the dump's and the restore's transaction.
const STABLE_OUTPUT = [
  `SET LOCAL DateStyle = 'ISO, YMD'`,
  `SET LOCAL IntervalStyle = 'postgres'`,
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL extra_float_digits = 1`,
  `SET LOCAL bytea_output = 'hex'`,
  `SET LOCAL statement_timeout = 0`,
];

const NOT_EXTENSION_MEMBER = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/** The tables a backup holds: every table of schema public but PostGIS's own, partitions through their parent. */
async function listTables(client: pg.PoolClient): Promise<{ name: string; columns: string[]; generated: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[]; generated: string[] }>(
    `SELECT c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) FILTER (WHERE a.attgenerated = '') AS columns,
            coalesce(array_agg(a.attname::text) FILTER (WHERE a.attgenerated <> ''), '{}') AS generated
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${NOT_EXTENSION_MEMBER}
      GROUP BY c.relname
      ORDER BY c.relname`,
  );
  return rows;
}

async function listSequences(client: pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'S' AND ${NOT_EXTENSION_MEMBER} ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

/** Objects in schema public that are not PostGIS's: a restore target must have none. */
async function existingObjects(client: pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition AND ${NOT_EXTENSION_MEMBER}
      ORDER BY c.relname`,
  );
  return rows.map((r) => r.name);
}

async function countTables(client: pg.PoolClient, tables: string[]): Promise<TableRows[]> {
  const out: TableRows[] = [];
  for (const table of tables) {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${client.escapeIdentifier(table)}`);
    out.push({ table, rows: Number(rows[0]!.n) });
  }
  return out;
}

const total = (tables: TableRows[]) => tables.reduce((a, t) => a + t.rows, 0);

function where(kind: DatabaseKind): string {
  if (kind === 'embedded') return `the embedded database in ${process.env.PGLITE_DIR ?? '.data/pglite'}`;
  try {
    const u = new URL(process.env.DATABASE_URL ?? '');
    return `the PostgreSQL database ${u.pathname.slice(1)} at ${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'the PostgreSQL database in DATABASE_URL';
  }
}

// ---------------------------------------------------------------- pg_dump / pg_restore

/** The pg_dump or pg_restore that can talk to a server of `serverMajor`: the lowest installed version at or above it. */
function pgTool(name: 'pg_dump' | 'pg_restore', serverMajor: number): string {
  const root = '/usr/lib/postgresql';
  const installed = (fs.existsSync(root) ? fs.readdirSync(root) : [])
    .map(Number)
    .filter((v) => Number.isInteger(v) && fs.existsSync(path.join(root, String(v), 'bin', name)))
    .sort((a, b) => a - b);
  const fit = installed.find((v) => v >= serverMajor);
  if (fit !== undefined) return path.join(root, String(fit), 'bin', name);
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, name);
    if (dir && fs.existsSync(p)) return p;
  }
  throw new BackupError(
    `${name} for PostgreSQL ${serverMajor} is not installed: install the client of that version (Debian: apt-get install postgresql-client-${serverMajor}).`,
    `未安装 PostgreSQL ${serverMajor} 的 ${name}:请先安装对应版本的 PostgreSQL 客户端。`,
  );
}

/** The connection of DATABASE_URL for a pg_* tool: the password in the environment, not on the command line. */
function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function runTool(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(bin)} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ') || 'no message'}`));
    });
  });
}

async function serverMajor(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  return Math.floor(Number(rows[0]!.v) / 10_000);
}

async function pgDump(client: pg.PoolClient, tmp: string): Promise<TableRows[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    const { rows } = await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id');
    // counted in the snapshot pg_dump reads, so the counts are those of the file
    const counts = await countTables(client, (await listTables(client)).map((t) => t.name));
    const { dbname, env } = toolConnection(process.env.DATABASE_URL!);
    const bin = pgTool('pg_dump', await serverMajor(client));
    await runTool(bin, ['--format=custom', `--snapshot=${rows[0]!.id}`, `--file=${tmp}`, `--dbname=${dbname}`], env).catch((err: unknown) => {
      throw new DbError('running pg_dump', err);
    });
    return counts;
  } finally {
    await client.query('COMMIT').catch(() => {});
  }
}

// ---------------------------------------------------------------- the logical dump

async function logicalDump(client: pg.PoolClient, kind: DatabaseKind, tmp: string): Promise<TableRows[]> {
  const gzip = zlib.createGzip({ level: 6 });
  const out = fs.createWriteStream(tmp);
  gzip.pipe(out);
  const done = finished(out);
  // lines are gathered into chunks of ~1 MB: one zlib call per line would take 30 times longer
  let chunk: string[] = [];
  let chunkBytes = 0;
  const flushChunk = async () => {
    if (!chunk.length) return;
    const ok = gzip.write(chunk.join(''));
    chunk = [];
    chunkBytes = 0;
    if (!ok) await once(gzip, 'drain');
  };
  const write = async (value: unknown) => {
    const line = `${JSON.stringify(value)}\n`;
    chunk.push(line);
    chunkBytes += line.length;
    if (chunkBytes >= 1 << 20) await flushChunk();
  };
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
  try {
    for (const s of STABLE_OUTPUT) await client.query(s);
    const tables = await listTables(client);
    const bad = tables.filter((t) => t.generated.length);
    if (bad.length) throw new Error(`tables with generated columns are not supported by the dump: ${bad.map((t) => t.name).join(', ')}`);
    const hasMigrations = tables.some((t) => t.name === 'schema_migrations');
    const migrations = hasMigrations ? (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows : [];
    const { rows: v } = await client.query<{ v: string }>('SELECT version() AS v');
    const header: DumpHeader = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      createdAt: new Date().toISOString(),
      database: kind,
      server: v[0]!.v.split(' on ')[0]!,
      migrations,
      tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
    };
    await write(header);
    const counts: TableRows[] = [];
    for (const t of tables) {
      await write({ table: t.name });
      const id = client.escapeIdentifier(t.name);
      await client.query(`DECLARE pingan_dump NO SCROLL CURSOR FOR SELECT ROW(r.*)::text AS t FROM ${id} r`);
      let n = 0;
      for (;;) {
        const { rows } = await client.query<{ t: string }>(`FETCH ${FETCH_ROWS} FROM pingan_dump`);
        for (const r of rows) await write(r.t);
        n += rows.length;
        if (rows.length < FETCH_ROWS) break;
      }
      await client.query('CLOSE pingan_dump');
      await write({ end: t.name, rows: n });
      counts.push({ table: t.name, rows: n });
    }
    const sequences = [];
    for (const name of await listSequences(client)) {
      const { rows } = await client.query<{ value: string; called: boolean }>(`SELECT last_value::text AS value, is_called AS called FROM ${client.escapeIdentifier(name)}`);
      sequences.push({ name, value: rows[0]!.value, called: rows[0]!.called });
    }
    await write({ sequences });
    await write({ complete: true, tables: Object.fromEntries(counts.map((c) => [c.table, c.rows])) });
    await flushChunk();
    gzip.end();
    await done;
    return counts;
  } catch (err) {
    gzip.destroy();
    out.destroy();
    throw err;
  } finally {
    await client.query('COMMIT').catch(() => {});
  }
}

// ---------------------------------------------------------------- backup

/** Backs up the database the environment points at into `file` (which must not exist yet). */
export async function backupDatabase(file: string, actor: Actor): Promise<BackupReport> {
  const t0 = performance.now();
  const target = path.resolve(file);
  if (fs.existsSync(target)) {
    throw new BackupError(`${file} already exists: choose a new file name for the backup, or delete the old file first.`, `备份文件 ${path.basename(file)} 已存在:请换一个文件名,或先删除旧文件。`);
  }
  if (!fs.existsSync(path.dirname(target))) {
    throw new BackupError(`The folder of ${file} does not exist: create it first.`, `备份文件所在的文件夹不存在:请先创建。`);
  }
  const db = await getDatabase();
  const format: BackupFormat = db.kind === 'postgres' ? 'pg_dump' : DUMP_FORMAT;
  // written beside the target and renamed at the end: a failed backup leaves no half file
  const tmp = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.partial`;
  const client = await db.pool.connect();
  let tables: TableRows[];
  try {
    tables = format === 'pg_dump' ? await pgDump(client, tmp) : await logicalDump(client, db.kind, tmp);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  } finally {
    client.release();
  }
  const bytes = fs.statSync(target).size;
  const totalRows = total(tables);
  await auditIfPossible(actor, { action: 'db.backup', object: path.basename(target), rows: totalRows, detail: { format, bytes, tables: Object.fromEntries(tables.map((t) => [t.table, t.rows])) } });
  return { file: target, format, database: db.kind, bytes, tables, totalRows, ms: Math.round(performance.now() - t0) };
}

/** The audit log may not exist yet (a database older than migration 0015): then nothing is written. */
async function auditIfPossible(actor: Actor, e: Parameters<typeof audit>[1]): Promise<void> {
  const db = await getDatabase();
  const { rows } = await db.pool.query<{ ok: boolean }>(`SELECT to_regclass('public.audit_log') IS NOT NULL AND to_regrole('pingan_app') IS NOT NULL AS ok`);
  if (!rows[0]!.ok) return;
  await withScope(actor, { attempted: `recording ${e.action} in the audit log` }, (tx) => audit(tx, e));
}

// ---------------------------------------------------------------- restore

async function sniff(file: string): Promise<BackupFormat> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new BackupError(`Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}): give the path of a backup made by \`npm run cli -- backup\`.`, `无法读取备份文件 ${path.basename(file)}:请确认文件路径。`);
  }
  const head = Buffer.alloc(5);
  const n = fs.readSync(fd, head, 0, 5, 0);
  fs.closeSync(fd);
  if (n === 5 && head.toString('latin1') === 'PGDMP') return 'pg_dump';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return DUMP_FORMAT;
  throw new BackupError(
    `${file} is not a backup made by \`npm run cli -- backup\` (neither a pg_dump custom-format file nor a gzip'd pingan-dump).`,
    `${path.basename(file)} 不是本系统的备份文件。`,
  );
}

async function assertEmpty(client: pg.PoolClient, kind: DatabaseKind): Promise<void> {
  const objects = await existingObjects(client);
  if (objects.length) {
    const shown = objects.slice(0, 5).join(', ') + (objects.length > 5 ? ', …' : '');
    throw new BackupError(
      `${where(kind)} is not empty (${objects.length} tables, e.g. ${shown}): restore only into an empty database — create one with createdb and point DATABASE_URL at it, or point PGLITE_DIR at a new folder. Nothing was changed.`,
      `目标数据库不是空库(已有 ${objects.length} 张表):只能恢复到新建的空数据库,未做任何修改。`,
    );
  }
}

/** Restores `file` into the (empty) database the environment points at. */
export async function restoreDatabase(file: string, actor: Actor): Promise<RestoreReport> {
  const t0 = performance.now();
  const format = await sniff(file);
  const db = await getDatabase();
  if (format === 'pg_dump' && db.kind === 'embedded') {
    throw new BackupError(
      `${file} is a pg_dump of a PostgreSQL server, which the embedded database cannot load: set DATABASE_URL to an empty PostgreSQL + PostGIS database and restore there.`,
      '该备份来自 PostgreSQL 服务器,内置数据库无法恢复:请恢复到空的 PostgreSQL + PostGIS 数据库。',
    );
  }
  let header: DumpHeader | null = null;
  if (format === DUMP_FORMAT) header = await readHeader(file);
  const client = await db.pool.connect();
  try {
    await assertEmpty(client, db.kind);
    if (format === 'pg_dump') {
      // roles are the cluster's, not the database's: the dump's grants need the application role
      await client.query(`DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pingan_app') THEN
          CREATE ROLE pingan_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF; END $$`);
      const { dbname, env } = toolConnection(process.env.DATABASE_URL!);
      const bin = pgTool('pg_restore', await serverMajor(client));
      try {
        await runTool(bin, ['--single-transaction', '--exit-on-error', '--no-owner', `--dbname=${dbname}`, path.resolve(file)], env);
      } catch (err) {
        throw new BackupError(
          `${file} could not be loaded (${err instanceof Error ? err.message : String(err)}): the file may be cut short or damaged, or made by a newer pg_dump. pg_restore ran in one transaction, so nothing was changed.`,
          `备份文件 ${path.basename(file)} 无法恢复(文件不完整、已损坏或版本不符),未做任何修改。`,
        );
      }
    } else {
      const { rows } = await client.query<{ su: boolean }>(`SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user`);
      if (!rows[0]!.su) {
        throw new BackupError(
          `Restoring a ${DUMP_FORMAT} needs a superuser connection (it loads the rows with triggers and foreign-key checks deferred): connect as a superuser in DATABASE_URL.`,
          '恢复该备份需要数据库超级用户权限。',
        );
      }
      await checkMigrations(header!);
    }
  } finally {
    client.release();
  }
  if (format === DUMP_FORMAT) await loadLogical(file, header!);
  // newer migrations, dictionaries and grants; checks the checksums of the applied ones
  const migrationsApplied = (await migrate()).applied;
  const counted = await db.pool.connect();
  let tables: TableRows[];
  try {
    await counted.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    tables = await countTables(counted, (await listTables(counted)).map((t) => t.name));
    await counted.query('COMMIT');
  } finally {
    counted.release();
  }
  const totalRows = total(tables);
  await auditIfPossible(actor, { action: 'db.restore', object: path.basename(file), rows: totalRows, detail: { format, migrationsApplied, tables: Object.fromEntries(tables.map((t) => [t.table, t.rows])) } });
  return { file: path.resolve(file), format, database: db.kind, tables, totalRows, migrationsApplied, ms: Math.round(performance.now() - t0) };
}

function lines(file: string): readline.Interface {
  const input = fs.createReadStream(file).pipe(zlib.createGunzip());
  return readline.createInterface({ input, crlfDelay: Infinity });
}

function unreadable(file: string, why: string): BackupError {
  return new BackupError(`${file} cannot be restored: ${why}. Nothing was changed.`, `备份文件 ${path.basename(file)} 无法恢复(文件不完整或已损坏),未做任何修改。`);
}

async function readHeader(file: string): Promise<DumpHeader> {
  const rl = lines(file);
  try {
    for await (const line of rl) {
      let h: DumpHeader;
      try {
        h = JSON.parse(line) as DumpHeader;
      } catch {
        throw unreadable(file, 'its first line is not a pingan-dump header');
      }
      if (h?.format !== DUMP_FORMAT || !Array.isArray(h.tables) || !Array.isArray(h.migrations)) throw unreadable(file, 'its first line is not a pingan-dump header');
      if (h.version > DUMP_VERSION) throw new BackupError(`${file} is a pingan-dump of version ${h.version}, newer than this app reads (${DUMP_VERSION}): restore it with the version of the app that made it.`, '该备份由更新版本的系统生成,请用相同版本的系统恢复。');
      return h;
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw unreadable(file, `it is not a readable gzip file (${err instanceof Error ? err.message : String(err)})`);
  } finally {
    rl.close();
  }
  throw unreadable(file, 'it is empty');
}

/** The backup's migrations must be this code's first migrations, unchanged. */
async function checkMigrations(h: DumpHeader): Promise<void> {
  const files = migrationFiles();
  for (const [i, m] of h.migrations.entries()) {
    const mine = files[i];
    if (mine !== m.name || readMigration(mine).checksum !== m.checksum) {
      throw new BackupError(
        `The backup was made with migration ${m.name}${mine === m.name ? ' in another version' : ''}, which this version of the app does not have: restore it with the version of the app that made it. Nothing was changed.`,
        '该备份的数据库结构与当前系统版本不一致:请用生成备份的系统版本恢复。',
      );
    }
  }
}

/**
 * One transaction: the migrations the backup was made with (run as `migrate` runs them, with
 * the session's own settings), then every row, the sequences, the counts checked. A file cut
 * short or a row that does not fit rolls all of it back: the database stays empty.
 */
async function loadLogical(file: string, h: DumpHeader): Promise<void> {
  const db = await getDatabase();
  const client = await db.pool.connect();
  let rl: readline.Interface | null = null;
  try {
    await client.query('BEGIN');
    await client.query(MIGRATIONS_TABLE_DDL);
    for (const m of h.migrations) await client.query(readMigration(m.name).text);
    for (const s of STABLE_OUTPUT) await client.query(s);
    // rows go in as they were: no triggers (fills, audit guards), no foreign-key checks
    await client.query(`SET LOCAL session_replication_role = replica`);
    const present = new Map((await listTables(client)).map((t) => [t.name, t.columns]));
    for (const t of h.tables) {
      const cols = present.get(t.name);
      if (!cols || cols.join(',') !== t.columns.join(',')) {
        throw new Error(`table ${t.name} has columns (${cols?.join(', ') ?? 'none'}) after the migrations, the backup has (${t.columns.join(', ')})`);
      }
      // what the migrations themselves inserted is replaced by the backup's rows
      await client.query(`DELETE FROM ${client.escapeIdentifier(t.name)}`);
    }
    let table: string | null = null;
    let batch: string[] = [];
    let loaded = 0;
    const counts = new Map<string, number>();
    const flush = async () => {
      if (!batch.length || !table) return;
      const id = client.escapeIdentifier(table);
      await client.query(`INSERT INTO ${id} OVERRIDING SYSTEM VALUE SELECT * FROM unnest($1::text[]::${id}[])`, [batch]);
      loaded += batch.length;
      batch = [];
    };
    let first = true;
    let complete = false;
    // created right before reading: lines read before the loop starts would be lost
    rl = lines(file);
    for await (const line of rl) {
      if (first) {
        first = false; // the header, read before
        continue;
      }
      if (complete) throw new Error('lines after the trailer');
      const v = JSON.parse(line) as unknown;
      if (typeof v === 'string') {
        if (!table) throw new Error('a row outside a table');
        batch.push(v);
        if (batch.length >= INSERT_ROWS) await flush();
        continue;
      }
      const o = v as { table?: string; end?: string; rows?: number; sequences?: { name: string; value: string; called: boolean }[]; complete?: boolean; tables?: Record<string, number> };
      if (o.table !== undefined) {
        if (!h.tables.some((t) => t.name === o.table)) throw new Error(`table ${o.table} is not in the header`);
        table = o.table;
        loaded = 0;
      } else if (o.end !== undefined) {
        await flush();
        if (o.end !== table || o.rows !== loaded) throw new Error(`table ${o.end}: ${loaded} rows read, the file says ${o.rows}`);
        counts.set(table, loaded);
        table = null;
      } else if (o.sequences) {
        for (const s of o.sequences) await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [client.escapeIdentifier(s.name), s.value, s.called]);
      } else if (o.complete) {
        for (const [name, n] of Object.entries(o.tables ?? {})) if (counts.get(name) !== n) throw new Error(`table ${name}: ${counts.get(name) ?? 0} rows loaded, the trailer says ${n}`);
        complete = true;
      } else {
        throw new Error('an unknown line');
      }
    }
    if (!complete) throw new Error('the file ends before its trailer (a backup cut short)');
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    if (err instanceof BackupError) throw err;
    throw unreadable(file, err instanceof Error ? err.message : String(err));
  } finally {
    rl?.close();
    client.release();
  }
}
