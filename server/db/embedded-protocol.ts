// The socket protocol fixes between pglite-socket and PGlite, used by the embedded
// database's thread (embedded-worker.ts).
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

