// GET /api/patrol/report?<patrol parameters>: the 巡防研判报告 as an A4 PDF, printed by
// headless Chromium from /patrol/report on this same server. Bad parameters are a 400.
import { printReport } from '@/server/browser';
import { routeFor } from '@/server/auth/routes';
import { parsePatrolParams } from '@/server/services/patrol/params';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  return routeFor(req, 'export', 'report.patrol', async (actor) => {
    parsePatrolParams(url.searchParams); // a ZodError is answered 400 by routeFor
    return printReport(req, actor, `/patrol/report?${url.searchParams.toString()}`, 'A4', '巡防研判报告-A4.pdf');
  });
}
