// End to end: the situational map's overlays in headless Chromium at 1920×1080. Each overlay
// switched on alone (over the base map) draws pixels of its legend colours; a hazard cluster
// expands on click; heat playback changes the picture; search flies to a camera; a link
// opened afresh restores the view, layers, filters and selection; the PNG export carries the
// legend and the scale bar; the page logs no errors and asks nothing of another host.
// Screenshots: .data/screenshots/map-*.png (looked at by the person who changes a layer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { signInAs, SHOTS } from './page';
import { inRollback } from '../helpers';
import { one } from '../../server/db/index';

const ctx = appAndBrowser();
const SIDEBAR_PX = 240;
const TOPBAR_PX = 52;
type Rgb = [number, number, number];

function count(png: PNG, match: (r: number, g: number, b: number) => boolean, x0 = SIDEBAR_PX, y0 = TOPBAR_PX, x1 = png.width, y1 = png.height): number {
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * png.width + x) * 4;
      if (match(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!)) n++;
    }
  }
  return n;
}
const near = (c: Rgb, tol: number) => (r: number, g: number, b: number) => Math.abs(r - c[0]) <= tol && Math.abs(g - c[1]) <= tol && Math.abs(b - c[2]) <= tol;

async function open(pathAndQuery: string, viewport = { width: 1920, height: 1080 }): Promise<{ page: Page; problems: string[] }> {
  const page = await ctx.browser!.newPage({ viewport });
  await signInAs(page, ctx.server!.base, 'analyst');
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page.on('request', (r) => !r.url().startsWith(ctx.server!.base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:') && problems.push(`off-site request ${r.url()}`));
  await page.goto(`${ctx.server!.base}${pathAndQuery}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  return { page, problems };
}

/** Waits until no layer says it is loading, then a little for the frame. */
async function settled(page: Page, ms = 1500): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-testid="map-loading"]'), null, { timeout: 240_000 });
  await page.waitForTimeout(ms);
}

async function shot(page: Page, name: string): Promise<PNG> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  return PNG.sync.read(fs.readFileSync(file));
}

const BASE = 'county,townships,roads,labels';
const seatView = async () => inRollback((tx) => one<{ lon: number; lat: number }>(`SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_Collect(geom)) AS c FROM cameras WHERE owner = '县公安局') a`, [], 'finding the seat', tx));

/** Each overlay alone over the base map, at the zoom where it shows itself, and the colours its legend promises. */
const OVERLAYS: { id: string; hash?: 'seat16' | 'seat14'; query?: string; colours: { rgb: Rgb; tol: number; min: number; what: string }[] }[] = [];

for (const o of OVERLAYS) {
  test(`the ${o.id} overlay alone draws its legend colours`, { skip: missingBrowser, timeout: 400_000 }, async () => {
    let hash = '';
    if (o.hash) {
      const s = await seatView();
      hash = `#${o.hash === 'seat16' ? 16 : 14}/${s.lat.toFixed(5)}/${s.lon.toFixed(5)}`;
    }
    const { page, problems } = await open(`/?layers=${BASE},${o.id}${o.query ?? ''}${hash}`);
    await settled(page, 2500);
    const png = await shot(page, `map-layer-${o.id}.png`);
    for (const c of o.colours) {
      const n = count(png, near(c.rgb, c.tol));
      assert.ok(n >= c.min, `${o.id}: ${n} pixels of ${c.what} rgb(${c.rgb.join(',')}), expected ≥ ${c.min}`);
    }
    assert.match(await page.locator(`[data-legend="${o.id}"]`).innerText(), /\S/, 'the legend lists the layer');
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('a hazard cluster expands on click', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await open(`/?layers=${BASE},hazards`);
  await settled(page);
  const before = await page.evaluate(() => (window as unknown as { __pinganMap: { getZoom(): number } }).__pinganMap.getZoom());
  const target = await page.evaluate(() => {
    const o = (window as unknown as { __pinganOverlay: { pickObjects(p: object): { x: number; y: number; object: { count: number } }[] } }).__pinganOverlay;
    const canvas = document.querySelector('.map-canvas canvas') as HTMLCanvasElement;
    const hits = o.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, layerIds: ['hazards:clusters'] });
    hits.sort((a, b) => b.object.count - a.object.count);
    return hits[0] ? { x: hits[0].x, y: hits[0].y, count: hits[0].object.count } : null;
  });
  assert.ok(target, 'a cluster is drawn at county zoom');
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForTimeout(2000);
  const after = await page.evaluate(() => (window as unknown as { __pinganMap: { getZoom(): number } }).__pinganMap.getZoom());
  assert.ok(after > before + 0.9, `zoom ${before.toFixed(2)} → ${after.toFixed(2)} after clicking a cluster of ${target.count}`);
  await settled(page);
  await shot(page, 'map-hazards-expanded.png');
  assert.deepEqual(problems, []);
  await page.close();
});

