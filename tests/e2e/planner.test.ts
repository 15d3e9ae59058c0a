// End to end: the planner page (热点研判) in headless Chromium at 1920×1080. The Gi* hot
// spots of the county seat, the kernel density and emerging-pattern layers with their
// legends, a target listed from the ranked list through the page and evaluated, the
// 平安指数 table, the exports and the printed PDF report. Screenshots: .data/screenshots/.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { fetchAs, openMapPage, SHOTS, shotCount } from './page';
import { closeDatabase, many, one } from '../../server/db/index';
import { withScope } from '../../server/db/scope';
import { inRollback, TEST_ACTOR } from '../helpers';

const ctx = appAndBrowser();
const TEST_NAME = '测试整治目标(端到端)';
after(async () => {
  await withScope(TEST_ACTOR, { attempted: 'removing the test target' }, (tx) => many(`DELETE FROM rectification_targets WHERE name = $1`, [TEST_NAME], 'removing the test target', tx));
  await closeDatabase(); // reopened after the helpers' own close
});

const openPage = (query = '') => openMapPage(ctx, `/planner${query}`);
/** Saves a screenshot and counts its pixels that match a colour test. */
const shot = (page: Page, name: string, match: (r: number, g: number, b: number) => boolean) => shotCount(page, name, match, 2000);

