// The connection stays in step after errors, on both engines (the embedded server needed
// a fix for this: see withSyncedErrors in server/db/embedded.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback, sqlState } from '../helpers';
import { getDatabase } from '../../server/db/index';

test('a failing parameterised query does not shift the answers of the next ones', async () => {
  const client = await (await getDatabase()).pool.connect();
  try {
    await assert.rejects(() => client.query('SELECT 1 / $1::int AS x', [0]), /division by zero/);
    assert.deepEqual((await client.query('SELECT $1::int AS y', [5])).rows, [{ y: 5 }]);
    await assert.rejects(() => client.query('SELECT nonsense FROM nowhere WHERE x = $1', [1]));
    assert.deepEqual((await client.query('SELECT 7 AS y')).rows, [{ y: 7 }]);
  } finally {
    client.release();
  }
});

test('errors inside savepoints roll back to the savepoint and the transaction goes on', async () => {
  await inRollback(async (c) => {
    for (let i = 0; i < 3; i++) assert.equal(await sqlState(c, 'SELECT 1 / $1::int', [0]), '22012');
    assert.deepEqual((await c.query('SELECT $1::text AS v', ['still here'])).rows, [{ v: 'still here' }]);
  });
});

test('parallel parameterised queries of different shapes on several connections each get their own answers', { timeout: 120_000 }, async () => {
  const { pool } = await getDatabase();
  // A large parameter arrives in many TCP chunks, giving other connections room to slip
  // their Parse in between this one's Parse and Bind; a Bind that reached another
  // connection's statement fails ("supplies 1 parameters … requires 2") or answers wrongly.
  const big = 'x'.repeat(3_000_000);
  const jobs: { text: string; params: unknown[]; v: number }[] = [];
  for (let i = 0; i < 40; i++) {
    jobs.push({ text: 'SELECT length($1::text) AS v', params: [big + i], v: big.length + String(i).length });
    jobs.push({ text: 'SELECT $1::int + $2::int AS v', params: [i, 1], v: i + 1 });
  }
  const answers = await Promise.allSettled(jobs.map((j) => pool.query(j.text, j.params)));
  const wrong = answers.filter((a, i) => a.status === 'rejected' || a.value.rows[0].v !== jobs[i]!.v);
  assert.equal(wrong.length, 0, `${wrong.length} of ${jobs.length} queries got another's answer or failed`);
});
