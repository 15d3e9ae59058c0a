// 审计日志: the security audit log, for auditors and administrators.
import type { Metadata } from 'next';
import { pageActor } from '@/server/auth/page';
import { readParams } from '@/lib/url-params';
import { AuditLog } from './audit-log';
import { AUDIT_LOG_PARAMS } from './audit-log-params';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '审计日志 · 平安一张图' };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const access = await pageActor('/admin/audit', 'audit.read');
  const { values, notices } = readParams(await searchParams, AUDIT_LOG_PARAMS);
  if (values.from && values.to && values.from > values.to) {
    notices.push(`链接参数 from=${values.from}&to=${values.to} 无效(开始日期不能晚于结束日期),已改用不限日期。`);
    values.from = '';
    values.to = '';
  }
  return <AuditLog allowed={access.denied === null} initial={values} notices={notices} />;
}
