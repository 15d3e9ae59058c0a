// Headless Chromium for the printed reports (PDF) and the end-to-end tests: Debian's
// chromium driven by playwright-core, no browser download. Flags keep it off the (closed) network.
import { chromium, type Browser } from 'playwright-core';
import type { Actor } from './context';
import { withScope } from './db/scope';
import { audit } from './audit';
import { issuePrintToken } from './auth/accounts';
import { PRINT_COOKIE } from './auth/request';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
    ],
  });
}

const textResponse = (status: number, message: string) => new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Prints a report page of this server (`path` with its query, fetched over loopback) to a
 * PDF response. The page shows `[data-testid="report"]` when ready or
 * `[data-testid="report-error"]` with the reason (answered as 400). No Chromium: 503.
 */
export async function printReport(req: Request, actor: Actor, path: string, paper: 'A4' | 'A3', fileName: string): Promise<Response> {
  const fs = await import('node:fs');
  if (!fs.existsSync(CHROMIUM_PATH)) return textResponse(503, `打印 PDF 需要服务器上的 Chromium(${CHROMIUM_PATH}),请安装:apt-get install chromium fonts-noto-cjk`);
  const url = new URL(req.url);
  // The page is fetched from this same server over loopback, whatever host name the user reached it by.
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const page = `http://127.0.0.1:${process.env.PORT ?? port}${path}`;
  // Chromium opens the page as the requesting user, with a token valid for minutes and for this page only
  const token = await withScope(actor, { attempted: 'issuing a print token' }, async (tx) => {
    await audit(tx, { action: 'report.print', object: path.split('?')[0]!, detail: { paper } });
    return issuePrintToken(tx, path);
  });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: PRINT_COOKIE, value: token, url: page, httpOnly: true, sameSite: 'Strict' }]);
    const tab = await context.newPage();
    const res = await tab.goto(page, { waitUntil: 'load', timeout: 180_000 });
    if (!res || res.status() !== 200) return textResponse(502, `报告页面返回 ${res?.status() ?? '无响应'}`);
    await tab.locator('[data-testid="report"], [data-testid="report-error"]').first().waitFor({ timeout: 180_000 });
    if (await tab.locator('[data-testid="report-error"]').count()) return textResponse(400, await tab.locator('[data-testid="report-error"] p').innerText());
    const pdf = await tab.pdf({ format: paper, landscape: paper === 'A3', printBackground: true, preferCSSPageSize: true });
    return new Response(new Uint8Array(pdf), {
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="report.pdf"; filename*=UTF-8''${encodeURIComponent(fileName)}` },
    });
  } catch (err) {
    console.error(`report PDF failed: ${err instanceof Error ? err.message : String(err)}`);
    return textResponse(500, '报告生成失败:服务器内部错误,请查看服务日志。');
  } finally {
    await browser.close();
  }
}
