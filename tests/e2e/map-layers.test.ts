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

type Match = (r: number, g: number, b: number) => boolean;
/** Any class of the grid ramp (pale green to blue) over the grey background: green above red. */
const gridTint: Match = (r, g) => g - r > 12;
/** Each overlay alone over the base map, at the zoom where it shows itself, and the colours its legend promises
 * (solid marks are matched near their legend rgb; translucent fills by their hue over the pale base map). */
const OVERLAYS: { id: string; hash?: 'seat15' | 'seat12'; query?: string; colours: { match: Match; min: number; what: string }[] }[] = [
  { id: 'grids', colours: [{ match: (r, g, b) => b > g && g > r && b - r > 60, min: 50_000, what: 'the blue ramp of the grid choropleth' }] },
  { id: 'incidents', hash: 'seat12', colours: [{ match: (r, g, b) => r > 180 && g < 150 && b < 150 && r - g > 70, min: 400, what: 'the red end of the heat ramp' }] },
  { id: 'incident-points', hash: 'seat15', colours: [{ match: near([213, 94, 0], 30), min: 150, what: '刑事案件 rgb(213,94,0)' }, { match: near([0, 114, 178], 30), min: 150, what: '治安案件 rgb(0,114,178)' }] },
  { id: 'hazards', colours: [{ match: near([250, 200, 0], 30), min: 100, what: '风险等级 中 rgb(250,200,0)' }, { match: near([240, 110, 0], 30), min: 50, what: '风险等级 高 rgb(240,110,0)' }] },
  { id: 'fire-zones', colours: [{ match: (r, g, b) => r > 200 && g < 130 && b < 90, min: 500, what: 'the red and orange outlines and hatching of the zones' }] },
  { id: 'high-rises', hash: 'seat15', colours: [{ match: (r, g, b) => b > 120 && b - r > 60 && g < 150, min: 300, what: '消防设施正常 footprints rgb(44,123,182)' }] },
  { id: 'places', colours: [{ match: near([70, 90, 110], 25), min: 300, what: 'the slate cluster bubbles rgb(70,90,110)' }] },
  { id: 'cameras', hash: 'seat15', colours: [{ match: near([18, 160, 110], 30), min: 500, what: '在线 rgb(18,160,110)' }] },
  { id: 'coverage-gaps', colours: [{ match: near([214, 51, 108], 35), min: 300, what: '未覆盖路段 rgb(214,51,108)' }] },
  { id: 'patrol-routes', hash: 'seat12', colours: [{ match: near([0, 114, 178], 30), min: 100, what: 'the first team\'s route rgb(0,114,178)' }] },
  { id: 'patrol-tracks', hash: 'seat12', query: '&tday=2026-11-13&tsec=75600', colours: [{ match: (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 90, min: 100, what: 'team-coloured trails and heads' }] },
  { id: 'gistar', colours: [{ match: (r, g, b) => r > 200 && g < 120 && b < 120, min: 800, what: '热点 99% 置信 rgb(215,25,28)' }] },
];

for (const o of OVERLAYS) {
  test(`the ${o.id} overlay alone draws its legend colours`, { skip: missingBrowser, timeout: 400_000 }, async () => {
    let hash = '';
    if (o.hash) {
      const s = await seatView();
      hash = `#${o.hash === 'seat15' ? 15 : 12}/${s.lat.toFixed(5)}/${s.lon.toFixed(5)}`;
    }
    const { page, problems } = await open(`/?layers=${BASE},${o.id}${o.query ?? ''}${hash}`);
    await settled(page, 2500);
    const png = await shot(page, `map-layer-${o.id}.png`);
    for (const c of o.colours) {
      const n = count(png, c.match);
      assert.ok(n >= c.min, `${o.id}: ${n} pixels of ${c.what}, expected ≥ ${c.min}`);
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
    const w = window as unknown as {
      __pinganOverlay: { pickObjects(p: object): { object: { count: number; lon: number; lat: number } }[] };
      __pinganMap: { project(ll: [number, number]): { x: number; y: number } };
    };
    const canvas = document.querySelector('.map-canvas canvas') as HTMLCanvasElement;
    const hits = w.__pinganOverlay.pickObjects({ x: 0, y: 0, width: canvas.clientWidth, height: canvas.clientHeight, layerIds: ['hazards:clusters'] });
    hits.sort((a, b) => b.object.count - a.object.count);
    const best = hits[0]?.object;
    if (!best) return null;
    const p = w.__pinganMap.project([best.lon, best.lat]);
    return { x: p.x, y: p.y, count: best.count };
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

test('a resized window keeps the overlays on the map (deck.gl follows the shared canvas)', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const extent = await inRollback((tx) => one<{ north: number; south: number; lon: number }>(`SELECT ST_YMax(e) AS north, ST_YMin(e) AS south, (ST_XMin(e) + ST_XMax(e)) / 2 AS lon FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids) a`, [], 'the grids\' extent', tx));
  const { page, problems } = await open('/?layers=grids', { width: 1280, height: 800 });
  await settled(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await settled(page);
  const png = await shot(page, 'map-resized.png');
  const box = (await page.locator('[data-testid="map"]').boundingBox())!;
  const [north, south] = await page.evaluate(([n, s, lon]) => {
    const map = (window as unknown as { __pinganMap: { project(p: [number, number]): { y: number } } }).__pinganMap;
    return [map.project([lon, n]).y, map.project([lon, s]).y];
  }, [extent.north, extent.south, extent.lon] as const);
  // rows of the map where the grid ramp's green-blue shows (right of the legend's swatches)
  const x0 = Math.round(box.x) + 320;
  const rows: number[] = [];
  for (let y = Math.round(box.y); y < Math.round(box.y + box.height); y++) {
    if (count(png, gridTint, x0, y, png.width, y + 1) > 30) rows.push(y - box.y);
  }
  assert.ok(rows.length > 100, `${rows.length} rows with grid colours`);
  assert.ok(Math.abs(rows[0]! - north) < 12, `the grids begin at ${rows[0]} px, their northern edge projects to ${north.toFixed(0)} px`);
  assert.ok(Math.abs(rows.at(-1)! - south) < 12 || rows.at(-1)! >= box.height - 2, `the grids end at ${rows.at(-1)} px, their southern edge projects to ${south.toFixed(0)} px`);
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
  const legendPx = count(png, (r, g, b) => Math.abs(r - 186) < 12 && Math.abs(g - 228) < 12 && Math.abs(b - 188) < 12, 0, Math.floor(png.height / 2), Math.floor(png.width * 0.2), png.height); // the ramp's second class, present whenever there are two
  assert.ok(legendPx > 100, `${legendPx} legend swatch pixels`);
  // the overlay is drawn at the export's scale over the whole map, not shrunk into a corner
  // (before the canvas kept deck.gl's framebuffer at its size, the layers were shifted down by the old height)
  const blueRight = count(png, (r, g, b) => b > g && g > r && b - r > 60, Math.floor(png.width * 0.55), 64 * 2, Math.floor(png.width * 0.9), Math.floor(png.height * 0.6));
  assert.ok(blueRight > 20_000, `${blueRight} grid-blue pixels in the right half of the exported map`);
  const topHalf = count(png, gridTint, 0, 64 * 2, png.width, 64 * 2 + Math.floor(mapBox.height));
  assert.ok(topHalf > png.width * mapBox.height * 0.15, `${topHalf} grid pixels in the upper half of the exported map`);
  const barPx = count(png, (r, g, b) => r < 50 && g < 50 && b < 50, Math.floor(png.width * 0.75), Math.floor(png.height * 0.85), png.width, png.height);
  assert.ok(barPx > 300, `${barPx} scale bar pixels`);
  const titlePx = count(png, (r, g, b) => Math.abs(r - 28) < 25 && Math.abs(g - 61) < 25 && Math.abs(b - 122) < 25, 0, 0, Math.floor(png.width / 2), 64 * 2);
  assert.ok(titlePx > 500, `${titlePx} title pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a 4K screen at 200 % (the recommended setting) draws the map as 1080p at twice the pixels', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 2 });
  await signInAs(page, ctx.server!.base, 'analyst');
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(`${ctx.server!.base}/?layers=${BASE},incidents,hazards`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
  await settled(page);
  const png = await shot(page, 'map-3840x2160-at-200.png');
  assert.equal(png.width, 3840);
  const canvas = await page.evaluate(() => (document.querySelector('.map-canvas canvas') as HTMLCanvasElement).width);
  assert.ok(canvas > 3000, `the map canvas is ${canvas} device pixels wide`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the map at 3840×2160 (100 %) scales its panels', { skip: missingBrowser, timeout: 300_000 }, async () => {
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
