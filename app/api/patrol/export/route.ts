// Patrol exports: GET /api/patrol/export?table=dosage|teams|visibility|peaks|coverage|suggest|cleaning
// &format=csv|xlsx|geojson (suggest also gpx, for the patrol devices) plus the page's
// parameters. Bad parameters are a 400 with a sentence; the file is computed by the same
// services as the page, through the analysis queue.
import { parsePatrolParams, periodOf } from '@/server/services/patrol/params';
import { buildPatrolTable, PATROL_TABLES, type PatrolTable } from '@/server/services/patrol/tables';
import { suggestRoute } from '@/server/services/patrol/suggest';
import { suggestionGpx } from '@/server/services/patrol/gpx';
import { PATROL_RULES } from '@/server/services/patrol/rules';
import { fileResponse, writeTable, type TableFormat } from '@/server/export/tables';
import { routeFor } from '@/server/auth/routes';
import { withScope } from '@/server/db/scope';
import { heavyRun } from '@/server/analysis-queue';
import { audit } from '@/server/audit';
import { UserError } from '@/server/errors';

export const dynamic = 'force-dynamic';

const FORMATS = ['csv', 'xlsx', 'geojson', 'gpx'];

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const table = url.searchParams.get('table') as PatrolTable | null;
  const format = url.searchParams.get('format') ?? 'csv';
  // a refusal quotes at most 40 characters of what it refuses
  const quote = (v: string) => (v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (!table || !PATROL_TABLES.includes(table)) return bad(`无法导出:没有名为“${quote(table ?? '')}”的巡防研判结果表,请从巡防研判页面的导出按钮下载。`);
  if (!FORMATS.includes(format) || (format === 'gpx' && table !== 'suggest')) return bad(`无法导出:文件格式只能是 CSV、XLSX、GeoJSON${table === 'suggest' ? ' 或 GPX' : ''}(收到“${quote(format)}”)。`);
  const params = new URLSearchParams(url.searchParams);
  params.delete('table');
  params.delete('format');
  return routeFor(req, 'export', `export.patrol.${table}`, async (actor) => {
    const p = parsePatrolParams(params); // a ZodError is answered 400 by routeFor
    if (format === 'gpx') {
      const gpx = await heavyRun('export.patrol.gpx', () => withScope(actor, { attempted: 'exporting a suggested route' }, async (tx) => {
        if (!p.team) throw new UserError('Choose a team.', '请先选择巡逻队。');
        const period = await periodOf(tx, p);
        const s = await suggestRoute(tx, { teamId: p.team, shift: p.start && p.end ? { start: p.start, end: p.end } : undefined, mode: p.mode, to: period.to, cellM: p.cell });
        await audit(tx, { action: 'export.table', object: 'patrol:suggest', rows: s.stops.length, detail: { format } });
        return { body: suggestionGpx(s, PATROL_RULES.suggest.stopMinutes), name: `建议巡逻路线-${s.team.name}-${s.shift.start.replace(':', '')}` };
      }));
      return new Response(gpx.body, { headers: { 'content-type': 'application/gpx+xml; charset=utf-8', 'content-disposition': `attachment; filename="route.gpx"; filename*=UTF-8''${encodeURIComponent(gpx.name)}.gpx` } });
    }
    const { t, body } = await heavyRun(`export.patrol.${table}`, () => withScope(actor, { attempted: `exporting ${table}` }, async (tx) => {
      const t = await buildPatrolTable(tx, table, p);
      const body = await writeTable(t, format as TableFormat);
      await audit(tx, { action: 'export.table', object: `patrol:${table}`, rows: t.rows.length, detail: { format } });
      return { t, body };
    }));
    return fileResponse(body, format as TableFormat, t.name);
  });
}

function bad(message: string): Response {
  return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
