// End to end: what a person sees after bad input on the pages, in headless Chromium at
// 1920×1080 with one browser and one sign-in. Bad URL parameters on /, /planner, /audit and
// /login fall back to the default with a Chinese notice naming the parameter (the planner
// with ?mode=xyz used to crash); an unknown address shows the Chinese 404 page; a cell size
// of 0 in the planner's form is refused beside the field in Chinese before any request.
// Screenshots: .data/screenshots/bad-input-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { SHOTS, signInAs } from './page';

const ctx = appAndBrowser();
const LATIN_WORD = /[A-Za-z]{3,}/;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** The notice of the page's bad parameters, once it shows. */
async function notice(page: Page): Promise<string> {
  const box = page.locator('[data-testid="param-notice"]');
  await box.waitFor({ timeout: 60_000 });
  return box.innerText();
}

test('bad URL parameters, an unknown address and a bad form entry each get a Chinese answer', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const base = ctx.server!.base;
  const page = await ctx.browser!.newPage({ viewport: { width: 1920, height: 1080 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await signInAs(page, base, 'analyst');

  // an address the app does not have: the Chinese 404 page, without a word of English
  const missing = await page.goto(`${base}/no-such-page/%E4%B8%8D%E5%AD%98%E5%9C%A8`);
  assert.equal(missing?.status(), 404);
  const notFound = page.locator('[data-testid="not-found"]');
  await notFound.waitFor();
  const notFoundText = await notFound.innerText();
  assert.match(notFoundText, /页面不存在[\s\S]*请检查地址[\s\S]*返回态势地图/);
  assert.doesNotMatch(notFoundText, LATIN_WORD, 'the 404 page has no English');
  assert.equal(await page.title(), '页面不存在 · 平安一张图');
  assert.equal(await page.locator('[data-testid="back-to-map"]').getAttribute('href'), '/');
  await shot(page, 'bad-input-404-1920x1080.png');

  // the sign-in page with a return path to another site: refused, the map instead
  await page.goto(`${base}/login?next=${encodeURIComponent('https://evil.example/steal')}`);
  assert.match(await notice(page), /链接参数 next=https:\/\/evil\.example\/steal 无效[\s\S]*本系统内的页面地址[\s\S]*「态势地图」/);
  await shot(page, 'bad-input-login-next-1920x1080.png');

  // the map with an unknown layer: the default layers, with a notice
  await page.goto(`${base}/?layers=county,xyz`);
  assert.match(await notice(page), /链接参数 layers=county,xyz 无效[\s\S]*已改用默认的「默认图层」/);
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  assert.equal(await page.locator('input[data-layer="roads"]').isChecked(), true, 'the default layers are shown');
  assert.equal(await page.locator('input[data-layer="villages"]').isChecked(), false);
  await shot(page, 'bad-input-map-layers-1920x1080.png');

  // the planner with an unknown mode (this used to take the page down): Gi*, with a notice
  await page.goto(`${base}/planner?mode=xyz&cell=abc`);
  const plannerNotice = await notice(page);
  assert.match(plannerNotice, /链接参数 mode=xyz 无效[\s\S]*已改用默认的「热点\(Gi\*\)」/);
  assert.ok(plannerNotice.includes('链接参数 cell=abc 无效(网格单元边长须为 100–20000 米之间的整数),已改用默认的「500 米」。'), plannerNotice);
  assert.equal(await page.locator('[data-testid="mode-gistar"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[data-testid="cell"]').inputValue(), '500');
  await page.waitForSelector('body[data-map-ready="true"]', { timeout: 120_000 });
  await shot(page, 'bad-input-planner-mode-1920x1080.png');

  // 0 as the cell size: a Chinese hint beside the field, and no analysis is asked for
  await page.locator('[data-testid="cell"]').fill('0');
  await page.locator('[data-testid="analyse"]').click();
  const hint = await page.locator('[data-testid="hint-cell"]').innerText();
  assert.match(hint, /^网格单元边长须为 100–20000 米之间的整数$/);
  assert.doesNotMatch(hint, /[{}[\]]/);
  assert.equal(await page.locator('[data-testid="cell"]').getAttribute('aria-invalid'), 'true');
  assert.equal(new URL(page.url()).searchParams.get('cell'), 'abc', 'the refused form did not change the analysis in the URL');
  assert.equal(await page.locator('[data-testid="analysis-error"]').count(), 0, 'nothing was sent, so the server refused nothing');
  await shot(page, 'bad-input-planner-cell-0-1920x1080.png');

  // the audit page with an unknown tab: 考核指标, with a notice. Last, and without waiting for
  // the coverage figures (half a minute on the demo county): the notice does not depend on them.
  await page.goto(`${base}/audit?tab=xyz`);
  assert.match(await notice(page), /链接参数 tab=xyz 无效[\s\S]*已改用默认的「考核指标」/);
  assert.equal(await page.locator('[data-testid="tab-kpi"]').getAttribute('aria-selected'), 'true');
  await shot(page, 'bad-input-audit-tab-1920x1080.png');
  await page.locator('[data-testid="tab-recommend"]').click();
  await page.locator('[data-testid="recommend-panel"]').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('tab'), 'recommend', 'the tab is kept in the URL');

  assert.deepEqual(problems, []);
  await page.close();
});
