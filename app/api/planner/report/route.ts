// GET /api/planner/report?paper=A4|A3&mode=…&<analysis parameters>: the 研判报告 as a PDF,
// printed by headless Chromium (Debian's, through playwright-core) from /planner/report
// on this same server. Bad parameters are a 400 with a sentence; a missing Chromium a 503.
import { printReport } from '@/server/browser';
import { routeFor } from '@/server/auth/routes';
import { parsePlannerParams } from '@/server/services/planner/params';

export const dynamic = 'force-dynamic';

const text = (status: number, message: string) => new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const paper = url.searchParams.get('paper') ?? 'A4';
  if (paper !== 'A4' && paper !== 'A3') return text(400, `纸张大小只能是 A4 或 A3(收到“${paper}”)。`);
  const mode = url.searchParams.get('mode') ?? 'gistar';
  if (!['gistar', 'kde', 'forecast', 'emerging'].includes(mode)) return text(400, `分析方式只能是 热点分析(Gi*)、核密度、热点预测 或 时空热点(收到“${mode}”)。`);
  const params = new URLSearchParams(url.searchParams);
  params.delete('paper');
  params.delete('mode');
  return routeFor(req, 'export', 'report.planner', async (actor) => {
    parsePlannerParams(params); // a ZodError is answered 400 by routeFor
    return printReport(req, actor, `/planner/report?${url.searchParams.toString()}`, paper, `研判报告-${paper}.pdf`);
  });
}
