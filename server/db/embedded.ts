// The embedded database: PGlite with PostGIS, kept in a local folder and served on
// 127.0.0.1 by pglite-socket, so every process talks to it with `pg` exactly as it
// would to a real PostgreSQL server.
//
// PGlite is single-process: only one process may open a data folder. The first process
// that needs the database takes an exclusive lock file in the folder, opens PGlite, starts
// the socket server and writes its port into the lock file. Any other process (the CLI
// while the app runs, a second `npm start`) finds the lock, waits until the owner says
// "ready" and connects to that port instead of opening the folder a second time.
// A lock left by a process that no longer exists is taken over.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { ConfigError } from '../env';

const LOCK_FILE = 'server.lock';
const DATA_SUBDIR = 'pgdata';
const READY_TIMEOUT_MS = 180_000; // a cold first start with PostGIS takes ~15 s, more on a busy machine
const POLL_MS = 200;
const SOCKET_MAX_CONNECTIONS = 64; // pools of the app, the CLI and tests share one server

export interface EmbeddedLock {
  pid: number;
  state: 'starting' | 'ready';
  host?: string;
  port?: number;
  startedAt: string;
}

export interface EmbeddedHandle {
  /** Connection string of the socket server. */
  url: string;
  /** True when this process opened the folder and serves it. */
  owner: boolean;
  /** Stops the server and closes PGlite (owner only; a no-op for clients). */
  stop(): Promise<void>;
}

function lockPath(dir: string): string {
  return path.join(dir, LOCK_FILE);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dir: string): EmbeddedLock | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dir), 'utf8')) as EmbeddedLock;
  } catch {
    return null; // missing, or being replaced right now
  }
}

function writeLockAtomically(dir: string, lock: EmbeddedLock): void {
  const tmp = `${lockPath(dir)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(lock));
  fs.renameSync(tmp, lockPath(dir));
}

/**
 * Tries to become the owner of `dir`. Returns true on success, false when a live
 * process owns it. A stale lock (its process is gone) is moved aside and retried.
 */
function tryAcquire(dir: string): boolean {
  const mine: EmbeddedLock = { pid: process.pid, state: 'starting', startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      fs.writeFileSync(lockPath(dir), JSON.stringify(mine), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(dir);
    if (held === null) continue; // replaced under us: look again
    if (held.pid === process.pid) return true;
    if (isAlive(held.pid)) return false;
    // Stale: move it aside atomically. If someone else already did, the rename fails
    // or moves their fresh lock; in that case put it back and let them own the folder.
    const aside = `${lockPath(dir)}.stale.${process.pid}`;
    try {
      fs.renameSync(lockPath(dir), aside);
    } catch {
      continue;
    }
    const moved = JSON.parse(fs.readFileSync(aside, 'utf8')) as EmbeddedLock;
    if (moved.pid !== held.pid && isAlive(moved.pid)) {
      try {
        fs.linkSync(aside, lockPath(dir));
      } catch {
        /* another lock appeared meanwhile: it wins */
      }
      fs.rmSync(aside, { force: true });
      return false;
    }
    fs.rmSync(aside, { force: true });
  }
  return false;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(2000, () => done(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForOwner(dir: string): Promise<string | null> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const lock = readLock(dir);
    if (lock === null || !isAlive(lock.pid)) return null; // owner went away: try to take over
    if (lock.state === 'ready' && lock.host && lock.port && (await canConnect(lock.host, lock.port))) {
      return `postgres://postgres@${lock.host}:${lock.port}/postgres`;
    }
    await sleep(POLL_MS);
  }
  throw new ConfigError(
    `The embedded database in ${dir} is held by process ${readLock(dir)?.pid ?? '?'}, which did not become ready within ${READY_TIMEOUT_MS / 1000} s: stop that process or set PGLITE_DIR to another folder.`,
  );
}

async function openAsOwner(dir: string): Promise<EmbeddedHandle> {
  // Imported lazily: processes that only connect as clients never load the WASM build.
  const [{ PGlite }, { postgis }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-postgis'),
    import('@electric-sql/pglite-socket'),
  ]);
  const dataDir = path.join(dir, DATA_SUBDIR);
  let db: InstanceType<typeof PGlite>;
  try {
    db = await PGlite.create({ dataDir, extensions: { postgis } });
    await db.query('select 1');
  } catch (err) {
    releaseLock(dir);
    throw new ConfigError(
      `The embedded database folder ${dataDir} cannot be opened (${describe(err)}): move it aside or delete it to start with a fresh database, or set PGLITE_DIR to another folder.`,
    );
  }
  const server = new PGLiteSocketServer({ db: withSyncedErrors(db), host: '127.0.0.1', port: 0, maxConnections: SOCKET_MAX_CONNECTIONS });
  await server.start();
  const [host, portText] = server.getServerConn().split(':');
  const port = Number(portText);
  writeLockAtomically(dir, { pid: process.pid, state: 'ready', host, port, startedAt: new Date().toISOString() });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    await server.stop();
    await db.close();
    releaseLock(dir);
  };
  const onExit = () => releaseLock(dir);
  process.on('exit', onExit);
  return { url: `postgres://postgres@${host}:${port}/postgres`, owner: true, stop };
}

