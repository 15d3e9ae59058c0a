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

test('parallel queries on several pooled connections each get their own answers', async () => {
  const { pool } = await getDatabase();
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.query('SELECT $1::int * 2 AS v', [i])));
  assert.deepEqual(answers.map((a) => a.rows[0].v), Array.from({ length: 12 }, (_, i) => i * 2));
});
