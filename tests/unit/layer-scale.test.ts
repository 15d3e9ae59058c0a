// The layers' colour classes (app/layers/scale.ts): quantile breaks never leave the first class
// empty, every value falls in the class its legend label names, and the labels read [lo, hi).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classLabel, classOf, quantileBreaks } from '../../app/layers/scale';

test('quantile breaks skip the minimum, so no class is empty', () => {
  const values = [0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 5, 8, 13];
  const b = quantileBreaks(values, 5);
  assert.ok(b.length >= 1 && b.length <= 4);
  assert.ok(b[0]! > 0, `first break ${b[0]} is above the minimum`);
  const counts = new Array(b.length + 1).fill(0);
  for (const v of values) counts[classOf(v, b)]++;
  assert.ok(counts.every((n) => n > 0), `class sizes ${counts.join(',')}`);
  assert.deepEqual(quantileBreaks([], 5), []);
  assert.deepEqual(quantileBreaks([4, 4, 4], 5), []);
});

test('class labels read [lo, hi) from the minimum, the last open-ended', () => {
  const b = [1, 3, 5];
  assert.equal(classLabel(0, b, 0, '起'), '0 – 1 起');
  assert.equal(classLabel(1, b, 0, '起'), '1 – 3 起');
  assert.equal(classLabel(3, b, 0, '起'), '≥ 5 起');
  assert.equal(classLabel(0, [], 7, '人'), '7 人');
  // every class a value can take has a label that is not empty
  for (let k = 0; k <= b.length; k++) assert.match(classLabel(k, b, 0, '起'), /\d/);
});
