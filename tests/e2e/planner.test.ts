// End to end: the planner page draws the Gi* hot spots of the county seat over the base
// map with its legend and summary, and logs no errors. Screenshot: .data/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { appAndBrowser, missingBrowser } from './app-server';

const SHOTS = path.resolve('.data/screenshots');
const ctx = appAndBrowser();



test('the planner page shows the county seat as a 99 % hot spot, with legend and summary', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.goto(`${ctx.server!.base}/planner`);
  await page.locator('[data-testid="summary"]').waitFor({ timeout: 180_000 });
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await page.waitForTimeout(1500);
  assert.match(await page.locator('[data-testid="summary"]').innerText(), /起案事件[\s\S]*个单元[\s\S]*最强热点/);
  assert.match(await page.locator('.legend').innerText(), /热点 99% 置信\s*[1-9]\d*/);
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, 'planner-1920x1080.png');
  await page.screenshot({ path: file });
  const png = PNG.sync.read(fs.readFileSync(file));
  let red = 0;
  for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! > 200 && png.data[i + 1]! < 110 && png.data[i + 2]! < 110) red++;
  assert.ok(red > 500, `${red} hot-spot red pixels`);
  assert.deepEqual(problems, []);
  await page.close();
});
