// The 挂牌整治 lifecycle through tRPC: a target from the ranked list, listed with its days
// left and overdue flag, moved through its statuses; bad input is BAD_REQUEST.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback, TEST_ACTOR } from '../helpers';
import { many } from '../../server/db/index';
import { withScope } from '../../server/db/scope';

after(() => withScope(TEST_ACTOR, { attempted: 'cleaning up test targets' }, (tx) => many(`DELETE FROM rectification_targets WHERE name LIKE '测试整治%'`, [], 'cleaning up test targets', tx)));

test('a target created from the top of the ranked list covers its cell, is listed and becomes overdue after its deadline', { timeout: 180_000 }, async () => {
  const api = await caller();
  const [top] = (await api.targets.rank({ top: 1 })).targets;
  assert.ok(top);
  const { id } = await api.targets.create({
    name: '测试整治目标一', lon: top.lon, lat: top.lat, cellM: 500, reasons: [top.reason], responsibleUnit: '城关派出所', startsOn: '2026-10-01', deadline: '2026-12-31',
  });
  const cell = await inRollback((c) => many<{ area: number; inside: boolean }>(
    `SELECT ST_Area(geom::geography) AS area, ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS inside FROM rectification_targets WHERE id = $1`,
    [id, top.lon, top.lat], 'reading the target', c,
  ));
  assert.ok(Math.abs(cell[0]!.area - 250_000) < 2_500, `${cell[0]!.area} m²`);
  assert.equal(cell[0]!.inside, true);
  const before = (await api.targets.list({ today: '2026-11-22' })).find((t) => t.id === id)!;
  assert.deepEqual([before.status, before.overdue, before.daysLeft], ['listed', false, 39]);
  // listed, the target names its place as the ranked list did
  assert.equal(before.place.township, top.place.township);
  assert.match(before.place.text, /(镇|乡|街道)/);
  const later = (await api.targets.list({ today: '2027-01-05' })).find((t) => t.id === id)!;
  assert.equal(later.overdue, true);
  await api.targets.setStatus({ id, status: 'completed' });
  const done = (await api.targets.list({ today: '2027-01-05' })).find((t) => t.id === id)!;
  assert.deepEqual([done.status, done.overdue], ['completed', false]);
});

test('bad targets are refused, naming what is wrong', async () => {
  const api = await caller();
  const base = { name: '测试整治目标二', lon: 117.6, lat: 25.7, reasons: ['测试'], responsibleUnit: '城关派出所', startsOn: '2026-10-01', deadline: '2026-12-31' };
  const refused = async (input: typeof base, pattern: RegExp) =>
    assert.rejects(() => api.targets.create(input), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && pattern.test(e.message));
  await refused({ ...base, deadline: '2026-09-01' }, /整治期限不能早于开始日期/);
  await refused({ ...base, responsibleUnit: ' ' }, /责任单位不能为空/);
  await refused({ ...base, lon: 100, lat: 30 }, /不在县域范围内/);
  await assert.rejects(() => api.targets.setStatus({ id: 999_999, status: 'completed' }), /整治目标 999999 不存在/);
});
