// End to end: build the app, start it as `npm start` does (against the test database),
// open / in headless Chromium at 1920×1080 and check that the map has drawn the county
// with its townships, grids, roads and Chinese labels, that the layer panel works, and
// that the page logged no errors. Screenshots go to .data/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { layerModule } from '../../app/layers/registry';
import { PRESETS } from '../../app/layers/presets';
import { signInAs } from './page';

const SHOTS = path.resolve('.data/screenshots');
const SIDEBAR_PX = 240;
const TOPBAR_PX = 52;

const ctx = appAndBrowser();

/** Pixels of the map area whose colour is within `tol` of `rgb`. */
function countColour(png: PNG, rgb: [number, number, number], tol: number): number {
  let n = 0;
  for (let y = TOPBAR_PX; y < png.height; y++) {
    for (let x = SIDEBAR_PX; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i]! - rgb[0]) <= tol && Math.abs(png.data[i + 1]! - rgb[1]) <= tol && Math.abs(png.data[i + 2]! - rgb[2]) <= tol) n++;
    }
  }
  return n;
}

const hex = (h: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];

async function shot(page: Page, name: string): Promise<PNG> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  return PNG.sync.read(fs.readFileSync(file));
}

test('GET /api/health answers 200 with the engine and PostGIS version', { skip: missingBrowser }, async () => {
  const r = await fetch(`${ctx.server!.base}/api/health`);
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.ok, true);
  assert.equal(body.database, process.env.DATABASE_URL ? 'postgres' : 'embedded');
  assert.match(body.postgis, /^3\.\d+/);
});

test('the map page draws the county, townships, grids and roads with Chinese labels and logs no errors', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 } });
  await signInAs(page, ctx.server!.base, 'analyst');
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.on('request', (r) => !r.url().startsWith(ctx.server!.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && problems.push(`off-site request ${r.url()}`));
  await page.goto(`${ctx.server!.base}/?layers=county,townships,grids,roads,labels`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  await page.waitForTimeout(1000);

  assert.match(await page.locator('header').innerText(), /平安一张图[\s\S]*示例数据/);
  const panel = await page.locator('.layer-panel').innerText();
  for (const id of PRESETS.map.offered) assert.ok(panel.includes(layerModule(id)!.title), `layer panel lists ${layerModule(id)!.title}`);

  const png = await shot(page, 'map-1920x1080.png');
  const mapArea = (png.width - SIDEBAR_PX) * (png.height - TOPBAR_PX);
  const background = countColour(png, hex('#e4e7eb'), 3);
  assert.ok(1 - background / mapArea > 0.3, `only ${(1 - background / mapArea) * 100}% of the map differs from the background`);
  assert.ok(countColour(png, hex('#5f3dc4'), 25) > 800, 'the county boundary is drawn');
  assert.ok(countColour(png, hex('#d9480f'), 30) > 150, 'the national road is drawn');
  assert.ok(countColour(png, hex('#e0a800'), 30) > 300, 'county roads are drawn');

  const rendered = await page.evaluate(() => {
    const map = (window as unknown as { __pinganMap: { queryRenderedFeatures: (o: object) => { properties: { name: string } }[] } }).__pinganMap;
    return map.queryRenderedFeatures({ layers: ['township-label'] }).map((f) => f.properties.name);
  });
  assert.ok(rendered.length >= 15, `${rendered.length} township labels placed`);
  assert.ok(rendered.every((n) => /^[\u4e00-\u9fa5]+[镇乡]$|街道$/.test(n)));
  assert.deepEqual(problems, []);
  await page.close();
});

test('unticking a layer hides it and records the choice in the URL', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 } });
  await signInAs(page, ctx.server!.base, 'analyst');
  await page.goto(`${ctx.server!.base}/?layers=county,townships,roads,labels`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  await page.locator('input[data-layer="roads"]').uncheck();
  await page.waitForURL((u) => !(u.searchParams.get('layers') ?? 'roads').includes('roads'));
  assert.doesNotMatch(new URL(page.url()).searchParams.get('layers')!, /roads/);
  await page.waitForTimeout(1500);
  const png = await shot(page, 'map-without-roads.png');
  assert.ok(countColour(png, hex('#d9480f'), 30) < 20, 'the national road is hidden');
  assert.ok(countColour(png, hex('#5f3dc4'), 25) > 800, 'the county boundary is still drawn');
  await page.close();
});
