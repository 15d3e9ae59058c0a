// bundle: the JavaScript a browser transfers to open each map page, measured as a user gets
// it — the built app served by `npm start` (gzip on), headless Chromium, the bytes on the
// wire (CDP encodedDataLength) of every script until the map has drawn and no layer is
// loading, lazy chunks included, plus maplibre's worker script. The baseline in the same run is the sign-in page (the
// framework alone), so the ratio says what the map adds. Budget: 1.5 MB gzip for `/`.
// Options: --base <url> to measure a running app instead of starting one (sign-in needed).
import { parseArgs } from 'node:util';
import http from 'node:http';
import type { Page } from 'playwright-core';
import { startAppServer } from '../tests/e2e/app-server';
import { launchBrowser } from '../server/browser';
import { DEMO_ACCOUNTS } from '../server/auth/demo';

const BUDGET_BYTES = 1.5 * 1024 * 1024;

interface Transfer { scripts: number; wireBytes: number; decodedBytes: number; largest: { url: string; wireBytes: number }[] }

async function measure(page: Page, url: string, waitForMap: boolean): Promise<Transfer> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const scripts = new Map<string, string>();
  const sizes = new Map<string, { wire: number; decoded: number }>();
  cdp.on('Network.responseReceived', (e: { requestId: string; type: string; response: { url: string } }) => {
    if (e.type === 'Script' || e.response.url.endsWith('.js') || e.response.url.endsWith('.mjs')) scripts.set(e.requestId, e.response.url);
  });
  cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
    const s = sizes.get(e.requestId) ?? { wire: 0, decoded: 0 };
    s.decoded += e.dataLength;
    sizes.set(e.requestId, s);
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    const s = sizes.get(e.requestId) ?? { wire: 0, decoded: 0 };
    s.wire = e.encodedDataLength;
    sizes.set(e.requestId, s);
  });
  await page.goto(url, { waitUntil: 'load' });
  if (waitForMap) {
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 });
    await page.waitForFunction(() => !document.querySelector('[data-testid="map-loading"]'), null, { timeout: 240_000 });
  }
  await page.waitForTimeout(1500);
  const rows = [...scripts].map(([id, u]) => ({ url: new URL(u).pathname, wireBytes: sizes.get(id)?.wire ?? 0, decodedBytes: sizes.get(id)?.decoded ?? 0 }));
  await cdp.detach();
  return {
    scripts: rows.length,
    wireBytes: rows.reduce((a, r) => a + r.wireBytes, 0),
    decodedBytes: rows.reduce((a, r) => a + r.decodedBytes, 0),
    largest: rows.sort((a, b) => b.wireBytes - a.wireBytes).slice(0, 5).map(({ url: u, wireBytes }) => ({ url: u, wireBytes })),
  };
}

/** maplibre's worker script: a dedicated worker's fetch is not in the page's network log, so it is fetched as the browser would (gzip) and counted. */
function wireBytesOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => { n += c.length; });
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { base: { type: 'string' } } });
  const server = values.base ? null : await startAppServer();
  const base = values.base ?? server!.base;
  const browser = await launchBrowser();
  try {
    const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await ctx.newPage();
    const signIn = await measure(page, `${base}/login`, false);
    const account = DEMO_ACCOUNTS.find((a) => a.username === 'analyst')!;
    const res = await ctx.request.post(`${base}/api/auth/sign-in`, { data: { username: account.username, password: account.password }, headers: { origin: base } });
    if (res.status() !== 200) throw new Error(`sign-in answered ${res.status()}`);
    const pages: Record<string, Transfer> = {};
    for (const p of ['/', '/planner', '/audit']) {
      const fresh = await ctx.newPage();
      pages[p] = await measure(fresh, `${base}${p}`, true);
      await fresh.close();
    }
    const workerWireBytes = await wireBytesOf(`${base}/vendor/maplibre-gl-worker.mjs`);
    const map = pages['/']!;
    const mapTotal = map.wireBytes + workerWireBytes;
    return {
      note: 'bytes on the wire (gzip) of every script until the map is drawn and its layers loaded; cache disabled',
      baseline: { page: '/login', ...signIn },
      pages,
      workerWireBytes,
      mapWireMB: +(mapTotal / 1024 / 1024).toFixed(3),
      budgetMB: BUDGET_BYTES / 1024 / 1024,
      withinBudget: mapTotal <= BUDGET_BYTES,
      ratioToSignIn: +(mapTotal / Math.max(1, signIn.wireBytes)).toFixed(2),
    };
  } finally {
    await browser.close();
    await server?.stop();
  }
}
