// The server's log: one JSON object per line, so an operator's tools (journalctl -o cat |
// jq, a log shipper) can filter by level, event or request id. Fields of every line:
//   time       ISO 8601 UTC
//   level      debug | info | warn | error
//   event      a dotted name of what happened ("trpc.error", "http.request", "server.start")
//   requestId  the request's id (x-request-id, see server/request-id.ts), when there is one
//   actor      who asked ("user:li", "system:cli"), when known
//   message    one English sentence
//   fields     anything else, as an object (error stacks go into fields.stack)
// info and debug go to stdout, warn and error to stderr. No dependency: a logger library
// would bring transports and levels this product does not need.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  requestId?: string;
  actor?: string;
  message?: string;
  fields?: Record<string, unknown>;
}

export interface LogContext {
  requestId?: string | null;
  actor?: string | null;
  message?: string;
  /** An error whose message and stack go into fields. */
  err?: unknown;
  [field: string]: unknown;
}

type Sink = (line: string, level: LogLevel) => void;

const defaultSink: Sink = (line, level) => {
  (level === 'warn' || level === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
};

// On globalThis so that Next's bundles and the start script share one sink.
const SINK_KEY = Symbol.for('pingan.log.sink');
type GlobalWithSink = typeof globalThis & { [SINK_KEY]?: Sink };

/** Replaces where lines go (tests collect them); returns the previous sink. */
export function setLogSink(sink: Sink | null): Sink {
  const g = globalThis as GlobalWithSink;
  const prev = g[SINK_KEY] ?? defaultSink;
  g[SINK_KEY] = sink ?? defaultSink;
  return prev;
}

function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const out: Record<string, unknown> = { error: err.message, errorName: err.name };
    if (err.stack) out.stack = err.stack;
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) out.cause = cause.message;
    const code = (err as { code?: unknown }).code ?? (cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  return { error: String(err) };
}

/** The record for one line (exported for tests). */
export function logRecord(level: LogLevel, event: string, ctx: LogContext = {}, now = new Date()): LogRecord {
  const { requestId, actor, message, err, ...rest } = ctx;
  const fields: Record<string, unknown> = { ...(err !== undefined ? errorFields(err) : {}), ...rest };
  const record: LogRecord = { time: now.toISOString(), level, event };
  if (requestId) record.requestId = requestId;
  if (actor) record.actor = actor;
  if (message) record.message = message;
  if (Object.keys(fields).length) record.fields = fields;
  return record;
}

function safeStringify(record: LogRecord): string {
  try {
    return JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch {
    // a circular or otherwise unserialisable field: keep the line, drop the fields
    return JSON.stringify({ ...record, fields: { unserialisable: true } });
  }
}

export function log(level: LogLevel, event: string, ctx?: LogContext): void {
  const g = globalThis as GlobalWithSink;
  (g[SINK_KEY] ?? defaultSink)(safeStringify(logRecord(level, event, ctx)), level);
}

export const logger = {
  debug: (event: string, ctx?: LogContext) => log('debug', event, ctx),
  info: (event: string, ctx?: LogContext) => log('info', event, ctx),
  warn: (event: string, ctx?: LogContext) => log('warn', event, ctx),
  error: (event: string, ctx?: LogContext) => log('error', event, ctx),
};
