// Applies geodata/migrations/*.sql in name order, each file once, each in its own
// transaction, and records them in schema_migrations. Then upserts the reference
// dictionaries from geodata/dictionaries/*.json. Safe to run any number of times.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../env';
import { getDatabase, many } from './index';
import { APP_ROLE, MAINTENANCE, withScope, type Tx } from './scope';

/** Migrations and dictionaries run as the table owner (the maintenance actor), each step in its own transaction. */
const transaction = <T>(attempted: string, fn: (tx: Tx) => Promise<T>) => withScope(MAINTENANCE, { attempted, timeoutMs: 0 }, fn);
import roadClasses from '../../geodata/dictionaries/road-classes.json';
import placeTypes from '../../geodata/dictionaries/place-types.json';
import hazardTypes from '../../geodata/dictionaries/hazard-types.json';
import incidentCategories from '../../geodata/dictionaries/incident-categories.json';

const MIGRATIONS_DIR = path.join(process.cwd(), 'geodata', 'migrations');
const MIGRATION_LOCK_KEY = 73_510_424; // any constant shared by all migrating processes

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/** The record of applied migrations (also created by a restore, server/db/backup.ts). */
export const MIGRATIONS_TABLE_DDL = `create table if not exists schema_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`;

/** A migration's text and the checksum recorded for it. */
export function readMigration(file: string): { text: string; checksum: string } {
  const text = fs.readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8');
  return { text, checksum: crypto.createHash('sha256').update(text).digest('hex') };
}

export function migrationFiles(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

async function assertPostgisAvailable(): Promise<void> {
  const rows = await transaction('checking that PostGIS is available', (tx) =>
    many<{ default_version: string }>(`select default_version from pg_available_extensions where name = 'postgis'`, [], 'checking that PostGIS is available', tx),
  );
  if (rows.length === 0) {
    const db = await getDatabase();
    throw new ConfigError(
      `The ${db.kind} database has no PostGIS extension: install PostGIS 3.3 or newer on that server (Debian: apt install postgresql-15-postgis-3), or unset DATABASE_URL to use the embedded database.`,
    );
  }
}

export async function migrate(): Promise<MigrateResult> {
  await assertPostgisAvailable();
  const files = migrationFiles();
  const applied: string[] = [];
  let alreadyApplied = 0;
  await transaction('creating the migrations table', async (c) => {
    await c.query(MIGRATIONS_TABLE_DDL);
  });
  for (const file of files) {
    const { text, checksum } = readMigration(file);
    const done = await transaction(`applying migration ${file}`, async (c) => {
      await c.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const prior = await c.query<{ checksum: string }>('select checksum from schema_migrations where name = $1', [file]);
      if (prior.rows[0]) {
        if (prior.rows[0].checksum !== checksum) {
          throw new ConfigError(
            `Migration ${file} was changed after it had been applied to this database: add a new migration instead of editing an applied one.`,
          );
        }
        return false;
      }
      await c.query(text);
      await c.query('insert into schema_migrations (name, checksum) values ($1, $2)', [file, checksum]);
      return true;
    });
    if (done) applied.push(file);
    else alreadyApplied++;
  }
  await syncDictionaries();
  await grantApplicationRole();
  return { applied, alreadyApplied };
}

async function syncDictionaries(): Promise<void> {
  await transaction('updating the reference dictionaries', async (c) => {
    await c.query(
      `insert into road_classes (code, name, rank, typical_width_m)
       select * from unnest($1::text[], $2::text[], $3::smallint[], $4::real[])
       on conflict (code) do update set name = excluded.name, rank = excluded.rank, typical_width_m = excluded.typical_width_m`,
      [roadClasses.map((r) => r.code), roadClasses.map((r) => r.name), roadClasses.map((r) => r.rank), roadClasses.map((r) => r.typicalWidthM)],
    );
    await c.query(
      `insert into place_types (code, name, place_group, is_private)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
       on conflict (code) do update set name = excluded.name, place_group = excluded.place_group, is_private = excluded.is_private`,
      [placeTypes.map((p) => p.code), placeTypes.map((p) => p.name), placeTypes.map((p) => p.group), placeTypes.map((p) => 'private' in p && p.private === true)],
    );
    await c.query(
      `insert into hazard_types (code, name, kind)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (code) do update set name = excluded.name, kind = excluded.kind`,
      [hazardTypes.map((h) => h.code), hazardTypes.map((h) => h.name), hazardTypes.map((h) => h.kind)],
    );
    // Parents first, so the self-reference is satisfied row by row.
    const ordered = [...incidentCategories].sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null));
    await c.query(
      `insert into incident_categories (code, name, parent_code)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (code) do update set name = excluded.name, parent_code = excluded.parent_code`,
      [ordered.map((i) => i.code), ordered.map((i) => i.name), ordered.map((i) => i.parent)],
    );
  });
}

/**
 * The application role (migration 0015) reads and writes every table, through row-level
 * security where a table has it; it appends to the audit log but may not change it, and may
 * not touch the migration record. Re-applied after every migrate, so new tables are covered.
 */
async function grantApplicationRole(): Promise<void> {
  await transaction('granting the application role', async (c) => {
    await c.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await c.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    // tables of later migrations bump the data version too (migration 0016)
    await c.query(`SELECT data_version_attach()`);
    await c.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${APP_ROLE}`);
    await c.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM ${APP_ROLE}`);
    await c.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON app_secrets FROM ${APP_ROLE}`);
    // a non-superuser owner must be a member to SET ROLE to it (a superuser always may)
    await c.query(`DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
        EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
      END IF; END $$`);
  });
}
