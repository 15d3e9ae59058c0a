// Hotspot analysis over the demo county and over a real crime file: every cell reported
// (zero counts too), counts add up, the CLI's JSON contract, and bad parameters answered
// with a sentence (BAD_REQUEST), never a server error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TRPCError } from '@trpc/server';
import { caller, inRollback } from '../helpers';
import { one } from '../../server/db/index';

test('every fishnet cell of the county is reported, and the counts add up to the incidents in the window', { timeout: 120_000 }, async () => {
  const api = await caller();
  const from = new Date('2026-01-01T00:00:00+08:00');
  const to = new Date('2026-07-01T00:00:00+08:00');
  const r = await api.hotspots.gistar({ shape: 'square', cellM: 1000, neighbours: { kind: 'distance', metres: 2500 }, from, to });
  const expected = await inRollback((c) => one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [from, to], 'counting', c));
  assert.equal(r.method.incidents, expected.n);
  assert.equal(r.cells.reduce((a, c) => a + c.count, 0), expected.n, 'each incident in exactly one cell');
  const county = await inRollback((c) => one<{ km2: number }>(`SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM admin_areas WHERE level = 'county'`, [], 'area', c));
  assert.ok(r.cells.length >= county.km2 && r.cells.length < county.km2 * 1.2, `${r.cells.length} cells for ${county.km2} km²`);
  assert.ok(r.cells.filter((c) => c.count === 0).length > r.cells.length / 3, 'zero-count cells are included');
  const hot = r.cells.filter((c) => c.class === 'hot-99');
  assert.ok(hot.length > 0);
  // The county seat's markets and stations make the strongest hotspots: near the centre.
  const top = [...r.cells].sort((a, b) => (b.z ?? 0) - (a.z ?? 0))[0]!;
  assert.ok(Math.abs(top.lon - 117.6) < 0.05 && Math.abs(top.lat - 25.7) < 0.05, `top cell at ${top.lon}, ${top.lat}`);
});

test('grid cells carry population and a rate per 1,000 residents', { timeout: 120_000 }, async () => {
  const r = await (await caller()).hotspots.gistar({ shape: 'grid', neighbours: { kind: 'knn', k: 8 }, categories: ['盗窃'] });
  assert.equal(r.method.shape, 'grid');
  const grids = await inRollback((c) => one<{ n: number }>('SELECT count(*)::int AS n FROM grids', [], 'counting grids', c));
  assert.equal(r.cells.length, grids.n);
  const withRate = r.cells.filter((c) => c.ratePer1000 !== null);
  assert.ok(withRate.length > grids.n * 0.9);
  const theft = await inRollback((c) => one<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE category_code = 'criminal.theft'`, [], 'counting', c));
  assert.equal(r.method.incidents, theft.n);
});

test('bad parameters are BAD_REQUEST with a Chinese sentence; an empty window is an empty result with a reason', async () => {
  const api = await caller();
  const bad = async (input: Parameters<typeof api.hotspots.gistar>[0], pattern: RegExp) => {
    await assert.rejects(() => api.hotspots.gistar(input), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && pattern.test(e.message));
  };
  await bad({ shape: 'square', cellM: 0, neighbours: { kind: 'distance', metres: 1000 } } as never, /网格边长/);
  // below the smallest cell the schema allows (the cell-count estimate is the cost-bound test's)
  await bad({ shape: 'square', cellM: 5, neighbours: { kind: 'distance', metres: 1000 } }, /网格边长.*100 米/);
  await bad({ shape: 'square', cellM: 1000, neighbours: { kind: 'distance', metres: 2000 }, from: new Date('2026-05-01'), to: new Date('2026-04-01') }, /时间范围为空/);
  await bad({ shape: 'square', cellM: 1000, neighbours: { kind: 'distance', metres: 2000 }, categories: ['外星人'] }, /未知的案件类别“外星人”/);
  const empty = await api.hotspots.gistar({ shape: 'square', cellM: 2000, neighbours: { kind: 'distance', metres: 5000 }, from: new Date('2010-01-01'), to: new Date('2010-02-01') });
  assert.equal(empty.method.incidents, 0);
  assert.match(empty.method.note ?? '', /No incidents/);
  assert.ok(empty.cells.length > 0 && empty.cells.every((c) => c.count === 0 && c.z === null && c.class === 'none'));
});

const CHICAGO = path.resolve('..', 'shared', 'data', 'crime', 'chicago_crimes_2017_2019_sample.csv');

test('cli hotspots --input reads a real crime CSV through the import aliases and prints the JSON contract', { skip: !fs.existsSync(CHICAGO) && 'no shared data', timeout: 300_000 }, () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'hotspots', '--input', CHICAGO, '--cell', '1000', '--distance', '2000', '--json'], { env: process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(out);
  assert.ok(r.method.incidents > 24_000, `${r.method.incidents} incidents`);
  assert.equal(r.cells.reduce((a: number, c: { count: number }) => a + c.count, 0), r.method.incidents);
  for (const key of ['id', 'lon', 'lat', 'count', 'z', 'p', 'pFdr', 'class']) assert.ok(key in r.cells[0], key);
  assert.ok(r.cells.some((c: { class: string }) => c.class === 'hot-99'));
  assert.ok(r.cells.every((c: { lon: number; lat: number }) => c.lon > -88 && c.lon < -87.5 && c.lat > 41.6 && c.lat < 42.1));
});
