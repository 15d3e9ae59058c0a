// Liveness of the app and its database, for /api/health and the CLI.
import { getDatabase, one, type DatabaseKind } from '../../db/index';

export type Health =
  | { ok: true; database: DatabaseKind; postgis: string }
  | { ok: false; reason: string };

export async function checkHealth(): Promise<Health> {
  try {
    const db = await getDatabase();
    const row = await one<{ postgis: string | null }>(
      `SELECT (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`,
      [],
      'checking the database health',
    );
    if (!row.postgis) return { ok: false, reason: 'The database is reachable but PostGIS is not installed in it: run `npm run cli -- migrate`.' };
    return { ok: true, database: db.kind, postgis: row.postgis };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
