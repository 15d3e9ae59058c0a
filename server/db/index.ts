// The one database module: a single pg.Pool per process, against a real PostgreSQL +
// PostGIS when DATABASE_URL is set, else against the embedded PGlite server. Query
// helpers are named after their row contract and wrap every error with what was being
// attempted.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, pgliteDir, readEnv } from '../env';
import { openEmbedded, type EmbeddedHandle } from './embedded';
import { logger } from '../log';

export type DatabaseKind = 'embedded' | 'postgres';

export interface Database {
  pool: pg.Pool;
  kind: DatabaseKind;
  /** Closes the pool and, when this process serves the embedded database, stops it. */
  close(): Promise<void>;
}

export class DbError extends Error {
  override name = 'DbError';
  constructor(
    readonly attempted: string,
    readonly cause: unknown,
  ) {
    super(`Database error while ${attempted}: ${cause instanceof Error ? cause.message : String(cause)}${timeoutHint(cause)}`);
  }
}

/** A statement cancelled by the timeout names the setting that sets it. */
function timeoutHint(cause: unknown): string {
  const c = cause as { code?: string; message?: string } | null;
  if (c?.code !== '57014' || !/statement timeout/.test(c.message ?? '')) return '';
  return ` (the limit is DB_STATEMENT_TIMEOUT_MS, default ${readEnv().DB_STATEMENT_TIMEOUT_MS} ms; 0 switches it off)`;
}

// Parse bigint counts and numerics as JS numbers: the values this product counts fit.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** A client inside a transaction opened by withScope (server/db/scope.ts): there is no pool fallback. */
type Queryable = pg.PoolClient;

// Kept on globalThis so Next's module reloading and bundling share one pool per process.
const GLOBAL_KEY = Symbol.for('pingan.database');
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  g[GLOBAL_KEY] ??= connect().catch((err) => {
    delete g[GLOBAL_KEY];
    throw err;
  });
  return g[GLOBAL_KEY];
}

/** Closes this process's pool (and its embedded server, if it owns one). */
export async function closeDatabase(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const pending = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (pending) await (await pending).close();
}

async function connect(): Promise<Database> {
  const env = readEnv();
  let embedded: EmbeddedHandle | null = null;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await openEmbedded(pgliteDir(env));
    url = embedded.url;
  }
  const kind: DatabaseKind = embedded ? 'embedded' : 'postgres';
  const pool = new pg.Pool({
    connectionString: url,
    max: env.DB_POOL_SIZE,
    // a request waits at most this long for a connection (a stopped or frozen server), then fails
    connectionTimeoutMillis: 30_000,
    // Embedded: a new connection's start-up goes through PGlite, which answers nothing while
    // an analysis runs; connections opened once are kept (see the warm-up below).
    idleTimeoutMillis: kind === 'embedded' ? 0 : 30_000,
    // kept connections must not keep a finished process alive
    allowExitOnIdle: true,
    // TCP keep-alive finds a server that vanished (host down, network cut) under a client
    // waiting for an answer; a server that stops cleanly closes the sockets itself
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // PGlite keeps a single session behind the socket; a statement_timeout set per
    // connection would leak between them, so it is only set on a real server.
    ...(kind === 'postgres' ? { statement_timeout: env.DB_STATEMENT_TIMEOUT_MS } : {}),
    // No JIT on a real server: the heavy statements here are PostGIS calls that JIT cannot
    // speed up, while compiling them cost ~0.7 s each (bench coverage-county: 10.8 s → 7.9 s).
    ...(kind === 'postgres' ? { options: '-c jit=off' } : {}),
    application_name: 'pingan-yizhangtu',
  });
  // An idle client lost its connection (the server restarted or went away). Without this
  // listener the 'error' event would crash the process; the pool drops that client and the
  // next request connects anew, so the app recovers when the server is back.
  pool.on('error', () => {
    /* logged by the client's own listener below */
  });
  // A checked-out client whose connection drops (the server stopped under a running
  // request) emits 'error' too, and the pool listens only to idle ones: unheard, that event
  // would crash the process (seen in tests/integration/db-outage.test.ts). The running query
  // is rejected by pg itself, the request fails with a server error, and the pool drops the
  // dead client when it is released.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      logger.warn('db.connection-lost', { message: `a database connection was closed: ${err.message}`, code: (err as { code?: string }).code });
    });
  });
  try {
    await pool.query('select 1');
    if (kind === 'embedded') {
      // open connections ahead, so requests during a long analysis wait in PGlite's queue
      // instead of timing out in a start-up handshake PGlite cannot answer until it ends
      const warm = await Promise.all(Array.from({ length: Math.min(4, env.DB_POOL_SIZE) }, () => pool.connect()));
      for (const c of warm) c.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    throw new ConfigError(explainConnectError(url, err));
  }
  return {
    pool,
    kind,
    close: async () => {
      await pool.end();
      await embedded?.stop();
    },
  };
}

function explainConnectError(url: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string };
  let where = url;
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    /* keep the raw value */
  }
  switch (e.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ETIMEDOUT':
      return `Cannot reach the PostgreSQL server at ${where} (${e.code}): start it, or correct DATABASE_URL, or unset DATABASE_URL to use the embedded database.`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the login (${e.message}): correct the user and password in DATABASE_URL.`;
    case '3D000':
      return `The database in DATABASE_URL does not exist at ${where} (${e.message}): create it with createdb, or correct DATABASE_URL.`;
    default:
      return `Cannot connect to the database at ${where} (${e.message}): check DATABASE_URL.`;
  }
}

async function run<T extends pg.QueryResultRow>(
  client: Queryable,
  text: string,
  params: readonly unknown[],
  attempted: string,
): Promise<pg.QueryResult<T>> {
  try {
    return await client.query<T>(text, params as unknown[]);
  } catch (err) {
    throw new DbError(attempted, err);
  }
}

/** All rows. */
export async function many<T extends pg.QueryResultRow>(
  text: string,
  params: readonly unknown[],
  attempted: string,
  client: Queryable,
): Promise<T[]> {
  return (await run<T>(client, text, params, attempted)).rows;
}

/** Exactly one row, else an error saying what was being attempted. */
export async function one<T extends pg.QueryResultRow>(
  text: string,
  params: readonly unknown[],
  attempted: string,
  client: Queryable,
): Promise<T> {
  const rows = await many<T>(text, params, attempted, client);
  if (rows.length !== 1) throw new DbError(attempted, new Error(`expected one row, got ${rows.length}`));
  return rows[0]!;
}

/** Zero or one row. */
export async function maybeOne<T extends pg.QueryResultRow>(
  text: string,
  params: readonly unknown[],
  attempted: string,
  client: Queryable,
): Promise<T | null> {
  const rows = await many<T>(text, params, attempted, client);
  if (rows.length > 1) throw new DbError(attempted, new Error(`expected at most one row, got ${rows.length}`));
  return rows[0] ?? null;
}

const sqlCache = new Map<string, string>();

/**
 * The text of one statement from server/sql/<domain>/<name>.sql. Read from the project
 * folder at run time so that the Next server and the CLI share the same files.
 */
export function sql(name: string): string {
  let text = sqlCache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(process.cwd(), 'server', 'sql', name), 'utf8');
    sqlCache.set(name, text);
  }
  return text;
}
