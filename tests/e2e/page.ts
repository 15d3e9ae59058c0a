// Shared by the end-to-end tests of map pages: opening a page at 1920×1080 with its
// errors collected, and screenshots whose pixels are counted by a colour test.
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import type { AppServer } from './app-server';
import { DEMO_ACCOUNTS } from '../../server/auth/demo';

export const SHOTS = path.resolve('.data/screenshots');

/** The demo accounts (server/auth/demo.ts), one per role, as the README prints them. */
export const DEMO = Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.username, a.password])) as Record<string, string>;

/** Signs the page's browser context in through the sign-in route (the session cookie lands in the context). */
export async function signInAs(page: Page, base: string, username: string): Promise<void> {
  const res = await page.context().request.post(`${base}/api/auth/sign-in`, { data: { username, password: DEMO[username] }, headers: { origin: base } });
  if (res.status() !== 200) throw new Error(`sign-in as ${username} answered ${res.status()}: ${await res.text()}`);
}

/** Opens `pathAndQuery` of the running app as `user` (a demo account) and waits until its map is drawn; page errors and console errors land in `problems`. */
export async function openMapPage(ctx: { server?: AppServer; browser?: Browser }, pathAndQuery: string, user = 'analyst'): Promise<{ page: Page; problems: string[] }> {
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 } });
  await signInAs(page, ctx.server!.base, user);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(`${ctx.server!.base}${pathAndQuery}`);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  return { page, problems };
}

/** After `settleMs`, saves a screenshot to .data/screenshots/`name` and counts its pixels that match a colour test. */
export async function shotCount(page: Page, name: string, match: (r: number, g: number, b: number) => boolean, settleMs: number): Promise<number> {
  await page.waitForTimeout(settleMs);
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  const png = PNG.sync.read(fs.readFileSync(file));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) if (match(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!)) n++;
  return n;
}

/** A fetch that carries the session cookie of `username` (a demo account), for the export and report routes. */
export async function fetchAs(base: string, username: string): Promise<(url: string) => Promise<Response>> {
  const r = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username, password: DEMO[username] }) });
  if (r.status !== 200) throw new Error(`sign-in as ${username} answered ${r.status}: ${await r.text()}`);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  return (url: string) => fetch(url, { headers: { cookie } });
}
