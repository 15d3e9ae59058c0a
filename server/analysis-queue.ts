// Heavy analyses (Gi*, KDE, emerging hot spots, targeting, coverage, 平安指数, reports)
// run through one small queue per server process, and their results are kept until the
// data changes:
//
// - At most ANALYSIS_CONCURRENCY run at once (default 1 on the embedded engine, which runs
//   one statement at a time anyway, 2 on PostgreSQL); up to ANALYSIS_QUEUE wait, in order;
//   beyond that a caller is told, in Chinese, to try again shortly (429). A caller that
//   goes away (its request aborted) leaves the queue.
// - Identical requests (same procedure, input and scope) are computed once: a second
//   caller while the first runs shares its answer, and a later one reads it from the cache
//   until the data version (migration 0016) moves.
// - While an analysis holds the embedded engine, cached reads (base-map layers) are served
//   from the cache without asking the database which version is current: on PGlite nothing
//   else can reach the database then, and the map must keep answering.
import { BusyError } from './errors';
import { readEnv } from './env';
import type { Actor } from './context';
import { getDatabase, one, type DatabaseKind } from './db/index';
import { withScope } from './db/scope';

interface Waiter {
  start: () => void;
  cancel: (err: Error) => void;
}

export interface QueueState {
  running: { what: string; sinceMs: number }[];
  waiting: number;
  limit: number;
  queueLimit: number;
}

class AnalysisQueue {
  private running = new Map<number, { what: string; since: number }>();
  private waiting: Waiter[] = [];
  private nextId = 1;

  constructor(
    private readonly limit: () => number,
    private readonly queueLimit: () => number,
  ) {}

  state(): QueueState {
    const now = Date.now();
    return {
      running: [...this.running.values()].map((r) => ({ what: r.what, sinceMs: now - r.since })),
      waiting: this.waiting.length,
      limit: this.limit(),
      queueLimit: this.queueLimit(),
    };
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Throws BusyError when a new analysis could neither run nor wait. */
  assertRoom(): void {
    if (this.running.size >= this.limit() && this.waiting.length >= this.queueLimit()) {
      throw new BusyError(
        `The server is busy: ${this.running.size} analyses are running and ${this.waiting.length} are waiting (limit ${this.queueLimit()}). Try again in a minute.`,
        `服务器正忙:正在运行 ${this.running.size} 项分析,另有 ${this.waiting.length} 项在排队(上限 ${this.queueLimit()} 项)。请稍等一分钟后重试。`,
      );
    }
  }

  async run<T>(what: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running.size >= this.limit()) {
      this.assertRoom();
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { start: resolve, cancel: reject };
        this.waiting.push(waiter);
        signal?.addEventListener('abort', () => {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) {
            this.waiting.splice(i, 1);
            reject(new BusyError('The request was cancelled while it waited for an analysis slot.', '请求在排队时被取消。'));
          }
        }, { once: true });
      });
    }
    const id = this.nextId++;
    this.running.set(id, { what, since: Date.now() });
    try {
      return await fn();
    } finally {
      this.running.delete(id);
      const next = this.waiting.shift();
      next?.start();
    }
  }
}

function concurrency(kind: DatabaseKind | null): number {
  const set = readEnv().ANALYSIS_CONCURRENCY;
  return set ?? (kind === 'postgres' ? 2 : 1);
}

const GLOBAL_KEY = Symbol.for('pingan.analysis');
interface Shared {
  queue: AnalysisQueue;
  kind: DatabaseKind | null;
  cache: Map<string, { version: number; value: unknown; at: number }>;
  inflight: Map<string, Promise<unknown>>;
}

// One per process, shared by Next's bundles and the scripts as the pool is.
function shared(): Shared {
  const g = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Shared };
  if (!g[GLOBAL_KEY]) {
    const s: Shared = {
      kind: null,
      cache: new Map(),
      inflight: new Map(),
      queue: new AnalysisQueue(() => concurrency(s.kind), () => readEnv().ANALYSIS_QUEUE),
    };
    g[GLOBAL_KEY] = s;
  }
  return g[GLOBAL_KEY];
}

/** What the queue is doing, for health and the benchmark. */
export function analysisState(): QueueState {
  return shared().queue.state();
}

/** True while an analysis holds the embedded engine (nothing else reaches PGlite then). */
export function embeddedBusy(): boolean {
  const s = shared();
  return s.kind === 'embedded' && s.queue.busy;
}

const MAX_ENTRIES = 64;

/** The current data version (migration 0016): grows with every change analyses read. */
export async function dataVersion(actor: Actor): Promise<number> {
  const r = await withScope(actor, { attempted: 'reading the data version', readOnly: true }, (tx) =>
    one<{ v: number }>(`SELECT last_value AS v FROM data_version`, [], 'reading the data version', tx),
  );
  return r.v;
}

function stableJson(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The cache key: what was asked, by whom in terms of what they may see. */
export function cacheKey(path: string, input: unknown, actor: Actor): string {
  const scope = actor.townships === null ? '*' : [...actor.townships].sort().join(',');
  return `${path}|${scope}|${[...actor.roles].sort().join(',')}|${stableJson(input)}`;
}

function remember(s: Shared, key: string, version: number, value: unknown): void {
  s.cache.delete(key);
  s.cache.set(key, { version, value, at: Date.now() });
  while (s.cache.size > MAX_ENTRIES) s.cache.delete(s.cache.keys().next().value!);
}

export interface CachedOptions {
  path: string;
  input: unknown;
  actor: Actor;
  /** Through the queue (heavy analyses) or not (cheap cached reads such as base-map layers). */
  heavy: boolean;
}

/**
 * Runs `compute` once per (procedure, input, scope, data version): cached, shared while in
 * flight, and for heavy work through the queue.
 */
export async function cached<T>(o: CachedOptions, compute: () => Promise<T>): Promise<T> {
  const s = shared();
  s.kind ??= (await getDatabase()).kind;
  const key = cacheKey(o.path, o.input, o.actor);
  const entry = s.cache.get(key);
  // the embedded engine is held by an analysis: nothing can change the data meanwhile
  if (entry && embeddedBusy()) return entry.value as T;
  const running = s.inflight.get(key);
  if (running) return running as Promise<T>;
  if (o.heavy) s.queue.assertRoom(); // refused at once, not after waiting to read the version
  const work = (async () => {
    const version = await dataVersion(o.actor);
    const hit = s.cache.get(key);
    if (hit && hit.version === version) {
      remember(s, key, version, hit.value);
      return hit.value as T;
    }
    const value = o.heavy ? await s.queue.run(o.path, compute) : await compute();
    remember(s, key, version, value);
    return value;
  })();
  s.inflight.set(key, work);
  try {
    return await work;
  } finally {
    if (s.inflight.get(key) === work) s.inflight.delete(key);
  }
}

/** Heavy work that is not cached (an export that audits what it wrote): through the queue only. */
export async function heavyRun<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const s = shared();
  s.kind ??= (await getDatabase()).kind;
  return s.queue.run(what, fn);
}

/** Drops every cached result (tests, and a restore that replaces the data). */
export function clearAnalysisCache(): void {
  shared().cache.clear();
}
