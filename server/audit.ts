// The audit log (等保 2.0: 安全审计): who did what, from where, to which object, how many
// rows, with what result. Rows are appended in the same transaction as the action they
// record (an export that fails records nothing; a refusal is recorded apart, since its
// own transaction rolls back). The table refuses UPDATE, DELETE and TRUNCATE (migration
// 0015); retention is at least 180 days (《网络安全法》第二十一条): nothing here deletes.
import { z } from 'zod';
import { many, one } from './db/index';
import { actorOf, withScope, type Tx } from './db/scope';
import type { Actor } from './context';

export interface AuditEntry {
  action: string;
  object?: string | null;
  rows?: number | null;
  result?: 'ok' | 'refused' | 'failed';
  detail?: Record<string, unknown> | null;
}

async function insert(tx: Tx, actor: Actor, e: AuditEntry): Promise<void> {
  await many(
    `INSERT INTO audit_log (actor, roles, address, action, object, row_count, result, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
    [actor.id, actor.roles, actor.address ?? null, e.action, e.object ?? null, e.rows ?? null, e.result ?? 'ok', e.detail ? JSON.stringify(e.detail) : null],
    'writing the audit log',
    tx,
  );
}

/** Records an action inside its own transaction: it lands if and only if the action does. */
export function audit(tx: Tx, e: AuditEntry): Promise<void> {
  return insert(tx, actorOf(tx), e);
}

/** Records a refusal or failure in a transaction of its own (the action's rolled back). */
export async function auditApart(actor: Actor, e: AuditEntry): Promise<void> {
  try {
    await withScope(actor, { attempted: 'writing the audit log' }, (tx) => insert(tx, actor, e));
  } catch (err) {
    console.error(`audit log write failed (${e.action}): ${err instanceof Error ? err.message : String(err)}`);
  }
}

// The log cannot hold anything before 2000 or after 2100; bounds also keep dates the
// database cannot represent (year -271821) from reaching it.
const AuditTime = z.coerce.date().min(new Date('2000-01-01T00:00:00Z')).max(new Date('2100-01-01T00:00:00Z'));

export const AuditQuerySchema = z.object({
  from: AuditTime.optional(),
  to: AuditTime.optional(),
  actor: z.string().trim().max(100).optional(),
  action: z.string().trim().max(100).optional(),
  limit: z.number().int().min(1).max(10_000).default(500),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  roles: string[];
  address: string | null;
  action: string;
  object: string | null;
  row_count: number | null;
  result: string;
  detail: Record<string, unknown> | null;
}

/** The log, newest first, filtered by time, actor (substring) and action (prefix). */
export async function listAudit(tx: Tx, q: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  const params = [q.from ?? null, q.to ?? null, q.actor ? `%${q.actor}%` : null, q.action ? `${q.action}%` : null];
  const where = `($1::timestamptz IS NULL OR at >= $1) AND ($2::timestamptz IS NULL OR at < $2)
    AND ($3::text IS NULL OR actor ILIKE $3) AND ($4::text IS NULL OR action LIKE $4)`;
  const rows = await many<AuditRow>(`SELECT id, at, actor, roles, address, action, object, row_count, result, detail FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT ${q.limit}`, params, 'reading the audit log', tx);
  const { n } = await one<{ n: number }>(`SELECT count(*) AS n FROM audit_log WHERE ${where}`, params, 'counting the audit log', tx);
  return { rows, total: n };
}
