// End to end: the patrol page (巡防研判) in headless Chromium at 1920×1080. The dosage
// summary equals `npm run cli -- patrol dosage --json` for the page's period; dosage cells
// draw on the map; a suggested route is planned, drawn and exported as GPX; the 见警率 tab
// draws its choropleth and hour chart; the exports and the printed report answer; the track
// playback draws on the same map. Screenshots: .data/screenshots/patrol-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { fetchAs, openMapPage, shotCount } from './page';
import { one } from '../../server/db/index';
import { inRollback } from '../helpers';

const ctx = appAndBrowser();
const shot = (page: Page, name: string, match: (r: number, g: number, b: number) => boolean) => shotCount(page, name, match, 2500);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

test('the patrol page: dosage as the CLI computes it, a suggested route drawn and exported, 见警率, exports and report', { skip: missingBrowser, timeout: 900_000 }, async () => {
  const { page, problems } = await openMapPage(ctx, '/patrol');
  await page.locator('[data-testid="dosage-summary"]').waitFor({ timeout: 300_000 });
  const from = await page.locator('[data-testid="patrol-from"]').inputValue();
  const to = await page.locator('[data-testid="patrol-to"]').inputValue();
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'patrol', 'dosage', '--from', from, '--to', to, '--json'], { encoding: 'utf8', env: process.env, timeout: 300_000 });
  assert.equal(cli.status, 0, cli.stderr);
  const r = JSON.parse(cli.stdout) as { totals: { areas: number; visits: number; driveThroughs: number; koperShare: number | null; hotSlotShare: number | null; unvisited: number } };
  const summary = await page.locator('[data-testid="dosage-summary"]').innerText();
  assert.match(summary, new RegExp(`^${r.totals.areas} 个区域:到访 ${r.totals.visits} 次、路过 ${r.totals.driveThroughs} 次`), summary);
  assert.ok(summary.includes(`Koper 合规 ${pct(r.totals.koperShare)}`) && summary.includes(`未到访 ${r.totals.unvisited} 个`), summary);
  assert.ok(r.totals.areas > 20 && r.totals.visits > 0);
  // dosage cells: red (never visited) and green (much presence) at county zoom
  const red = await shot(page, 'patrol-dosage-1920x1080.png', (R, g, b) => R > 190 && g < 90 && b < 90);
  const green = await shot(page, 'patrol-dosage-1920x1080.png', (R, g, b) => g > 120 && R < 130 && b < 110 && g - R > 30);
  assert.ok(red + green > 1500, `${red} red and ${green} green dosage pixels`);

  await page.locator('[data-testid="tab-teams"]').click();
  assert.ok((await page.locator('[data-testid="teams-table"] tbody tr').count()) >= 5);

  // a suggested route for the first team's evening shift
  await page.locator('[data-testid="tab-suggest"]').click();
  await page.locator('[data-testid="suggest-shift"]').selectOption('20:00-22:00');
  await page.locator('[data-testid="suggest-run"]').click();
  await page.locator('[data-testid="suggest-summary"]').waitFor({ timeout: 300_000 });
  const s = await page.locator('[data-testid="suggest-summary"]').innerText();
  const m = /(\d+) 个热点,行程 (\d+) 分钟 \+ 停留 (\d+) 分钟 = (\d+) \/ 120 分钟/.exec(s);
  assert.ok(m && Number(m[1]) >= 1 && Number(m[4]) <= 120, s);
  await page.locator('ol.picks li').first().click();
  const purple = await shot(page, 'patrol-suggested-route-1920x1080.png', (R, g, b) => Math.abs(R - 174) < 30 && Math.abs(g - 62) < 30 && Math.abs(b - 201) < 30);
  assert.ok(purple > 400, `${purple} route-purple pixels`);
  const get = await fetchAs(ctx.server!.base, 'analyst');
  const gpxHref = await page.locator('[data-testid="export-suggest-gpx"]').getAttribute('href');
  const gpx = await get(`${ctx.server!.base}${gpxHref}`);
  assert.equal(gpx.status, 200);
  const gpxText = await gpx.text();
  assert.match(gpxText, /<gpx version="1.1"[\s\S]*<wpt [\s\S]*<trkpt /);
  assert.equal((gpxText.match(/<wpt /g) ?? []).length, Number(m![1]) + 1, 'a waypoint per stop and the base');

  // 见警率
  await page.locator('[data-testid="tab-visibility"]').click();
  await page.locator('[data-testid="visibility-rate"]').waitFor({ timeout: 300_000 });
  assert.match(await page.locator('[data-testid="visibility-rate"]').innerText(), /^\d+\.\d%$/);
  assert.equal(await page.locator('[data-testid="visibility-hours"] rect').count(), 48);
  await shot(page, 'patrol-visibility-1920x1080.png', () => false);

  // exports and the printed report
  for (const t of ['dosage', 'teams', 'visibility', 'coverage', 'cleaning']) {
    const href = await page.locator(`[data-testid="export-${t}-csv"]`).getAttribute('href');
    const res = await get(`${ctx.server!.base}${href}`);
    assert.equal(res.status, 200, t);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${t}: UTF-8 with BOM for Excel`);
    assert.ok(bytes.toString('utf8').trim().split('\n').length >= 3, `${t}: a header and rows`);
  }
  const bad = await get(`${ctx.server!.base}/api/patrol/export?table=dosage&format=pdf`);
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /文件格式只能是/);
  // last: the report opens in the same tab (its link), drawn on the server
  await page.goto(`${ctx.server!.base}${await page.locator('[data-testid="patrol-report-html"]').getAttribute('href')}`);
  await page.locator('[data-testid="patrol-report"]').waitFor({ timeout: 300_000 });
  assert.match(await page.locator('h1').innerText(), /巡防研判报告/);
  assert.ok((await page.locator('[data-testid="patrol-report"] table tbody tr').count()) >= 10, 'the report holds its tables');
  await page.screenshot({ path: '.data/screenshots/patrol-report-a4.png', fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the patrol page plays back a day of GPS tracks on the same map', { skip: missingBrowser, timeout: 600_000 }, async () => {
  // the day before the newest fix, over the township with the most fixes
  const at = await inRollback((tx) => one<{ day: string; lon: number; lat: number }>(
    `WITH t AS (SELECT township_code FROM patrol_track_points GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
     SELECT to_char((max(recorded_at) AT TIME ZONE 'UTC') + interval '8 hours' - interval '1 day', 'YYYY-MM-DD') AS day,
            ST_X(ST_Centroid(ST_Collect(geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(geom))) AS lat
     FROM patrol_track_points WHERE township_code = (SELECT township_code FROM t)`, [], 'the busiest township', tx,
  ));
  const colourful = (R: number, g: number, b: number) => Math.max(R, g, b) - Math.min(R, g, b) > 90;
  const open = (second: number) => openMapPage(ctx, `/patrol?layers=county,townships,roads,labels,patrol-tracks&tday=${at.day}&tsec=${second}#14/${at.lat.toFixed(5)}/${at.lon.toFixed(5)}`);
  const night = await open(3 * 3600); // 03:00: no shift runs
  await night.page.locator('[data-testid="dosage-summary"]').waitFor({ timeout: 300_000 });
  await night.page.locator('[data-testid="track-clock"]').waitFor({ timeout: 120_000 });
  const base = await shot(night.page, 'patrol-playback-0300-1920x1080.png', colourful);
  await night.page.close();
  const evening = await open(20 * 3600 + 40 * 60); // 20:40: the evening shifts
  await evening.page.locator('[data-testid="dosage-summary"]').waitFor({ timeout: 300_000 });
  assert.equal(await evening.page.locator('[data-testid="track-clock"]').innerText(), '20:40');
  const trails = await shot(evening.page, 'patrol-playback-1920x1080.png', colourful);
  assert.ok(trails - base > 150, `team-coloured trails and heads at 20:40: ${trails} colourful pixels against ${base} at 03:00`);
  assert.deepEqual([...night.problems, ...evening.problems], []);
  await evening.page.close();
});
