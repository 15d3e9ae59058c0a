// Auditor exports: GET /api/audit/export?table=townships|roads|places|grids|hazards|hotspots|
// kpi-townships|kpi-owners|findings|gaps|recommend&format=csv|xlsx|geojson (recommend also
// takes budget and type). Bad parameters are a 400 with a sentence.
import { writeTable, CONTENT_TYPES, type TableFormat } from '@/server/export/tables';
import { AUDIT_TABLES, buildAuditTable, type AuditTable } from '@/server/services/coverage/tables';
import { CoverageInputError } from '@/server/services/coverage/figures';
import { RecommendInput } from '@/server/routers/coverage';

export const dynamic = 'force-dynamic';

const FORMATS: TableFormat[] = ['csv', 'xlsx', 'geojson'];
const bad = (message: string) => new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const table = url.searchParams.get('table') as AuditTable | null;
  const format = (url.searchParams.get('format') ?? 'xlsx') as TableFormat;
  if (!table || !AUDIT_TABLES.includes(table)) return bad(`table must be one of ${AUDIT_TABLES.join(', ')}, got "${table ?? ''}".`);
  if (!FORMATS.includes(format)) return bad(`format must be one of ${FORMATS.join(', ')}, got "${format}".`);
  const rec = RecommendInput.safeParse({ budget: Number(url.searchParams.get('budget') ?? 20), type: url.searchParams.get('type') ?? 'dome' });
  if (!rec.success) return bad(rec.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  try {
    const t = await buildAuditTable(table, rec.data);
    const body = await writeTable(t, format);
    return new Response(new Uint8Array(body), {
      headers: { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(`${t.name}.${format}`)}` },
    });
  } catch (err) {
    if (err instanceof CoverageInputError) return bad(err.message);
    console.error(`audit export ${table} failed: ${err instanceof Error ? err.message : String(err)}`);
    return new Response('导出失败:服务器内部错误,请查看服务日志。', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}
