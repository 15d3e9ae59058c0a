// Planner exports: GET /api/planner/export?table=gistar|kde|emerging|targets|listed|index
// &format=csv|xlsx|geojson plus the page's analysis parameters. Bad parameters are a 400
// with a sentence; the file is computed by the same services as the page.
import { parsePlannerParams } from '@/server/services/planner/params';
import { buildTable, TABLE_KINDS, type TableKind } from '@/server/services/planner/tables';
import { fileResponse, writeTable, type TableFormat } from '@/server/export/tables';
import { routeFor } from '@/server/auth/routes';
import { withScope } from '@/server/db/scope';
import { heavyRun } from '@/server/analysis-queue';
import { audit } from '@/server/audit';

export const dynamic = 'force-dynamic';

const FORMATS: TableFormat[] = ['csv', 'xlsx', 'geojson'];

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const table = url.searchParams.get('table') as TableKind | null;
  const format = (url.searchParams.get('format') ?? 'csv') as TableFormat;
  if (!table || !TABLE_KINDS.includes(table)) return bad(`无法导出:没有名为“${table ?? ''}”的研判结果表,请从研判页面的导出按钮下载。`);
  if (!FORMATS.includes(format)) return bad(`无法导出:文件格式只能是 CSV、XLSX 或 GeoJSON(收到“${format}”)。`);
  const params = new URLSearchParams(url.searchParams);
  params.delete('table');
  params.delete('format');
  return routeFor(req, 'export', `export.planner.${table}`, async (actor) => {
    // the table is an analysis: through the queue (server/analysis-queue.ts)
    const { t, body } = await heavyRun(`export.planner.${table}`, () => withScope(actor, { attempted: `exporting ${table}` }, async (tx) => {
      const t = await buildTable(tx, table, parsePlannerParams(params));
      const body = await writeTable(t, format);
      await audit(tx, { action: 'export.table', object: `planner:${table}`, rows: t.rows.length, detail: { format } });
      return { t, body };
    }));
    return fileResponse(body, format, t.name);
  });
}

function bad(message: string): Response {
  return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
