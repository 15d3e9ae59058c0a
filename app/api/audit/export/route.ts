// Auditor exports: GET /api/audit/export?table=townships|roads|places|grids|hazards|hotspots|
// kpi-townships|kpi-owners|findings|gaps|recommend&format=csv|xlsx|geojson (recommend also
// takes budget and type). Bad parameters are a 400 with a sentence.
import { writeTable, type TableFormat } from '@/server/export/tables';
import { AUDIT_TABLES, buildAuditTable, type AuditTable } from '@/server/services/coverage/tables';
import { RecommendInput } from '@/server/routers/coverage';
import { routeFor } from '@/server/auth/routes';
import { withScope } from '@/server/db/scope';
import { heavyRun } from '@/server/analysis-queue';
import { audit } from '@/server/audit';
import { fileResponse } from '@/server/export/tables';
import { errorResponse } from '@/server/errors';

export const dynamic = 'force-dynamic';

const FORMATS: TableFormat[] = ['csv', 'xlsx', 'geojson'];
const bad = (message: string) => new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const table = url.searchParams.get('table') as AuditTable | null;
  const format = (url.searchParams.get('format') ?? 'xlsx') as TableFormat;
  if (!table || !AUDIT_TABLES.includes(table)) return bad(`无法导出:没有名为“${table ?? ''}”的审计表,请从覆盖审计页面的导出按钮下载。`);
  if (!FORMATS.includes(format)) return bad(`无法导出:文件格式只能是 CSV、XLSX 或 GeoJSON(收到“${format}”)。`);
  const rec = RecommendInput.safeParse({ budget: Number(url.searchParams.get('budget') ?? 20), type: url.searchParams.get('type') ?? 'dome' });
  if (!rec.success) return errorResponse(rec.error, 'audit export');
  return routeFor(req, 'export', `export.audit.${table}`, async (actor) => {
    // the table is an analysis: through the queue (server/analysis-queue.ts)
    const { t, body } = await heavyRun(`export.audit.${table}`, () => withScope(actor, { attempted: `exporting ${table}`, readOnly: false }, async (tx) => {
      const t = await buildAuditTable(tx, table, rec.data);
      const body = await writeTable(t, format);
      await audit(tx, { action: 'export.table', object: `audit:${table}`, rows: t.rows.length, detail: { format } });
      return { t, body };
    }));
    return fileResponse(body, format, t.name);
  });
}
