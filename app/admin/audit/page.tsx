// 审计日志: the security audit log, for auditors and administrators.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { actorFromHeaders } from '@/server/auth/request';
import { can, type Actor } from '@/server/context';
import { AuditLog } from './audit-log';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '审计日志 · 平安一张图' };

const HERE = encodeURIComponent('/admin/audit');

export default async function AuditLogPage() {
  let actor: Actor | null | undefined;
  try {
    actor = await actorFromHeaders(await headers(), '/admin/audit');
  } catch (err) {
    // the session could not be read here: the page asks the server again through tRPC
    console.error(`audit log page: session unavailable: ${err instanceof Error ? err.message : String(err)}`);
    actor = undefined;
  }
  if (actor === null) redirect(`/login?next=${HERE}`);
  if (actor?.mustChangePassword) redirect(`/account/password?next=${HERE}`);
  return <AuditLog allowed={actor === undefined ? undefined : can(actor, 'audit.read')} />;
}
