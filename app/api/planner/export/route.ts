// Planner exports: GET /api/planner/export?table=gistar|kde|emerging|targets|listed|index
// &format=csv|xlsx|geojson plus the page's analysis parameters. Bad parameters are a 400
// with a sentence; the file is computed by the same services as the page.
import { ZodError } from 'zod';
import { parsePlannerParams } from '@/server/services/planner/params';
import { buildTable, TABLE_KINDS, type TableKind } from '@/server/services/planner/tables';
import { CONTENT_TYPES, writeTable, type TableFormat } from '@/server/export/tables';
import { HotspotInputError } from '@/server/services/hotspots/hotspots';

export const dynamic = 'force-dynamic';

const FORMATS: TableFormat[] = ['csv', 'xlsx', 'geojson'];
const EXTENSIONS: Record<TableFormat, string> = { csv: 'csv', xlsx: 'xlsx', geojson: 'geojson' };

export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const table = url.searchParams.get('table') as TableKind | null;
  const format = (url.searchParams.get('format') ?? 'csv') as TableFormat;
  if (!table || !TABLE_KINDS.includes(table)) return bad(`table must be one of ${TABLE_KINDS.join(', ')}, got "${table ?? ''}".`);
  if (!FORMATS.includes(format)) return bad(`format must be one of ${FORMATS.join(', ')}, got "${format}".`);
  const params = new URLSearchParams(url.searchParams);
  params.delete('table');
  params.delete('format');
  try {
    const t = await buildTable(table, parsePlannerParams(params));
    const body = await writeTable(t, format);
    const file = `${t.name}.${EXTENSIONS[format]}`;
    return new Response(new Uint8Array(body), {
      headers: { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="export.${EXTENSIONS[format]}"; filename*=UTF-8''${encodeURIComponent(file)}` },
    });
  } catch (err) {
    if (err instanceof ZodError) return bad(err.issues.map((i) => `${i.path.join('.') || 'parameters'}: ${i.message}`).join('; '));
    if (err instanceof HotspotInputError) return bad(err.message);
    console.error(`planner export ${table} failed: ${err instanceof Error ? err.message : String(err)}`);
    return new Response('导出失败:服务器内部错误,请查看服务日志。', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
}

function bad(message: string): Response {
  return new Response(message, { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
