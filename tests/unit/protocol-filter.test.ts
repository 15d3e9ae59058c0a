// The ReadyForQuery filter used in front of PGlite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dropReadyForQuery } from '../../server/db/embedded';

const msg = (type: string, body: number[] = []) => Uint8Array.from([type.charCodeAt(0), 0, 0, 0, 4 + body.length, ...body]);

test('ReadyForQuery messages are removed and other messages kept in order', () => {
  const data = Uint8Array.from([...msg('E', [1, 2]), ...msg('Z', [73]), ...msg('C', [3])]);
  const { complete, rest } = dropReadyForQuery(data);
  assert.deepEqual([...complete], [...msg('E', [1, 2]), ...msg('C', [3])]);
  assert.equal(rest.length, 0);
});

test('an incomplete trailing message is carried over, not emitted', () => {
  const whole = msg('D', [9, 9, 9]);
  const { complete, rest } = dropReadyForQuery(Uint8Array.from([...msg('T'), ...whole.subarray(0, 4)]));
  assert.deepEqual([...complete], [...msg('T')]);
  assert.deepEqual([...rest], [...whole.subarray(0, 4)]);
});
