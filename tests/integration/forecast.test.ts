// The county's hotspot forecast (planner): the method chosen by validation inside the
// history, expected incidents that add up to the history's rate over the horizon, folds
// that never reach past the forecast's start, and its bounds refused in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caller, inRollback } from '../helpers';
import { one } from '../../server/db/index';
import { runCountyForecast } from '../../server/services/forecast/county';
import { METHOD_NAMES } from '../../server/services/forecast/methods';

const AS_OF = new Date('2026-11-15T00:00:00+08:00');

test('the demo county forecast: a validated method, expected counts that add up, folds inside the history', { timeout: 300_000 }, async () => {
  const r = await inRollback((tx) => runCountyForecast(tx, { cellM: 500, horizonDays: 90, historyDays: 730, asOf: AS_OF }));
  assert.ok(METHOD_NAMES.includes(r.method.chosen));
  assert.ok(r.method.incidents > 1000, `${r.method.incidents} incidents`);
  assert.match(r.method.reason, /rolling-origin/);
  assert.ok(r.method.folds.length >= 2);
  for (const f of r.method.folds) assert.ok(new Date(f.end) <= AS_OF, `fold ending ${f.end}`);
  const total = r.cells.reduce((a, c) => a + c.expected, 0);
  const want = (r.method.incidents / 730) * 90;
  assert.ok(Math.abs(total - want) / want < 0.01, `expected ${total} vs the history's rate × 90 days = ${want}`);
  assert.deepEqual([...r.method.breaks].sort((a, b) => a - b), r.method.breaks);
  // every cell's centre lies in the county's bounding box (grown by one cell)
  const box = await inRollback((tx) => one<{ x0: number; y0: number; x1: number; y1: number }>(
    `SELECT ST_XMin(e) - 0.01 AS x0, ST_YMin(e) - 0.01 AS y0, ST_XMax(e) + 0.01 AS x1, ST_YMax(e) + 0.01 AS y1 FROM (SELECT ST_Extent(geom)::geometry AS e FROM admin_areas WHERE level = 'county') c`, [], 'the county box', tx));
  assert.ok(r.cells.every((c) => c.polygon.type === 'Polygon' && c.lon > box.x0 && c.lon < box.x1 && c.lat > box.y0 && c.lat < box.y1));
});

test('forecast bounds are refused in Chinese at the edge', async () => {
  const api = await caller();
  await assert.rejects(api.hotspots.forecast({ cellM: 500, horizonDays: 3 }), /预测天数/);
  await assert.rejects(api.hotspots.forecast({ cellM: 500, historyDays: 5000 }), /历史天数/);
  await assert.rejects(api.hotspots.forecast({ cellM: 10 }), /网格边长/);
});
