// End to end: the auditor's page (视频监控) in headless Chromium at 1920×1080. The figures
// on the page equal those of `npm run cli -- coverage --json`; the views, road gaps and
// uncovered places draw on the map; the KPI tables, the findings list, a placement run
// and a candidate drawn on the map work; the exports and the printed PDF answer.
// Screenshots: .data/screenshots/audit-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { fetchAs, openMapPage, SHOTS, shotCount } from './page';
import { many, one } from '../../server/db/index';
import { withScope } from '../../server/db/scope';
import { inRollback, TEST_ACTOR } from '../helpers';

const ctx = appAndBrowser();

const openPage = (hash = '') => openMapPage(ctx, `/audit${hash}`);
/** Saves a screenshot and counts its pixels that match a colour test. */
const shot = (page: Page, name: string, match: (r: number, g: number, b: number) => boolean) => shotCount(page, name, match, 2500);

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

test('the auditor page shows the same figures as the CLI, with views, gaps and KPIs on the map', { skip: missingBrowser, timeout: 600_000 }, async () => {
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'coverage', '--json'], { encoding: 'utf8', env: process.env, timeout: 300_000 });
  assert.equal(cli.status, 0, cli.stderr);
  const r = JSON.parse(cli.stdout) as { cameras: { total: number }; roads: { totalKm: number; nominal: number; effective: number }; placesAll: { total: number; nominal: number; effective: number }; hazards: { pointsAll: { total: number; effective: number } }; kpis: Record<string, number> };

  // the county seat at street level, where the views are visible
  const seat = await inRollback((tx) => one<{ lon: number; lat: number }>(`SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c FROM cameras WHERE owner = '县公安局') a`, [], 'finding the seat', tx));
  const { page, problems } = await openPage(`#16/${seat.lat.toFixed(5)}/${seat.lon.toFixed(5)}`);
  await page.locator('[data-testid="roads-all"]').waitFor({ timeout: 300_000 });
  assert.equal(await page.locator('[data-testid="cameras-total"]').innerText(), String(r.cameras.total));
  const roads = (await page.locator('[data-testid="roads-all"]').innerText()).split(/\s+/);
  assert.deepEqual(roads, ['全部', r.roads.totalKm.toFixed(1), pct(r.roads.nominal), pct(r.roads.effective)]);
  const places = (await page.locator('[data-testid="places-all"]').innerText()).split(/\s+/);
  assert.deepEqual(places, ['全部', String(r.placesAll.total), pct(r.placesAll.nominal), pct(r.placesAll.effective)]);
  assert.match(await page.locator('[data-testid="hazards-all"]').innerText(), new RegExp(`${r.hazards.pointsAll.total} 处[\\s\\S]*${pct(r.hazards.pointsAll.effective).replace('.', '\\.')}`));
  for (const k of ['online', 'working', 'networked', 'smart', 'registerComplete']) {
    assert.match(await page.locator(`[data-testid="kpi-${k}"]`).innerText(), new RegExp(pct(r.kpis[k]!).replace('.', '\\.')), k);
  }
  const townshipRows = await page.locator('[data-testid="kpi-townships"] tbody tr').count();
  const { townships, unplaced } = await inRollback((tx) => one<{ townships: number; unplaced: number }>(
    `SELECT count(DISTINCT township_code)::int AS townships, count(*) FILTER (WHERE township_code IS NULL)::int AS unplaced FROM cameras`, [], 'counting townships with cameras', tx,
  ));
  assert.equal(townshipRows, townships + (unplaced > 0 ? 1 : 0));
  // online views (green) and road gaps (red) at street level
  const green = await shot(page, 'audit-seat-1920x1080.png', (red, g, b) => g > 150 && red < 150 && b > 100 && b < 200 && g - red > 40);
  assert.ok(green > 3000, `${green} view-green pixels`);
  const gapRed = await shot(page, 'audit-seat-1920x1080.png', (red, g, b) => red > 190 && g < 90 && b > 80 && b < 140); // the gaps' rgb(214,51,108)
  assert.ok(gapRed > 1000, `${gapRed} gap-red pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('findings, a placement run and a drawn candidate on the auditor page', { skip: missingBrowser, timeout: 600_000 }, async () => {
  const countCandidates = () => inRollback((tx) => one<{ n: number }>('SELECT count(*)::int AS n FROM camera_candidates', [], 'counting candidates', tx));
  const before = await countCandidates();
  const { page, problems } = await openPage();
  await page.locator('[data-testid="tab-findings"]').click();
  await page.locator('[data-testid="cameras-with-findings"]').waitFor({ timeout: 300_000 });
  assert.ok(Number(await page.locator('[data-testid="cameras-with-findings"]').innerText()) > 50);
  await page.locator('[data-testid="finding-filter"]').selectOption('gcj02_recorded');
  const items = page.locator('ul.findings li');
  assert.ok((await items.count()) >= 10);
  assert.match(await items.first().innerText(), /GCJ-02[\s\S]*建议/);
  await items.first().click();
  await shot(page, 'audit-findings-1920x1080.png', () => false);

  await page.locator('[data-testid="tab-recommend"]').click();
  await page.locator('[data-testid="budget"]').fill('0');
  await page.locator('[data-testid="recommend-run"]').click();
  assert.match(await page.locator('[data-testid="hint-budget"]').innerText(), /新增摄像机数量须为 1–1000 台之间的整数/);
  // a candidate drawn on the map inside the county, then the run
  page.once('dialog', (d) => void d.accept('端到端测试候选点'));
  await page.locator('[data-testid="draw-candidate"]').click();
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('ul.candidates li').filter({ hasText: '端到端测试候选点' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid="draw-candidate"]').click();
  await page.locator('[data-testid="budget"]').fill('10');
  await page.locator('[data-testid="recommend-run"]').click();
  await page.locator('[data-testid="recommend-summary"]').waitFor({ timeout: 300_000 });
  assert.match(await page.locator('[data-testid="recommend-summary"]').innerText(), /手绘 1[\s\S]*10 台新增覆盖风险权重[\s\S]*倍/);
  assert.equal(await page.locator('ol.picks li').count(), 10);
  const blue = await shot(page, 'audit-recommend-1920x1080.png', (r, g, b) => b > 170 && r < 60 && g > 90 && g < 140);
  assert.ok(blue > 100, `${blue} recommendation-blue pixels`);
  assert.deepEqual(problems, []);
  await page.close();
  await withScope(TEST_ACTOR, { attempted: 'removing the test candidate' }, (tx) => many(`DELETE FROM camera_candidates WHERE name = '端到端测试候选点'`, [], 'removing the test candidate', tx));
  assert.equal((await countCandidates()).n, before.n);
});

test('auditor exports and the printed report', { skip: missingBrowser, timeout: 600_000 }, async () => {
  const base = `${ctx.server!.base}/api/audit`;
  const get = await fetchAs(ctx.server!.base, 'analyst');
  const xlsx = await get(`${base}/export?table=findings&format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.equal(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString(), 'PK');
  const csv = await (await get(`${base}/export?table=townships&format=csv`)).text();
  assert.match(csv.split('\n')[0]!, /乡镇.*道路有效覆盖率/);
  assert.equal(csv.trim().split('\n').length, 1 + 16 + 1);
  const gj = (await (await get(`${base}/export?table=gaps&format=geojson`)).json()) as { features: unknown[]; method: Record<string, unknown> };
  assert.ok(gj.features.length > 100);
  assert.ok(gj.method['缺口']);
  assert.equal((await get(`${base}/export?table=nope&format=csv`)).status, 400);
  assert.equal((await get(`${base}/export?table=recommend&format=csv&budget=0`)).status, 400);
  const pdf = await get(`${base}/report?paper=A4`);
  assert.equal(pdf.status, 200, await pdf.clone().text().catch(() => ''));
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, 'audit-report-A4.pdf'), bytes);
  assert.equal((await get(`${base}/report?paper=B5`)).status, 400);
});