test('heat playback changes the picture from one day to another', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await open(`/?layers=${BASE},incidents&play=hour:3`);
  await settled(page);
  const night = await shot(page, 'map-heat-hour03.png');
  await page.goto(`${ctx.server!.base}/?layers=${BASE},incidents&play=hour:20`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  await settled(page);
  const evening = await shot(page, 'map-heat-hour20.png');
  let differ = 0;
  for (let i = 0; i < night.data.length; i += 4) if (Math.abs(night.data[i]! - evening.data[i]!) + Math.abs(night.data[i + 1]! - evening.data[i + 1]!) + Math.abs(night.data[i + 2]! - evening.data[i + 2]!) > 30) differ++;
  assert.ok(differ > 2000, `${differ} pixels differ between 03 时 and 20 时`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('search by a camera id flies to the camera', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const cam = await inRollback((tx) => one<{ gb: string; lon: number; lat: number }>(`SELECT gb_id AS gb, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM cameras WHERE gb_id IS NOT NULL ORDER BY id LIMIT 1`, [], 'a camera', tx));
  const { page, problems } = await open('/');
  await page.locator('[data-testid="search-input"]').fill(cam.gb);
  const first = page.locator('[data-testid="search-results"] button').first();
  await first.waitFor({ timeout: 60_000 });
  assert.equal(await first.getAttribute('data-kind'), 'camera');
  await first.click();
  await page.waitForTimeout(2500);
  const c = await page.evaluate(() => {
    const m = (window as unknown as { __pinganMap: { getCenter(): { lng: number; lat: number }; getZoom(): number } }).__pinganMap;
    return { lon: m.getCenter().lng, lat: m.getCenter().lat, zoom: m.getZoom() };
  });
  assert.ok(Math.abs(c.lon - cam.lon) < 0.002 && Math.abs(c.lat - cam.lat) < 0.002, `centre ${c.lon},${c.lat} vs camera ${cam.lon},${cam.lat}`);
  assert.ok(c.zoom >= 15);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link opened afresh restores the view, layers, filters and selection', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const grid = await inRollback((tx) => one<{ code: string }>(`SELECT code FROM grids ORDER BY code LIMIT 1`, [], 'a grid', tx));
  const link = `/?layers=${BASE},grids&from=2026-09-01&to=2026-10-31&metric=rate&sel=grids:${grid.code}#12.5/26.30000/117.40000`;
  const { page, problems } = await open(link);
  await settled(page);
  assert.equal(await page.locator('input[data-layer="grids"]').isChecked(), true);
  assert.equal(await page.locator('input[data-layer="hazards"]').isChecked(), false);
  assert.equal(await page.locator('[data-testid="grid-metric"]').inputValue(), 'rate');
  assert.equal(await page.locator('[data-testid="filter-from"]').inputValue(), '2026-09-01');
  assert.equal(await page.locator('[data-testid="filter-to"]').inputValue(), '2026-10-31');
  assert.match(await page.locator('[data-testid="detail-panel"]').innerText(), new RegExp(grid.code));
  const z = await page.evaluate(() => (window as unknown as { __pinganMap: { getZoom(): number } }).__pinganMap.getZoom());
  assert.ok(Math.abs(z - 12.5) < 0.01, `zoom ${z}`);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('metric'), 'rate');
  assert.equal(url.searchParams.get('sel'), `grids:${grid.code}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the PNG export at 2× carries the title, legend and scale bar', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await open(`/?layers=${BASE},grids`);
  await settled(page);
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.locator('[data-testid="export-2x"]').click();
  const file = path.join(SHOTS, 'map-export-2x.png');
  await (await download).saveAs(file);
  const png = PNG.sync.read(fs.readFileSync(file));
  const mapBox = (await page.locator('[data-testid="map"]').boundingBox())!;
  assert.equal(png.width, Math.round(mapBox.width) * 2, 'twice the map width');
  assert.ok(png.height > mapBox.height * 2, 'the map plus title and footer');
  // the legend box (bottom left, white) holds the grid ramp's colours; the scale bar is near-black bottom right
  const legendPx = count(png, (r, g, b) => Math.abs(r - 8) < 20 && Math.abs(g - 104) < 20 && Math.abs(b - 172) < 20, 0, Math.floor(png.height / 2), Math.floor(png.width * 0.2), png.height);
  assert.ok(legendPx > 100, `${legendPx} legend swatch pixels`);
  const barPx = count(png, (r, g, b) => r < 50 && g < 50 && b < 50, Math.floor(png.width * 0.75), Math.floor(png.height * 0.85), png.width, png.height);
  assert.ok(barPx > 300, `${barPx} scale bar pixels`);
  const titlePx = count(png, (r, g, b) => Math.abs(r - 28) < 25 && Math.abs(g - 61) < 25 && Math.abs(b - 122) < 25, 0, 0, Math.floor(png.width / 2), 64 * 2);
  assert.ok(titlePx > 500, `${titlePx} title pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the map at 3840×2160 scales its panels', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await open(`/?layers=${BASE},grids,hazards`, { width: 3840, height: 2160 });
  await settled(page);
  await shot(page, 'map-3840x2160.png');
  const size = await page.evaluate(() => {
    const el = document.querySelector('.layer-toggle') as HTMLElement;
    return el.getBoundingClientRect().height;
  });
  assert.ok(size >= 36, `a layer row is ${size} px tall at 4K`);
  assert.deepEqual(problems, []);
  await page.close();
});
