// The JSON log line's shape (server/log.ts) and the request id rules (server/request-id.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { log, logger, logRecord, setLogSink, type LogLevel } from '../../server/log';
import { newRequestId, requestIdFrom, requestIdOf } from '../../server/request-id';

function capture(fn: () => void): { line: string; level: LogLevel }[] {
  const lines: { line: string; level: LogLevel }[] = [];
  const prev = setLogSink((line, level) => lines.push({ line, level }));
  try {
    fn();
  } finally {
    setLogSink(prev);
  }
  return lines;
}

test('a log line is one JSON object with time, level, event, requestId, actor, message and fields', () => {
  const lines = capture(() => logger.info('http.request', { requestId: 'abcd1234efgh', actor: 'user:li', message: 'GET /api/health 200', status: 200, ms: 12 }));
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.line.includes('\n'), 'one line');
  assert.equal(lines[0]!.level, 'info');
  const r = JSON.parse(lines[0]!.line);
  assert.deepEqual(Object.keys(r), ['time', 'level', 'event', 'requestId', 'actor', 'message', 'fields']);
  assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(r.level, 'info');
  assert.equal(r.event, 'http.request');
  assert.equal(r.requestId, 'abcd1234efgh');
  assert.equal(r.actor, 'user:li');
  assert.equal(r.message, 'GET /api/health 200');
  assert.deepEqual(r.fields, { status: 200, ms: 12 });
});

test('absent parts are left out; an error gives its message, name, code and stack; bigints and cycles do not break the line', () => {
  assert.deepEqual(logRecord('warn', 'x', {}, new Date(0)), { time: '1970-01-01T00:00:00.000Z', level: 'warn', event: 'x' });
  const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  const r = logRecord('error', 'trpc.error', { requestId: null, err, path: 'stats.counts' });
  assert.equal(r.requestId, undefined);
  assert.equal(r.fields?.error, 'connect ECONNREFUSED 127.0.0.1:5432');
  assert.equal(r.fields?.errorName, 'Error');
  assert.equal(r.fields?.code, 'ECONNREFUSED');
  assert.match(String(r.fields?.stack), /^Error: connect ECONNREFUSED/);
  assert.equal(r.fields?.path, 'stats.counts');

  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const lines = capture(() => {
    log('error', 'a', { big: 10n });
    log('debug', 'b', { cyclic });
  });
  assert.equal(JSON.parse(lines[0]!.line).fields.big, '10');
  assert.equal(lines[0]!.level, 'error');
  assert.deepEqual(JSON.parse(lines[1]!.line).fields, { unserialisable: true });
});

test('a request id is kept when it is a safe short token, else a new one is made', () => {
  const h = (v?: string) => new Headers(v === undefined ? {} : { 'x-request-id': v });
  assert.equal(requestIdFrom(h('9f1c2e7a-5b3d-4c1e-8a2f-0d6b7e9c1a3f')), '9f1c2e7a-5b3d-4c1e-8a2f-0d6b7e9c1a3f', 'a UUID from a reverse proxy');
  assert.equal(requestIdFrom(h('nginx.1234:abcd')), 'nginx.1234:abcd');
  for (const bad of [undefined, '', 'short', 'x'.repeat(65), 'id with spaces 123', 'abc"}{"level":"error', '../../etc/passwd', 'caf\u00e9-12345678']) {
    const id = requestIdFrom(h(bad));
    assert.match(id, /^[0-9a-f]{32}$/, `"${bad}" is replaced by a new id`);
  }
  assert.match(requestIdOf('请求编号12345678'), /^[0-9a-f]{32}$/, 'non-ASCII is replaced');
  assert.notEqual(newRequestId(), newRequestId());
});

test('a statement cancelled by the timeout names DB_STATEMENT_TIMEOUT_MS', async () => {
  const { DbError } = await import('../../server/db/index');
  const e = new DbError('weighting counts', Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }));
  assert.match(e.message, /DB_STATEMENT_TIMEOUT_MS/);
  const other = new DbError('weighting counts', Object.assign(new Error('canceling statement due to user request'), { code: '57014' }));
  assert.doesNotMatch(other.message, /DB_STATEMENT_TIMEOUT_MS/);
});
