// The one way into the data. withScope opens a transaction on one pooled client, applies
// the actor (SET LOCAL ROLE pingan_app: a role that owns no table and cannot bypass
// row-level security; app.townships, app.actor and app.roles as transaction-local
// settings; a statement timeout) and hands that transaction to the service. Services take
// (tx, input) and nothing else: there is no pool fallback.
//
// Only migrations and the demo seed run as the table owner (the MAINTENANCE actor): they
// create and truncate tables, which the application role may not.
import pg from 'pg';
import { ZodError } from 'zod';
import { AccessError, UserError } from '../errors';
import { ConfigError, readEnv } from '../env';
import { townshipSetting, type Actor } from '../context';
import { DbError, getDatabase, type DatabaseKind } from './index';

export const APP_ROLE = 'pingan_app';

declare const scoped: unique symbol;
/** A transaction opened by withScope: the only thing services accept. */
export type Tx = pg.PoolClient & { readonly [scoped]: true };

interface ActiveScope {
  actor: Actor;
  kind: DatabaseKind;
}
const ACTIVE = new WeakMap<pg.PoolClient, ActiveScope>();

export interface ScopeOptions {
  /** What is being done, for error messages ("while …"). */
  attempted: string;
  /** Roll back at the end: analyses that build only temporary tables, and every read. */
  readOnly?: boolean;
  /** Statement timeout for this transaction (default DB_STATEMENT_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The actor a transaction runs for. */
export function actorOf(tx: Tx): Actor {
  const s = ACTIVE.get(tx);
  if (!s) throw new Error('actorOf: not a transaction opened by withScope');
  return s.actor;
}

/** Which engine the transaction runs on (bulk loads use COPY on PostgreSQL only). */
export function engineOf(tx: Tx): DatabaseKind {
  return ACTIVE.get(tx)?.kind ?? 'postgres';
}

/**
 * The townships a transaction may see, for the services' own filters on the embedded
 * database (null: the whole county). PostgreSQL enforces the same through row-level
 * security; PGlite applies the policies too, but its single superuser session could leave
 * the role, so the services filter as well.
 */
export function townshipsOf(tx: Tx): string[] | null {
  const t = actorOf(tx).townships;
  return t === null ? null : [...t];
}

function isDomainError(err: unknown): boolean {
  return err instanceof UserError || err instanceof AccessError || err instanceof ZodError || err instanceof DbError || err instanceof ConfigError;
}

/** The owner's actor for migrations and the demo seed. */
export const MAINTENANCE: Actor = { kind: 'system', id: 'system:maintenance', displayName: '系统维护', roles: ['admin'], townships: null };

/**
 * Before a scope hands anything back: is the transaction still the application role with
 * the actor's townships? A statement that left the role (PGlite's single superuser session
 * would let `SET ROLE postgres` through) or widened the scope fails the whole request, and
 * its transaction is rolled back, so nothing it read or wrote leaves.
 */
async function assertStillScoped(client: pg.PoolClient, actor: Actor): Promise<void> {
  const r = await client.query<{ who: string; townships: string | null }>(`SELECT current_user AS who, current_setting('app.townships', true) AS townships`);
  const { who, townships } = r.rows[0]!;
  if (who !== APP_ROLE || townships !== townshipSetting(actor)) {
    throw new Error(`the request left its scope (role ${who}, townships ${townships ?? 'unset'} instead of ${APP_ROLE}, ${townshipSetting(actor)})`);
  }
}

export async function withScope<T>(actor: Actor, opts: ScopeOptions, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const db = await getDatabase();
  const client = await db.pool.connect();
  const tx = client as Tx;
  ACTIVE.set(client, { actor, kind: db.kind });
  try {
    await client.query('BEGIN');
    if (actor !== MAINTENANCE) await client.query(`SET LOCAL ROLE ${APP_ROLE}`);
    await client.query(
      `SELECT set_config('app.townships', $1, true), set_config('app.actor', $2, true), set_config('app.roles', $3, true), set_config('statement_timeout', $4, true)`,
      [townshipSetting(actor), actor.id, actor.roles.join(','), String(opts.timeoutMs ?? readEnv().DB_STATEMENT_TIMEOUT_MS)],
    );
    const result = await fn(tx);
    if (actor !== MAINTENANCE) await assertStillScoped(client, actor);
    if (opts.readOnly) {
      await client.query('ROLLBACK');
      return result;
    }
    // did a statement change data that analyses and layers read (migration 0016's triggers)?
    const changed = (await client.query<{ on: boolean }>(`SELECT current_setting('app.data_changed', true) IS NOT DISTINCT FROM 'on' AS on`)).rows[0]!.on;
    await client.query('COMMIT');
    // once more after the commit: a result computed before the change became visible is never kept under the new version
    if (changed) await client.query(`SELECT nextval('data_version')`);
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw isDomainError(err) ? err : new DbError(opts.attempted, err);
  } finally {
    ACTIVE.delete(client);
    client.release();
  }
}

/**
 * Runs `fn` inside a savepoint that is always rolled back: an analysis's temporary tables
 * and cache rebuilds vanish with it, so several analyses can share one transaction (a
 * report, the coverage figures with their Gi* cells) and a read leaves nothing behind.
 */
export async function scratch<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  await tx.query('SAVEPOINT scratch');
  try {
    return await fn();
  } finally {
    await tx.query('ROLLBACK TO SAVEPOINT scratch; RELEASE SAVEPOINT scratch');
  }
}