test('the planner page shows the county seat as a 99 % hot spot, with legend and summary', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await openPage();
  await page.locator('[data-testid="summary"]').waitFor({ timeout: 180_000 });
  assert.match(await page.locator('[data-testid="summary"]').innerText(), /起案事件[\s\S]*个单元/);
  assert.match(await page.locator('.legend').innerText(), /热点 99% 置信\s*[1-9]\d*/);
  await page.locator('[data-testid="ranked-targets"] li').first().waitFor({ timeout: 180_000 });
  assert.match(await page.locator('[data-testid="ranked-targets"] li').first().innerText(), /第 1 名[\s\S]*近一年案事件 \d+ 起[\s\S]*主要因素/);
  const red = await shot(page, 'planner-1920x1080.png', (r, g, b) => r > 200 && g < 110 && b < 110);
  assert.ok(red > 500, `${red} hot-spot red pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the kernel density, forecast and emerging hot-spot layers draw with their legends', { skip: missingBrowser, timeout: 400_000 }, async () => {
  const { page, problems } = await openPage('?mode=kde');
  await page.locator('[data-testid="summary"]').filter({ hasText: '带宽' }).waitFor({ timeout: 180_000 });
  assert.match(await page.locator('.legend').innerText(), /起\/km²\s*\d+/);
  const warm = await shot(page, 'planner-kde-1920x1080.png', (r, g, b) => r > 230 && g > 120 && g < 220 && b < 110);
  assert.ok(warm > 2000, `${warm} orange density pixels`);
  // the validated forecast: the method chosen inside the history, drawn in the same warm classes
  await page.locator('[data-testid="mode-forecast"]').click();
  await page.locator('[data-testid="forecast-method"]').waitFor({ timeout: 240_000 });
  assert.match(await page.locator('[data-testid="summary"]').innerText(), /验证 PAI@5% \d+\.\d+[\s\S]*预测 90 天/);
  assert.match(await page.locator('.legend').innerText(), /起\/90天\s*\d+/);
  const hot = await shot(page, 'planner-forecast-1920x1080.png', (r, g, b) => r > 230 && g > 120 && g < 220 && b < 110);
  assert.ok(hot > 1000, `${hot} orange forecast pixels`);
  await page.locator('[data-testid="mode-emerging"]').click();
  await page.locator('[data-testid="summary"]').filter({ hasText: '时空立方体' }).waitFor({ timeout: 240_000 });
  const legend = await page.locator('.legend').innerText();
  assert.match(legend, /持续热点\s*\d+/);
  assert.match(legend, /无模式\s*\d+/);
  const patterned = Number(/持续热点\s*(\d+)/.exec(legend)![1]) + Number(/减弱热点\s*(\d+)/.exec(legend)![1]) + Number(/加剧热点\s*(\d+)/.exec(legend)![1]);
  assert.ok(patterned > 0, 'the demo county has persistent, diminishing or intensifying hot spots');
  await shot(page, 'planner-emerging-1920x1080.png', () => false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a target is listed from the ranked list, evaluated with DiD and its ring, and shown in the listed tab', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await openPage();
  const first = page.locator('[data-testid="ranked-targets"] li').first();
  await first.waitFor({ timeout: 180_000 });
  await first.locator('[data-testid="list-target"]').click();
  const form = page.locator('[data-testid="create-target"]');
  // the target carries its place: in the list and as the form's default name
  const place = await first.locator('[data-testid="target-place"]').innerText();
  assert.match(place, /^[^·]*(镇|乡|街道)[^·]*(·.+附近)?$/, place);
  assert.equal(await form.locator('input').first().inputValue(), `${place}治安重点地区整治`);
  await form.locator('input').first().fill(TEST_NAME);
  await form.locator('button[type="submit"]').click();
  assert.match(await form.locator('[role="alert"]').innerText(), /请填写责任单位/, 'a target without a responsible unit is refused');
  await form.locator('input[name="unit"]').fill('城关派出所');
  await form.locator('input[name="start"]').fill('2026-05-01');
  await form.locator('input[name="deadline"]').fill('2026-10-31');
  await form.locator('button[type="submit"]').click();
  const item = page.locator('[data-testid="listed-targets"] li').filter({ hasText: TEST_NAME });
  await item.waitFor({ timeout: 60_000 });
  assert.match(await item.innerText(), /逾期 \d+ 天[\s\S]*城关派出所/);
  await item.locator('[data-testid="evaluate"]').click();
  const evaluation = page.locator('[data-testid="evaluation"]');
  await evaluation.waitFor({ timeout: 120_000 });
  const text = await evaluation.innerText();
  const row = await inRollback((tx) => one<{ id: number; evaluation: { target: { before: number; after: number } } }>('SELECT id, evaluation FROM rectification_targets WHERE name = $1', [TEST_NAME], 'reading the evaluated target', tx));
  assert.match(text, new RegExp(`目标区域\\s+${row.evaluation.target.before}\\s+${row.evaluation.target.after}`), 'the page shows the stored evaluation');
  assert.match(text, /双重差分[\s\S]*对照单元/);
  const purple = await shot(page, 'planner-evaluation-1920x1080.png', (r, g, b) => r > 150 && r < 215 && g < 140 && b > 190);
  assert.ok(purple > 200, `${purple} pixels of the displacement ring`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the 平安指数 tab ranks every township with 红黑榜, and the map colours them', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await openPage('?tab=index');
  await page.locator('[data-testid="peace-index"]').waitFor({ timeout: 180_000 });
  const { n } = await inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'township'`, [], 'counting townships', tx));
  assert.equal(await page.locator('[data-testid="peace-index"] tbody tr').count(), n);
  assert.match(await page.locator('[data-testid="peace-index"]').innerText(), /红榜[\s\S]*黑榜/);
  const green = await shot(page, 'planner-index-1920x1080.png', (r, g, b) => g > 140 && g - r > 35 && g - b > 20)  // the two green classes, translucent over the township fills;
  assert.ok(green > 2000, `${green} green township pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('exports come as CSV, XLSX and GeoJSON, bad parameters as a sentence, and the report as an A4 PDF', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const base = `${ctx.server!.base}/api/planner`;
  const get = await fetchAs(ctx.server!.base, 'analyst');
  const q = 'cell=1000&distance=2500&from=2026-01-01&to=2026-07-01';
  const csv = await get(`${base}/export?table=gistar&format=csv&${q}`);
  assert.equal(csv.status, 200);
  const lines = (await csv.text()).replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(lines[0], '单元编号,中心经度,中心纬度,案事件数,Gi* z 值,p 值,FDR 校正 p 值,置信等级');
  assert.ok(lines.length > 1500, `${lines.length} lines`);
  const xlsx = Buffer.from(await (await get(`${base}/export?table=targets&format=xlsx&${q}`)).arrayBuffer());
  assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
  const geo = await (await get(`${base}/export?table=index&format=geojson&${q}`)).json() as { features: { geometry: unknown; properties: Record<string, unknown> }[] };
  assert.ok(geo.features.length >= 10 && geo.features.every((f) => f.geometry && typeof f.properties.score === 'number'));
  const fcsv = (await (await get(`${base}/export?table=forecast&format=csv&${q}`)).text()).replace(/^\ufeff/, '').trim().split('\n');
  assert.equal(fcsv[0], '单元编号,中心经度,中心纬度,预测案事件数(90 天)');
  assert.ok(fcsv.length > 100, `${fcsv.length} forecast lines`);
  const bad = await get(`${base}/export?table=kde&format=csv&cell=0`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /网格边长不能小于 100 米/);
  const pdf = await get(`${base}/report?paper=A4&mode=gistar&${q}`);
  assert.equal(pdf.status, 200, await pdf.clone().text().catch(() => ''));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  const bytes = Buffer.from(await pdf.arrayBuffer());
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(path.join(SHOTS, 'planner-report-A4.pdf'), bytes);
  assert.equal((await get(`${base}/report?paper=B5`)).status, 400);
  // the forecast's report: the chosen method named, the map in the density classes
  const fpdf = await get(`${base}/report?paper=A4&mode=forecast&${q}`);
  assert.equal(fpdf.status, 200, await fpdf.clone().text().catch(() => ''));
  const fbytes = Buffer.from(await fpdf.arrayBuffer());
  assert.equal(fbytes.subarray(0, 5).toString(), '%PDF-');
  fs.writeFileSync(path.join(SHOTS, 'planner-report-forecast-A4.pdf'), fbytes);
});
