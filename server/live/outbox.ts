// Live events: the outbox (migration 0017) and the one poller per server process that
// fans new rows out to the wall's subscriptions.
//
// A change the wall shows calls emit(tx, …) in the transaction of the change, so an event
// exists exactly when its change committed. The hub reads rows with a larger id than the
// last it saw about once a second (LIVE_POLL_MS), keeps the latest in memory for clients
// that reconnect, and calls its listeners. A client that comes back with an older
// lastEventId than memory holds is replayed from the table; one that is further behind
// than REPLAY_MAX gets a `reset` event and reloads its panels instead.
//
// Ids grow but a transaction that started earlier may commit a smaller id after a larger
// one has been read: the poller therefore re-reads a short window behind its high-water
// mark (LATE_WINDOW) and passes on only ids it has not passed on before.
import { many, maybeOne } from '../db/index';
import { withScope, type Tx } from '../db/scope';
import { systemActor, type Actor } from '../context';
import { readEnv } from '../env';
import { logger } from '../log';

export const LIVE_TOPICS = ['incident.new', 'incident.status', 'camera.status', 'hazard.alert', 'target.status', 'patrol.position', 'data.import'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export interface LiveEventInput {
  topic: LiveTopic;
  /** null: county-wide */
  township: string | null;
  payload: Record<string, unknown>;
}

export interface LiveEvent extends LiveEventInput {
  /** the outbox id, as a string (tracked event ids are strings) */
  id: string;
  /** when the change committed its event (ISO) */
  at: string;
}

/** Writes events in the caller's transaction: they are seen only if it commits. */
export async function emit(tx: Tx, events: LiveEventInput[]): Promise<void> {
  if (!events.length) return;
  await many(
    `INSERT INTO live_events (topic, township_code, payload)
     SELECT t, c, p FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS e(t, c, p)`,
    [events.map((e) => e.topic), events.map((e) => e.township), events.map((e) => JSON.stringify(e.payload))],
    'recording live events', tx,
  );
}

/** May this actor see the event? The same rule as the table's policy. */
export function visibleTo(actor: Actor, e: LiveEvent): boolean {
  return e.township === null || actor.townships === null || actor.townships.includes(e.township.trim());
}

const MEMORY = 2_000;
const REPLAY_MAX = 5_000;
const LATE_WINDOW = 200;
const READ_BATCH = 1_000;
const LIVE = systemActor('live events', []);

interface Row { id: string; at: Date; topic: LiveTopic; township_code: string | null; payload: Record<string, unknown> }
const toEvent = (r: Row): LiveEvent => ({ id: String(r.id), at: r.at.toISOString(), topic: r.topic, township: r.township_code?.trim() ?? null, payload: r.payload });

export type Listener = (e: LiveEvent) => void;

export class LiveHub {
  private readonly recent: LiveEvent[] = [];
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<Listener>();
  private high = -1n;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private started: Promise<void> | null = null;
  private readonly closers = new Set<() => void>();
  closing = false;
  /** the last successful read, for health and the wall's own staleness */
  lastReadAt = 0;
  failures = 0;

  constructor(private readonly pollMs: number = readEnv().LIVE_POLL_MS) {}

  /** Starts polling from the newest event (idempotent). */
  start(): Promise<void> {
    if (!this.started) {
      this.started = (async () => {
        const r = await withScope(LIVE, { attempted: 'reading the newest live event', readOnly: true }, (tx) =>
          maybeOne<{ id: string | null }>(`SELECT max(id)::text AS id FROM live_events`, [], 'reading the newest live event', tx));
        this.high = BigInt(r?.id ?? 0);
        this.timer = setInterval(() => void this.poll(), this.pollMs);
        this.timer.unref();
      })().catch((err) => {
        this.started = null;
        throw err;
      });
    }
    return this.started;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.started = null;
  }

  /** Ends every open stream (server shutdown: open SSE responses would hold it up). */
  close(): void {
    this.stop();
    this.closing = true;
    for (const fn of this.closers) fn();
  }

  /** Called when the hub closes; returns the unsubscribe function. */
  onClose(fn: () => void): () => void {
    this.closers.add(fn);
    return () => this.closers.delete(fn);
  }

  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The largest id read so far (where a new stream starts). */
  get highWater(): bigint {
    return this.high < 0n ? 0n : this.high;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** One read of new rows (also called by tests and after a local write, to skip the wait). */
  poll(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.read().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async read(): Promise<void> {
    if (this.high < 0n) return;
    try {
      for (;;) {
        const from = this.high - BigInt(LATE_WINDOW);
        const rows = await withScope(LIVE, { attempted: 'reading live events', readOnly: true, timeoutMs: 10_000 }, (tx) =>
          many<Row>(
            `SELECT id::text AS id, at, topic, township_code, payload FROM live_events WHERE id > $1 ORDER BY id LIMIT ${READ_BATCH}`,
            [from.toString()], 'reading live events', tx,
          ));
        this.lastReadAt = Date.now();
        this.failures = 0;
        for (const r of rows) {
          if (this.seen.has(r.id)) continue;
          const e = toEvent(r);
          this.remember(e);
          const id = BigInt(e.id);
          if (id > this.high) this.high = id;
          for (const fn of this.listeners) {
            try {
              fn(e);
            } catch (err) {
              logger.error('live.listener', { message: `a live-event listener failed: ${(err as Error).message}`, err });
            }
          }
        }
        if (rows.length < READ_BATCH) return;
      }
    } catch (err) {
      this.failures++;
      if (this.failures === 1 || this.failures % 60 === 0) logger.warn('live.poll', { message: `reading live events failed (${this.failures}×): ${(err as Error).message}` });
    }
  }

  private remember(e: LiveEvent): void {
    this.recent.push(e);
    this.seen.add(e.id);
    while (this.recent.length > MEMORY) this.seen.delete(this.recent.shift()!.id);
  }

  /**
   * The events after `lastId` (for a client that reconnects): from memory when it still
   * holds them, else from the table; null when more than REPLAY_MAX were missed (the
   * client should reload instead).
   */
  async since(lastId: bigint): Promise<LiveEvent[] | null> {
    const oldest = this.recent[0];
    if (oldest && BigInt(oldest.id) <= lastId + 1n) return this.recent.filter((e) => BigInt(e.id) > lastId);
    const rows = await withScope(LIVE, { attempted: 'replaying live events', readOnly: true, timeoutMs: 10_000 }, (tx) =>
      many<Row>(
        `SELECT id::text AS id, at, topic, township_code, payload FROM live_events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT ${REPLAY_MAX + 1}`,
        [lastId.toString(), this.high.toString()], 'replaying live events', tx,
      ));
    if (rows.length > REPLAY_MAX) return null;
    return rows.map(toEvent);
  }

  /** Memory held, for the soak and load benchmarks. */
  stats(): { recent: number; listeners: number; high: string; lastReadAt: number; failures: number } {
    return { recent: this.recent.length, listeners: this.listeners.size, high: this.high.toString(), lastReadAt: this.lastReadAt, failures: this.failures };
  }
}

// One hub per process. Next.js may load this module more than once (route bundles), so
// the instance lives on globalThis.
const KEY = Symbol.for('pingan.liveHub');
export function liveHub(): LiveHub {
  const g = globalThis as unknown as Record<symbol, LiveHub | undefined>;
  return (g[KEY] ??= new LiveHub());
}
