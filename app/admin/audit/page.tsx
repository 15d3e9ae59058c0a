// 审计日志: the security audit log, for auditors and administrators.
import type { Metadata } from 'next';
import { pageActor } from '@/server/auth/page';
import { AuditLog } from './audit-log';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '审计日志 · 平安一张图' };

export default async function AuditLogPage() {
  const access = await pageActor('/admin/audit', 'audit.read');
  return <AuditLog allowed={access.denied === null} />;
}