// Extended-protocol messages (Parse, Bind, Describe, Execute, Close, Flush): a real
// server answers these with no ReadyForQuery; only Sync gets one.
const EXTENDED_MESSAGES = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const READY_FOR_QUERY = 'Z'.charCodeAt(0);
const SYNC = 'S'.charCodeAt(0);
const SIMPLE_QUERY = 'Q'.charCodeAt(0);
const TERMINATE = 'X'.charCodeAt(0);

type RawStream = (message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }) => Promise<unknown>;

/**
 * Two fixes between pglite-socket 0.2.11 and PGlite 0.5.8, which share one backend
 * session among all connections and feed it one protocol message at a time:
 *
 * 1. When a Parse, Bind or Execute fails, PGlite answers ErrorResponse *and*
 *    ReadyForQuery at once, and the client's Sync then gets a second ReadyForQuery:
 *    `pg` reads the extra one as the end of its next query and the connection is out of
 *    step from then on. ReadyForQuery is dropped from the answers to extended-protocol
 *    messages, as PostgreSQL does, so the Sync's is the only one.
 * 2. The socket server's queue interleaves messages of different connections, so
 *    connection A's Bind could bind to connection B's unnamed statement ("bind message
 *    supplies 1 parameters, but prepared statement requires 2"). The queue keeps one
 *    connection's messages together while PGlite reports a transaction, so from a Parse
 *    (or Bind…) until its Sync the session reports itself as in a transaction. If the
 *    connection drops mid-sequence, the server's ROLLBACK through `exec` clears the mark.
 */
export function withSyncedErrors<T extends object>(db: T): T {
  let sequenceOpen = false;
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'isInTransaction') return () => sequenceOpen || (value as () => boolean).call(target);
      if (prop === 'exec') {
        return (...args: unknown[]) => {
          sequenceOpen = false;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      if (prop !== 'execProtocolRawStream') return value.bind(target);
      const original = value.bind(target) as RawStream;
      const wrapped: RawStream = (message, options) => {
        const type = message[0]!;
        if (!EXTENDED_MESSAGES.has(type)) {
          if (type === SYNC || type === SIMPLE_QUERY || type === TERMINATE) sequenceOpen = false;
          return original(message, options);
        }
        sequenceOpen = true;
        let carry: Uint8Array = new Uint8Array(0);
        return original(message, {
          onRawData: (chunk) => {
            const data = carry.length ? concat(carry, chunk) : chunk;
            const { complete, rest } = dropReadyForQuery(data);
            carry = rest;
            if (complete.length) options.onRawData(complete);
          },
        }).finally(() => {
          if (carry.length) options.onRawData(carry);
        });
      };
      return wrapped;
    },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Splits backend messages, keeping all but ReadyForQuery; an incomplete tail is returned as `rest`. */
export function dropReadyForQuery(data: Uint8Array): { complete: Uint8Array; rest: Uint8Array } {
  const keep: Uint8Array[] = [];
  let i = 0;
  while (i + 5 <= data.length) {
    const len = ((data[i + 1]! << 24) | (data[i + 2]! << 16) | (data[i + 3]! << 8) | data[i + 4]!) >>> 0;
    if (i + 1 + len > data.length) break;
    if (data[i] !== READY_FOR_QUERY) keep.push(data.subarray(i, i + 1 + len));
    i += 1 + len;
  }
  const total = keep.reduce((a, k) => a + k.length, 0);
  const complete = new Uint8Array(total);
  let o = 0;
  for (const k of keep) {
    complete.set(k, o);
    o += k.length;
  }
  return { complete, rest: data.slice(i) };
}

function releaseLock(dir: string): void {
  if (readLock(dir)?.pid === process.pid) fs.rmSync(lockPath(dir), { force: true });
}

function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]!.slice(0, 200) || 'unknown error';
}

/**
 * Connects to the embedded database in `dir`: through the process that already serves
 * it, or by opening it here and serving it on 127.0.0.1.
 */
export async function openEmbedded(dir: string): Promise<EmbeddedHandle> {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new ConfigError(`PGLITE_DIR ${dir} cannot be created (${describe(err)}): set PGLITE_DIR to a writable folder.`);
  }
  if (!fs.statSync(dir).isDirectory()) {
    throw new ConfigError(`PGLITE_DIR ${dir} is not a folder: set PGLITE_DIR to a folder for the embedded database.`);
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryAcquire(dir)) return openAsOwner(dir);
    const url = await waitForOwner(dir);
    if (url) return { url, owner: false, stop: async () => {} };
  }
  throw new ConfigError(`The embedded database in ${dir} could not be locked: another process keeps taking it. Stop the other processes using it.`);
}
