// End to end: the command-centre wall (/screen) in headless Chromium, opened as a kiosk
// would be, with the demo display's token in the address. Layouts at 1920×1080, 3840×2160,
// 3840×1080 and 7680×2160 fit with no scrollbars and no overlapping panels, draw the map,
// log no errors and ask nothing of another host; an incident added through the CLI reaches
// the feed and flashes on the map (latency printed); a stopped server shows the stale badge
// and a restarted one clears it without a reload; on PostgreSQL, so does a database stopped
// and started with pg_ctl; a revoked display token loses the stream.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { missingBrowser, startAppServer, type AppServer } from './app-server';
import { launchBrowser } from './browser';
import { SHOTS } from './page';
import { DEMO_DISPLAY } from '../../server/auth/demo';
import { THEMES } from '../../app/screen/themes';
import { withScope } from '../../server/db/scope';
import { many } from '../../server/db/index';
import { systemActor } from '../../server/context';

const ctx: { server?: AppServer; browser?: Browser } = {};
/** Layouts and themes do not depend on the engine: on PostgreSQL only 1920×1080 runs (CI time). */
const layoutOnly = (w: number) => missingBrowser || (process.env.DATABASE_URL && w !== 1920 ? 'layouts other than 1920×1080 and the theme screenshots run on the embedded engine' : false);
const PORT_FILE_ENV = { LIVE_SUBSCRIPTION_MAX_MS: '8000' };
const TEST_DISPLAY = '测试大屏';

before(async () => {
  if (missingBrowser) return;
  ctx.server = await startAppServer(PORT_FILE_ENV);
  ctx.browser = await launchBrowser();
}, { timeout: 600_000 });

after(async () => {
  await ctx.browser?.close();
  await ctx.server?.stop();
  // the incidents and displays these tests added: the other tests read a fixed county
  await withScope(systemActor('test cleanup', ['admin']), { attempted: 'removing the wall test rows' }, async (tx) => {
    await many(`DELETE FROM incidents WHERE external_id LIKE 'sim-cli-%'`, [], 'removing test incidents', tx);
    await many(`DELETE FROM live_events`, [], 'removing test events', tx);
    await many(`DELETE FROM displays WHERE name = $1`, [TEST_DISPLAY], 'removing the test display', tx);
  }).catch(() => {});
});

