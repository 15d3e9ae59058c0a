// Takes a screenshot of a page of the running app:
// `tsx scripts/screenshot.ts <url> <out.png> [width] [height] [--as <demo user>]`.
// Signs in as a demo account when asked (the pages need a session), waits until the map says
// it is ready (body[data-map-ready]) and no layer is still loading, and prints the page's
// console errors.
import { launchBrowser } from '../server/browser';
import { DEMO_ACCOUNTS } from '../server/auth/demo';

const args = process.argv.slice(2);
const asAt = args.indexOf('--as');
const user = asAt >= 0 ? args.splice(asAt, 2)[1] : undefined;
const [url = 'http://localhost:3000/', out = 'screenshot.png', w = '1920', h = '1080'] = args;
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
  page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  if (user) {
    const account = DEMO_ACCOUNTS.find((a) => a.username === user);
    if (!account) throw new Error(`no demo account ${user}`);
    const origin = new URL(url).origin;
    const res = await page.context().request.post(`${origin}/api/auth/sign-in`, { data: { username: user, password: account.password }, headers: { origin } });
    if (res.status() !== 200) throw new Error(`sign-in as ${user}: ${res.status()} ${await res.text()}`);
  }
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 240_000 }).catch(() => console.error('map did not report ready'));
  await page.waitForFunction(() => !document.querySelector('[data-testid="map-loading"]'), null, { timeout: 240_000 }).catch(() => console.error('layers still loading'));
  console.log(`ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out });
  console.log(out);
} finally {
  await browser.close();
}
