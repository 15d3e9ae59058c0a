// The prediction back-test: hit rate and PAI by their definitions on a planted hotspot,
// and the JSON and scores-file contracts on the Memphis robberies.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { inRollback } from '../helpers';
import { runBacktest } from '../../server/services/hotspots/backtest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-backtest-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a planted stable hotspot: counts ranks it first and hit rate and PAI follow their definitions', async () => {
  const rows = ['time,lon,lat'];
  // The hull: four corners, one incident each in the training period.
  for (const [lon, lat] of [[117.50, 25.60], [117.54, 25.60], [117.50, 25.64], [117.54, 25.64]]) rows.push(`2026-01-05 10:00,${lon},${lat}`);
  // The hotspot: 20 training and 9 test incidents at one spot; 3 test incidents elsewhere.
  for (let i = 0; i < 20; i++) rows.push(`2026-02-${10 + (i % 10)} 20:00,117.5213,25.6213`);
  for (let i = 0; i < 9; i++) rows.push(`2026-06-${10 + i} 21:00,117.5213,25.6213`);
  for (const [lon, lat] of [[117.505, 25.61], [117.535, 25.63], [117.51, 25.635]]) rows.push(`2026-06-20 09:00,${lon},${lat}`);
  const file = path.join(dir, 'planted.csv');
  fs.writeFileSync(file, rows.join('\n'));
  const r = await inRollback((tx) => runBacktest(tx, { input: file, trainEnd: new Date('2026-05-01T00:00:00+08:00'), testEnd: new Date('2026-07-01T00:00:00+08:00'), cellM: 250 }));
  assert.equal(r.method.trainIncidents, 24);
  assert.equal(r.method.testIncidents, 12);
  const counts = r.methods.find((m) => m.name === 'counts')!;
  const n = r.method.cells;
  const k1 = Math.max(1, Math.round(0.01 * n));
  // Top 1 %: the hotspot cell (plus, when k1 > 1, corner cells with no test incidents).
  assert.equal(counts.hitRate[1], Math.round((9 / 12) * 10_000) / 10_000);
  assert.ok(Math.abs(counts.pai[1]! - (9 / 12) / (k1 / n)) < 1e-3, `PAI ${counts.pai[1]} vs ${(9 / 12) / (k1 / n)}`);
  for (const m of r.methods) for (const a of [1, 5, 10]) assert.ok(m.hitRate[a]! >= 0 && m.hitRate[a]! <= 1);
  assert.deepEqual(r.methods.map((m) => m.name), ['counts', 'kde', 'gistar', 'recency-kde', 'recency-counts']);
});

const MEMPHIS = path.resolve('..', 'shared', 'data', 'crime', 'memphis_robberies_2019.csv');

test('cli backtest on the Memphis robberies prints the methods and writes every score', { skip: !fs.existsSync(MEMPHIS) && 'no shared data', timeout: 300_000 }, () => {
  const scores = path.join(dir, 'scores.csv');
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'backtest', '--input', MEMPHIS, '--mapping', 'geodata/mappings/memphis-robberies.json',
    '--train-end', '2019-07-01', '--test-end', '2020-01-01', '--cell', '500', '--scores', scores, '--json'], { env: process.env, encoding: 'utf8' });
  const r = JSON.parse(out);
  assert.ok(r.methods.length >= 4);
  for (const m of r.methods) for (const a of ['1', '5', '10']) assert.ok(typeof m.pai[a] === 'number' && typeof m.hitRate[a] === 'number');
  const best = Math.max(...r.methods.map((m: { pai: Record<string, number> }) => m.pai['5']));
  const kde = r.methods.find((m: { name: string }) => m.name === 'kde').pai['5'];
  assert.ok(best > kde, `best PAI@5 ${best} vs KDE ${kde}`);
  const lines = fs.readFileSync(scores, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'method,cellId,lon,lat,score');
  assert.equal(lines.length - 1, r.methods.length * r.method.cells);
});
