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
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../env';

export { dropReadyForQuery, withSyncedErrors } from './embedded-protocol';

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

/**
 * Opens the folder in a worker thread (embedded-worker.ts) that runs PGlite and its socket
 * server, so a long statement never stops this thread's event loop. The worker file is
 * found from the project folder, as the SQL files are, so bundlers leave it alone.
 */
/** A file of the project folder, found at run time. */
function projectFile(...parts: string[]): string {
  return path.join(/* turbopackIgnore: true */ process.cwd(), ...parts);
}

async function openAsOwner(dir: string): Promise<EmbeddedHandle> {
  const dataDir = path.join(dir, DATA_SUBDIR);
  // The path comes from a function: a path Turbopack can evaluate here would make `next build`
  // follow the worker into tsx and esbuild's binary, and fail.
  const worker = new Worker(projectFile('server', 'db', 'embedded-worker.mjs'), {
    workerData: { dataDir, maxConnections: SOCKET_MAX_CONNECTIONS },
  });
  let ready: { host: string; port: number };
  try {
    ready = await new Promise((resolve, reject) => {
      worker.once('message', (msg: { type: string; host?: string; port?: number; message?: string }) => {
        if (msg.type === 'ready') resolve({ host: msg.host!, port: msg.port! });
        else reject(new Error(msg.message ?? 'the database thread failed to start'));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the database thread exited with code ${code} while starting`)));
    });
  } catch (err) {
    await worker.terminate().catch(() => 0);
    releaseLock(dir);
    throw new ConfigError(
      `The embedded database folder ${dataDir} cannot be opened (${describe(err)}): move it aside or delete it to start with a fresh database, or set PGLITE_DIR to another folder.`,
    );
  }
  worker.removeAllListeners();
  // a crash of the database thread leaves the lock to be taken over; the pool reports the lost connections
  worker.on('error', (err) => console.error(`embedded database thread failed: ${describe(err)}`));
  worker.on('exit', () => releaseLock(dir));
  const { host, port } = ready;
  writeLockAtomically(dir, { pid: process.pid, state: 'ready', host, port, startedAt: new Date().toISOString() });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    const done = new Promise<void>((resolve) => {
      worker.on('message', (msg: { type: string }) => msg.type === 'stopped' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage('stop');
    // PGlite flushes its folder on close; a thread that does not answer is ended after 30 s
    const timer = setTimeout(() => void worker.terminate(), 30_000);
    await done;
    clearTimeout(timer);
    await worker.terminate().catch(() => 0);
    releaseLock(dir);
  };
  const onExit = () => releaseLock(dir);
  process.on('exit', onExit);
  return { url: `postgres://postgres@${host}:${port}/postgres`, owner: true, stop };
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
