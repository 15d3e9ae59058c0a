// The emerging-hotspot pattern rules, on hand-made slice histories (oldest first;
// +1 significant hot, −1 significant cold, 0 neither).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyPattern, patternLabel } from '../../server/services/hotspots/emerging';

const flat = { z: 0, p: 1 };
const rising = { z: 3, p: 0.001 };
const falling = { z: -3, p: 0.001 };

test('hot only in the last slice is new (新增热点)', () => {
  assert.equal(classifyPattern([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], flat), 'new-hot');
  assert.equal(patternLabel('new-hot'), '新增热点');
});

test('one unbroken run at the end, short of 90 %, is consecutive', () => {
  assert.equal(classifyPattern([0, 0, 0, 0, 0, 0, 1, 1, 1, 1], flat), 'consecutive-hot');
});

test('hot in at least 90 % of slices including the last: intensifying, persistent or diminishing by the trend', () => {
  assert.equal(classifyPattern([0, 1, 1, 1, 1, 1, 1, 1, 1, 1], rising), 'intensifying-hot');
  assert.equal(classifyPattern([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], flat), 'persistent-hot');
  assert.equal(classifyPattern([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], falling), 'diminishing-hot');
});

test('on and off: sporadic, or oscillating when the cell was also a cold spot', () => {
  assert.equal(classifyPattern([1, 0, 1, 0, 0, 1, 0, 0, 0, 1], flat), 'sporadic-hot');
  assert.equal(classifyPattern([1, 0, -1, 0, 0, 1, 0, 0, 0, 1], flat), 'oscillating-hot');
});

test('hot in most slices but not the last is historical; never significant is no pattern; cold mirrors hot', () => {
  assert.equal(classifyPattern([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0], flat), 'historical-hot');
  assert.equal(classifyPattern([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], flat), 'none');
  assert.equal(classifyPattern([0, 0, 0, 0, 0, 0, 0, 0, 0, -1], flat), 'new-cold');
  assert.equal(patternLabel('persistent-cold'), '持续冷点');
});
