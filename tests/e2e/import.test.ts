// End to end: the import page in headless Chromium. A GBK CSV dropped on the page shows
// its preview (encoding, CRS, mapping, first rows); a dry run reports the bad rows; a
// real run writes the good ones. Screenshots go to .data/screenshots/.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { appAndBrowser, missingBrowser } from './app-server';
import { closeDatabase, many } from '../../server/db/index';
import { signInAs } from './page';
import { withScope } from '../../server/db/scope';
import { inRollback, TEST_ACTOR } from '../helpers';

const SHOTS = path.resolve('.data/screenshots');
const ctx = appAndBrowser();

const CSV = ['编号,名称,经度,纬度,方向角,类型', 'E2E-1,东门路口枪机,117.601,25.701,90,枪机', 'E2E-2,西门路口球机,117.602,25.702,,球机', 'E2E-3,坏点,东经,25.7,90,枪机', 'E2E-4,方向错,117.603,25.703,720,枪机'].join('\n');


after(async () => {
  await withScope(TEST_ACTOR, { attempted: 'removing the e2e cameras' }, (tx) => many(`DELETE FROM cameras WHERE external_id LIKE 'E2E-%'`, [], 'removing the e2e cameras', tx)).catch(() => {});
  await closeDatabase();
});

async function drop(page: Page, name: string, bytes: Buffer) {
  await page.evaluate(
    ({ name, data }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], name));
      document.querySelector('[data-testid="dropzone"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, data: [...bytes] },
  );
}

test('a dropped GBK CSV is previewed, dry-run, then imported; every bad row is reported', { skip: missingBrowser, timeout: 300_000 }, async () => {
  const page = await ctx.browser!.newPage({ viewport: { width: 1600, height: 1200 } });
  await signInAs(page, ctx.server!.base, 'analyst');
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('response', (r) => r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  await page.goto(`${ctx.server!.base}/import`);
  await page.locator('[data-testid="crs"]').selectOption('gcj02');
  await drop(page, '摄像机台账.csv', iconv.encode(CSV, 'gbk'));

  const preview = page.locator('[data-testid="preview"]');
  await preview.getByText('GCJ-02').waitFor({ timeout: 60_000 });
  const previewText = await preview.innerText();
  assert.match(previewText, /CSV/);
  assert.match(previewText, /gbk/);
  assert.match(previewText, /东门路口枪机/);
  const mappingText = await page.locator('[data-testid="mapping"]').innerText();
  for (const pair of ['经度 ← 经度', '纬度 ← 纬度', '方向角 ← 方向角', '摄像机类型 ← 类型']) assert.ok(mappingText.includes(pair), pair);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'import-preview.png'), fullPage: true });

  await page.locator('[data-testid="start"]').click();
  const report = page.locator('[data-testid="report"]');
  await report.getByText('试运行完成').waitFor({ timeout: 60_000 });
  const dry = await report.innerText();
  assert.match(dry, /接受 2 行/);
  assert.match(dry, /拒绝 2 行/);
  assert.match(dry, /4\s+经度\s+不是数字:'东经'/);
  assert.match(dry, /5\s+方向角\s+720 超过上限 360/);
  assert.equal((await inRollback((tx) => many(`SELECT 1 FROM cameras WHERE external_id LIKE 'E2E-%'`, [], 'checking the dry run', tx))).length, 0);
  await page.screenshot({ path: path.join(SHOTS, 'import-report.png'), fullPage: true });

  await page.locator('[data-testid="dry-run"]').uncheck();
  await page.locator('[data-testid="start"]').click();
  await report.getByText('已导入').waitFor({ timeout: 60_000 });
  const rows = await inRollback((tx) => many<{ external_id: string; source_crs: string }>(`SELECT external_id, source_crs FROM cameras WHERE external_id LIKE 'E2E-%' ORDER BY 1`, [], 'checking the import', tx));
  assert.deepEqual(rows, [{ external_id: 'E2E-1', source_crs: 'GCJ-02' }, { external_id: 'E2E-2', source_crs: 'GCJ-02' }]);
  assert.deepEqual(problems, []);
  await page.close();
});
