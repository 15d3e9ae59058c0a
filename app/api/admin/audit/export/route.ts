// GET /api/admin/audit/export?format=csv|xlsx&from&to&actor&action: the audit log as a
// file, for auditors and admins. The export itself is audited.
import { withScope } from '@/server/db/scope';
import { AuditQuerySchema, listAudit, audit } from '@/server/audit';
import { routeFor } from '@/server/auth/routes';
import { CONTENT_TYPES, writeTable, type TableFormat } from '@/server/export/tables';
import { UserError } from '@/server/errors';

export const dynamic = 'force-dynamic';

export function GET(req: Request): Promise<Response> {
  return routeFor(req, 'audit.read', 'export.audit-log', async (actor) => {
    const url = new URL(req.url);
    const format = (url.searchParams.get('format') ?? 'csv') as TableFormat;
    if (format !== 'csv' && format !== 'xlsx') throw new UserError(`format must be csv or xlsx, got "${format}".`, `文件格式只能是 CSV 或 XLSX(收到“${format}”)。`);
    const q = AuditQuerySchema.parse({
      from: url.searchParams.get('from') || undefined, to: url.searchParams.get('to') || undefined,
      actor: url.searchParams.get('actor') || undefined, action: url.searchParams.get('action') || undefined, limit: 10_000,
    });
    const body = await withScope(actor, { attempted: 'exporting the audit log' }, async (tx) => {
      const { rows } = await listAudit(tx, q);
      await audit(tx, { action: 'export.audit-log', object: 'audit_log', rows: rows.length, detail: { format } });
      return writeTable({
        name: '审计日志',
        method: { 说明: '安全审计日志(只可追加,保存不少于 180 天)', 条件: q },
        columns: [
          { key: 'id', title: '编号' }, { key: 'at', title: '时间' }, { key: 'actor', title: '操作者' }, { key: 'roleText', title: '角色' }, { key: 'address', title: '地址' },
          { key: 'action', title: '操作' }, { key: 'object', title: '对象' }, { key: 'row_count', title: '行数' }, { key: 'result', title: '结果' }, { key: 'detailText', title: '详情' },
        ],
        rows: rows.map((r) => ({ ...r, at: r.at.toISOString(), roleText: r.roles.join(','), detailText: r.detail ? JSON.stringify(r.detail) : '', geometry: null })),
      }, format);
    });
    return new Response(new Uint8Array(body), { headers: { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="audit-log.${format}"` } });
  });
}
