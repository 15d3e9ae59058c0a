// Liveness of the app and its database, for /api/health and the CLI.
import { getDatabase, one, type DatabaseKind } from '../../db/index';
import { withScope } from '../../db/scope';
import { systemActor } from '../../context';

const HEALTH = systemActor('health', []);

export type Health =
  | { ok: true; database: DatabaseKind; postgis: string }
  | { ok: false; reason: string; /** for the log and the operator's tools, never the anonymous route */ detail?: string };

export async function checkHealth(): Promise<Health> {
  try {
    const db = await getDatabase();
    const row = await withScope(HEALTH, { attempted: 'checking the database health', readOnly: true, timeoutMs: 10_000 }, (tx) =>
      one<{ postgis: string | null }>(`SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`, [], 'checking the database health', tx),
    );
    if (!row.postgis) return { ok: false, reason: 'The database is reachable but PostGIS is not installed in it: run `npm run cli -- migrate`.' };
    return { ok: true, database: db.kind, postgis: row.postgis };
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    console.error(`health check failed: ${detail}`);
    return { ok: false, reason: '数据库不可用:请查看服务日志。', detail };
  }
}
