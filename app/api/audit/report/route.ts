// GET /api/audit/report?paper=A4|A3: the 视频监控覆盖审计报告 as a PDF, printed by headless
// Chromium from /audit/report on this server. A bad paper size is a 400; no Chromium a 503.
import { printReport } from '@/server/browser';
import { routeFor } from '@/server/auth/routes';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const paper = new URL(req.url).searchParams.get('paper') ?? 'A4';
  if (paper !== 'A4' && paper !== 'A3') return new Response(`纸张大小只能是 A4 或 A3(收到“${paper}”)。`, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return routeFor(req, 'export', 'report.audit', (actor) => printReport(req, actor, `/audit/report?paper=${paper}`, paper, `视频监控覆盖审计报告-${paper}.pdf`));
}