// pages of a failed test would keep streaming and loading the machine: close them all
const open: Page[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) await p.close().catch(() => {});
});

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { encoding: 'utf8', env: process.env, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

async function openWall(width: number, height: number, query = '', token: string = DEMO_DISPLAY.token): Promise<{ page: Page; problems: string[] }> {
  // 7680×2160 in software WebGL can take minutes to draw: the same CSS layout at half the
  // device pixels (the layout checks are in CSS pixels; the screenshot is 3840×1080)
  const page = await ctx.browser!.newPage({ viewport: { width, height }, deviceScaleFactor: width > 4000 ? 0.5 : 1 });
  open.push(page);
  const problems: string[] = [];
  const base = ctx.server!.base;
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`off-site request ${u}`);
  });
  await page.goto(`${base}/screen?token=${token}${query ? `&${query}` : ''}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 180_000 });
  await page.waitForSelector('[data-testid="today-total"], [data-testid="online-rate"], [data-panel="patrols"] .screen-kpi, [data-panel="hazards"] .screen-line', { timeout: 60_000 });
  return { page, problems };
}

interface Box { name: string; x: number; y: number; w: number; h: number }

async function layoutOf(page: Page) {
  return page.evaluate(() => {
    const boxes: Box[] = [...document.querySelectorAll<HTMLElement>('[data-panel]')].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.dataset.panel!, x: r.x, y: r.y, w: r.width, h: r.height };
    });
    const d = document.documentElement;
    return { boxes, scrollW: d.scrollWidth, scrollH: d.scrollHeight, innerW: window.innerWidth, innerH: window.innerHeight, url: location.href };
  });
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
}

for (const [w, h] of [[1920, 1080], [3840, 2160], [3840, 1080], [7680, 2160]] as const) {
  test(`/screen at ${w}×${h} fits, draws the map and logs no errors`, { skip: layoutOnly(w), timeout: 400_000 }, async () => {
    const { page, problems } = await openWall(w, h, 'theme=order');
    const l = await layoutOf(page);
    assert.doesNotMatch(l.url, /token=/, 'the token leaves the address bar');
    assert.ok(l.scrollW <= l.innerW && l.scrollH <= l.innerH, `no scrollbars: page ${l.scrollW}×${l.scrollH} in ${l.innerW}×${l.innerH}`);
    const expected = w / h >= 2.8 ? 8 : 6; // head + map + 2 (32:9: 3) panels a side
    assert.equal(l.boxes.length, expected, `panels: ${l.boxes.map((b) => b.name).join(', ')}`);
    for (const b of l.boxes) {
      assert.ok(b.w > 50 && b.h > 50, `${b.name} has a size (${b.w}×${b.h})`);
      assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= w + 0.5 && b.y + b.h <= h + 0.5, `${b.name} lies inside the viewport: ${JSON.stringify(b)}`);
    }
    for (let i = 0; i < l.boxes.length; i++) for (let j = i + 1; j < l.boxes.length; j++) assert.ok(!overlaps(l.boxes[i]!, l.boxes[j]!), `${l.boxes[i]!.name} and ${l.boxes[j]!.name} do not overlap`);
    // nothing inside a panel spills out of it
    const spills = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.screen-panel-body')].filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.parentElement!.dataset.panel));
    assert.deepEqual(spills, [], 'no panel is wider than its box');
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.waitForTimeout(2_000);
    await page.screenshot({ path: path.join(SHOTS, `screen-${w}x${h}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('/screen: every theme at 1920×1080 (screenshots)', { skip: layoutOnly(0), timeout: 400_000 }, async () => {
  for (const t of THEMES) {
    const { page, problems } = await openWall(1920, 1080, `theme=${t.id}`);
    const title = await page.textContent('.screen-map-title');
    assert.equal(title, t.title);
    const panels = await page.$$eval('.screen-panel', (els) => els.map((e) => (e as HTMLElement).dataset.panel));
    assert.deepEqual(panels, [...t.left, ...t.right]);
    await page.waitForTimeout(3_000);
    await page.screenshot({ path: path.join(SHOTS, `screen-theme-${t.id}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test('an incident added through the CLI reaches the feed and flashes on the map within 5 s', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const { page, problems } = await openWall(1920, 1080, 'theme=order');
  // the stream is open once the page has its first answer; give it a moment to subscribe
  await page.waitForTimeout(3_000);
  const out = JSON.parse(cli('simulate', '--incident', '--major', '--json')) as { id: string; lon: number; lat: number };
  const t0 = Date.now();
  await page.waitForSelector(`[data-testid="feed"] li.fresh[data-incident="${out.id}"]`, { timeout: 5_000 });
  const feedMs = Date.now() - t0;
  await page.waitForFunction(() => Number(document.body.dataset.flashes ?? 0) > 0, undefined, { timeout: 5_000 });
  const flashMs = Date.now() - t0;
  console.log(`wall latency: CLI commit → feed ${feedMs} ms, → flash ${flashMs} ms`);
  await page.screenshot({ path: path.join(SHOTS, 'screen-flash.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('a stopped server shows the stale badge; a restarted one clears it without a reload', { skip: missingBrowser, timeout: 400_000 }, async () => {
  const { page } = await openWall(1920, 1080, 'theme=order');
  await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
  assert.equal(await page.$('[data-testid="stale-badge"]'), null, 'fresh at first');
  const port = Number(new URL(ctx.server!.base).port);
  await ctx.server!.stop();
  const badge = await page.waitForSelector('[data-testid="stale-badge"]', { timeout: 90_000 });
  assert.match((await badge.textContent()) ?? '', /数据更新于 \d\d:\d\d:\d\d/);
  // the panels keep their last data
  assert.ok(await page.$('[data-testid="today-total"]'), 'the panels keep their data');
  await page.screenshot({ path: path.join(SHOTS, 'screen-stale.png') });
  ctx.server = await startAppServer(PORT_FILE_ENV, port);
  await page.waitForSelector('[data-testid="stale-badge"]', { state: 'detached', timeout: 120_000 });
  assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the page was not reloaded');
  await page.close();
});

/**
 * The real PostgreSQL the suite runs on (DATABASE_URL), stopped and started with pg_ctl and
 * the options it was started with (postmaster.opts), as an operator would.
 */
async function postgresServer() {
  const c = new pg.Client(process.env.DATABASE_URL);
  await c.connect();
  const dataDir = (await c.query<{ d: string }>(`SELECT current_setting('data_directory') AS d`)).rows[0]!.d;
  await c.end();
  // postmaster.opts: /usr/lib/postgresql/15/bin/postgres "-D" "…" "-p" "5432" "-c" "…" …
  const words = [...fs.readFileSync(path.join(dataDir, 'postmaster.opts'), 'utf8').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const bin = path.dirname(words[0]!);
  const opts: string[] = [];
  for (let i = 1; i < words.length; i++) {
    if (words[i] === '-D') i++;
    else opts.push(/\s/.test(words[i]!) ? `'${words[i]}'` : words[i]!);
  }
  const run = (args: string[]) => (process.getuid?.() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', `${bin}/pg_ctl`, ...args], { stdio: 'pipe' }) : execFileSync(`${bin}/pg_ctl`, args, { stdio: 'pipe' }));
  return {
    stop: () => run(['-D', dataDir, '-m', 'fast', '-w', 'stop']),
    start: () => run(['-D', dataDir, '-l', path.join(dataDir, '..', 'restart.log'), '-w', '-o', opts.join(' '), 'start']),
  };
}

test('a stopped database shows the stale badge; started again, the badge clears without a reload', {
  skip: missingBrowser || (!process.env.DATABASE_URL && 'the embedded database lives in the serving process: the stopped-server test covers it'),
  timeout: 400_000,
}, async () => {
  const db = await postgresServer();
  const { page } = await openWall(1920, 1080, 'theme=order');
  await page.evaluate(() => { (window as unknown as { marker: number }).marker = 7; });
  assert.equal(await page.$('[data-testid="stale-badge"]'), null, 'fresh at first');
  const t0 = Date.now();
  db.stop();
  let restarted = false;
  try {
    const badge = await page.waitForSelector('[data-testid="stale-badge"]', { timeout: 120_000 });
    const shownS = (Date.now() - t0) / 1000;
    assert.match((await badge.textContent()) ?? '', /数据更新于 \d\d:\d\d:\d\d/);
    assert.ok(await page.$('[data-testid="today-total"]'), 'the panels keep their data');
    await page.screenshot({ path: path.join(SHOTS, 'screen-db-stopped.png') });
    const t1 = Date.now();
    db.start();
    restarted = true;
    await page.waitForSelector('[data-testid="stale-badge"]', { state: 'detached', timeout: 120_000 });
    console.log(`wall with the database stopped: stale badge after ${shownS.toFixed(1)} s; cleared ${((Date.now() - t1) / 1000).toFixed(1)} s after the database started again`);
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 7, 'the page was not reloaded');
  } finally {
    if (!restarted) db.start();
  }
  await page.close();
});

test('a revoked display token stops the stream', { skip: missingBrowser, timeout: 300_000 }, async () => {
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'display', 'revoke', TEST_DISPLAY], { env: process.env }); // from an earlier run
  const token = cli('display', 'add', TEST_DISPLAY).trim().split('\n').pop()!;
  assert.match(token, /^dsp_/);
  const { page } = await openWall(1920, 1080, 'theme=order', token);
  cli('display', 'revoke', TEST_DISPLAY);
  // each response of the stream ends after LIVE_SUBSCRIPTION_MAX_MS (8 s here); its reconnect,
  // like the next panel refresh, is refused, and the wall says so instead of retrying
  await page.waitForSelector('[data-testid="revoked"]', { timeout: 60_000 });
  await page.screenshot({ path: path.join(SHOTS, 'screen-revoked.png') });
  // and what happens after that does not reach this wall
  const out = JSON.parse(cli('simulate', '--incident', '--json')) as { id: string };
  await page.waitForTimeout(5_000);
  assert.equal(await page.$(`[data-incident="${out.id}"]`), null, 'a new incident does not reach a revoked wall');
  await page.close();
});
