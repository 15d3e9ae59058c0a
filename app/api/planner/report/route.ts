// GET /api/planner/report?paper=A4|A3&mode=…&<analysis parameters>: the 研判报告 as a PDF,
// printed by headless Chromium (Debian's, through playwright-core) from /planner/report
// on this same server. Bad parameters are a 400 with a sentence; a missing Chromium a 503.
import fs from 'node:fs';
import { ZodError } from 'zod';
import { CHROMIUM_PATH, launchBrowser } from '@/server/browser';
import { parsePlannerParams } from '@/server/services/planner/params';

export const dynamic = 'force-dynamic';

const text = (status: number, message: string) => new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const paper = url.searchParams.get('paper') ?? 'A4';
  if (paper !== 'A4' && paper !== 'A3') return text(400, `paper must be A4 or A3, got "${paper}".`);
  const mode = url.searchParams.get('mode') ?? 'gistar';
  if (!['gistar', 'kde', 'emerging'].includes(mode)) return text(400, `mode must be gistar, kde or emerging, got "${mode}".`);
  const params = new URLSearchParams(url.searchParams);
  params.delete('paper');
  params.delete('mode');
  try {
    parsePlannerParams(params);
  } catch (err) {
    if (err instanceof ZodError) return text(400, err.issues.map((i) => `${i.path.join('.') || 'parameters'}: ${i.message}`).join('; '));
    throw err;
  }
  if (!fs.existsSync(CHROMIUM_PATH)) return text(503, `打印 PDF 需要服务器上的 Chromium(${CHROMIUM_PATH}),请安装:apt-get install chromium fonts-noto-cjk`);
  // The page is fetched from this server over loopback, whatever host name the user reached it by.
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const page = `http://127.0.0.1:${process.env.PORT ?? port}/planner/report?${url.searchParams.toString()}`;
  const browser = await launchBrowser();
  try {
    const tab = await browser.newPage();
    const res = await tab.goto(page, { waitUntil: 'load', timeout: 180_000 });
    if (!res || res.status() !== 200) return text(502, `报告页面返回 ${res?.status() ?? '无响应'}`);
    await tab.locator('[data-testid="report"], [data-testid="report-error"]').first().waitFor({ timeout: 180_000 });
    if (await tab.locator('[data-testid="report-error"]').count()) return text(400, await tab.locator('[data-testid="report-error"] p').innerText());
    const pdf = await tab.pdf({ format: paper, landscape: paper === 'A3', printBackground: true, preferCSSPageSize: true });
    const name = `研判报告-${paper}.pdf`;
    return new Response(new Uint8Array(pdf), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent(name)}` },
    });
  } catch (err) {
    console.error(`report PDF failed: ${err instanceof Error ? err.message : String(err)}`);
    return text(500, '报告生成失败:服务器内部错误,请查看服务日志。');
  } finally {
    await browser.close();
  }
}
