// The evaluation's displacement reading follows its numbers: every branch of the WDQ
// verdict on hand-made counts, including a target whose own count rose while it fell
// relative to the control cells (147 → 166 against a control that doubled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displacement } from '../../server/services/hotspots/target-evaluation';

const base = { targetBefore: 100, targetAfter: 50, ringBefore: 100, ringAfter: 100, controlBefore: 1000, controlAfter: 1000 };

test('no control incidents: no quotient', () => {
  assert.deepEqual(displacement({ ...base, controlBefore: 0 }), { wdq: null, reading: '对照区无案事件,无法计算位移商' });
});

test('a target that did not fall relative to control: no quotient', () => {
  assert.deepEqual(displacement({ ...base, targetAfter: 100 }), { wdq: null, reading: '目标区域相对对照区未见下降,不计算位移商' });
});

test('diffusion of benefits: the ring fell with the target', () => {
  const r = displacement({ ...base, ringAfter: 60 });
  assert.ok(Math.abs(r.wdq! - 0.8) < 1e-12); // (0.06 − 0.1) / (0.05 − 0.1)
  assert.equal(r.reading, '效益扩散:周边相对对照区同步下降(周边案事件实际由 100 起减至 60 起)');
});

test('neither: the ring stayed level', () => {
  const r = displacement(base);
  assert.ok(Math.abs(r.wdq!) < 1e-12);
  assert.equal(r.reading, '未见明显转移或扩散');
});

test('partial displacement: the ring rose by less than the target fell', () => {
  const r = displacement({ ...base, ringAfter: 120 });
  assert.ok(Math.abs(r.wdq! + 0.4) < 1e-12);
  assert.equal(r.reading, '部分转移:周边相对对照区有所上升(周边案事件实际由 100 起增至 120 起)');
});

test('displacement: the ring rose by more than the target fell', () => {
  const r = displacement({ ...base, ringAfter: 170 });
  assert.ok(r.wdq! < -1);
  assert.match(r.reading, /^犯罪转移:周边相对对照区的上升超过目标区域的相对下降/);
});

test('a target whose count rose (147 → 166) is never said to have fallen: the fall is relative to control', () => {
  const r = displacement({ targetBefore: 147, targetAfter: 166, ringBefore: 200, ringAfter: 600, controlBefore: 500, controlAfter: 1000 });
  assert.ok(r.wdq !== null && r.wdq < -1, `WDQ ${r.wdq}`);
  assert.match(r.reading, /相对下降/);
  assert.match(r.reading, /目标区域案事件实际由 147 起增至 166 起,下降仅相对于对照区/);
  assert.doesNotMatch(r.reading, /超过目标区域的下降/);
});
