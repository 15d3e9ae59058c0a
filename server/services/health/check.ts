// Liveness of the app and its database, for /api/health and the CLI. The check has its own
// deadline: a database that does not answer (a frozen server, a lost network) makes health
// answer "not ok" within HEALTH_DEADLINE_MS instead of waiting for the pool's connection
// timeout, so a load balancer or an operator is told at once.
import { getDatabase, one, type DatabaseKind } from '../../db/index';
import { withScope } from '../../db/scope';
import { systemActor } from '../../context';
import { logger } from '../../log';
import { analysisState, embeddedBusy } from '../../analysis-queue';

const HEALTH = systemActor('health', []);
export const HEALTH_DEADLINE_MS = 5_000;

export type Health =
  | {
      ok: true;
      database: DatabaseKind;
      postgis: string;
      /** An analysis holds the embedded engine: the answer is the last check's, `checkedMsAgo` old. */
      busy?: { analyses: string[]; runningMs: number; checkedMsAgo: number | null };
    }
  | { ok: false; reason: string; /** for the log and the operator's tools, never the anonymous route */ detail?: string };

class HealthDeadline extends Error {}

/** Connection-level failures (server down, shutting down, starting up, unreachable). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03']);

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

async function probe(): Promise<Health> {
  const db = await getDatabase();
  const row = await withScope(HEALTH, { attempted: 'checking the database health', readOnly: true, timeoutMs: 10_000 }, (tx) =>
    one<{ postgis: string | null }>(`SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`, [], 'checking the database health', tx),
  );
  if (!row.postgis) return { ok: false, reason: 'The database is reachable but PostGIS is not installed in it: run `npm run cli -- migrate`.' };
  return { ok: true, database: db.kind, postgis: row.postgis };
}

let lastOk: { at: number; health: Health & { ok: true } } | null = null;

export async function checkHealth(opts: { requestId?: string; deadlineMs?: number } = {}): Promise<Health> {
  // PGlite runs one transaction at a time: while this process's own analysis holds it, a
  // probe would only wait behind it. The server is up and the engine is working; say so.
  // (The analysis holds an open connection and is being answered: the engine is alive.)
  if (embeddedBusy()) {
    const { running } = analysisState();
    return {
      ok: true,
      database: 'embedded',
      postgis: lastOk?.health.postgis ?? 'unknown',
      busy: { analyses: running.map((r) => r.what), runningMs: Math.max(0, ...running.map((r) => r.sinceMs)), checkedMsAgo: lastOk ? Date.now() - lastOk.at : null },
    };
  }
  const deadlineMs = opts.deadlineMs ?? HEALTH_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const work = probe();
  // the probe may still fail after the deadline answered: its rejection is handled here
  work.catch(() => {});
  try {
    const health = await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HealthDeadline(`the database did not answer within ${deadlineMs / 1000} s`)), deadlineMs);
        timer.unref?.();
      }),
    ]);
    if (health.ok) lastOk = { at: Date.now(), health };
    return health;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const code = codeOf(err);
    const reason =
      err instanceof HealthDeadline
        ? `数据库不可用:数据库在 ${deadlineMs / 1000} 秒内没有响应,请查看服务日志。`
        : code && UNREACHABLE.has(code)
          ? '数据库不可用:无法连接数据库服务器(可能已停止或正在重启),请查看服务日志。'
          : '数据库不可用:请查看服务日志。';
    logger.warn('health.failed', { requestId: opts.requestId, message: `health check failed: ${detail}`, code, reason });
    return { ok: false, reason, detail };
  } finally {
    clearTimeout(timer);
  }
}
