// One client's stream of live events: replay from its last event id, then what the hub
// passes on, filtered by the client's township scope. Ends when the client goes (the
// abort signal) or when tRPC's maxDurationMs ends the response (the client reconnects
// with its last id, and its token is checked again).
import { tracked } from '@trpc/server';
import type { Actor } from '../context';
import { liveHub, visibleTo, type LiveEvent } from './outbox';

/** The most events a slow client may have waiting before it is told to reload instead. */
const QUEUE_MAX = 2_000;

/**
 * `hello` opens a stream that has no last id yet: it carries the hub's high-water mark, so the
 * client's next reconnect resumes from there and misses nothing of the gap. `reset`: more was
 * missed than can be replayed; reload the panels.
 */
export type StreamItem = LiveEvent | { id: string; topic: 'reset' | 'hello'; at: string; township: null; payload: Record<string, never> };

export async function* liveStream(actor: Actor, lastEventId: string | null | undefined, signal: AbortSignal | undefined) {
  const hub = liveHub();
  await hub.start();
  const queue: LiveEvent[] = [];
  let overflow = false;
  let wake: (() => void) | null = null;
  const off = hub.listen((e) => {
    if (!visibleTo(actor, e)) return;
    if (queue.length >= QUEUE_MAX) overflow = true;
    else queue.push(e);
    (wake as (() => void) | null)?.();
  });
  let ended = hub.closing;
  const onAbort = () => wake?.();
  const offClose = hub.onClose(() => {
    ended = true;
    (wake as (() => void) | null)?.();
  });
  signal?.addEventListener('abort', onAbort);
  try {
    let last = -1n;
    const replayed = new Set<string>();
    const reset = (): StreamItem => ({ id: String(last < 0n ? 0n : last), topic: 'reset', at: new Date().toISOString(), township: null, payload: {} });
    if (!lastEventId || !/^\d{1,19}$/.test(lastEventId)) {
      last = hub.highWater;
      const hello: StreamItem = { id: last.toString(), topic: 'hello', at: new Date().toISOString(), township: null, payload: {} };
      yield tracked(hello.id, hello);
    } else {
      const missed = await hub.since(BigInt(lastEventId));
      last = BigInt(lastEventId);
      if (missed === null) yield tracked(reset().id, reset());
      else {
        for (const e of missed) {
          if (!visibleTo(actor, e)) continue;
          last = BigInt(e.id);
          replayed.add(e.id);
          yield tracked(e.id, e as StreamItem);
        }
      }
    }
    while (!signal?.aborted && !ended) {
      if (overflow) {
        overflow = false;
        queue.length = 0;
        yield tracked(reset().id, reset());
        continue;
      }
      const e = queue.shift();
      if (!e) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
        continue;
      }
      if (replayed.delete(e.id)) continue; // already sent by the replay
      if (BigInt(e.id) > last) last = BigInt(e.id);
      yield tracked(e.id, e as StreamItem);
    }
  } finally {
    off();
    offClose();
    signal?.removeEventListener('abort', onAbort);
    (wake as (() => void) | null)?.();
  }
}
