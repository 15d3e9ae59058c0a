// Takes a screenshot of a page of the running app: `tsx scripts/screenshot.ts <url> <out.png> [width] [height]`.
// Waits until the map says it is ready (body[data-map-ready]) and prints the page's console errors.
import { launchBrowser } from '../server/browser';

const [url = 'http://localhost:3000/', out = 'screenshot.png', w = '1920', h = '1080'] = process.argv.slice(2);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: Number(w), height: Number(h) } });
  page.on('console', (m) => m.type() === 'error' && console.error(`console: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`pageerror: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 }).catch(() => console.error('map did not report ready'));
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out });
  console.log(out);
} finally {
  await browser.close();
}
