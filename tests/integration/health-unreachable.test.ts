// Health reports an unreachable database as not ok, with the reason (the route answers 503).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

test('health is not ok, with a reason, when the database cannot be reached', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tests/fixtures/health.ts'], {
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pingan' },
    encoding: 'utf8',
  });
  const health = JSON.parse(out);
  assert.equal(health.ok, false);
  assert.match(health.reason, /数据库不可用/, 'the public reason is a sentence without addresses');
  assert.match(health.detail, /Cannot reach the PostgreSQL server at 127\.0\.0\.1:1/, 'the cause, for the log');
});
