// Shared helpers for tests that use the database prepared by scripts/test.ts.
import { after } from 'node:test';
import type pg from 'pg';
import { closeDatabase, getDatabase } from '../server/db/index';
import { withScope, type Tx } from '../server/db/scope';
import { systemActor, type Actor } from '../server/context';
import { createCaller } from '../server/root';

after(() => closeDatabase());

/** The actor of tests that are not about access: the whole county, every role that reads and writes. */
export const TEST_ACTOR: Actor = systemActor('test', ['admin', 'analyst', 'auditor']);

/** The app router's procedures, called as `actor` (default TEST_ACTOR), as the HTTP route would. */
export async function caller(actor: Actor | null = TEST_ACTOR) {
  return createCaller({ databaseKind: (await getDatabase()).kind, actor });
}

/** Runs `fn` in a scope that is always rolled back: tests leave no trace. */
export function inRollback<T>(fn: (tx: Tx) => Promise<T>, actor: Actor = TEST_ACTOR): Promise<T> {
  return withScope(actor, { attempted: 'a test', readOnly: true, timeoutMs: 0 }, fn);
}

/** The SQLSTATE of the error `fn` throws inside a rolled-back savepoint. */
export async function sqlState(c: pg.PoolClient, text: string, params: unknown[] = []): Promise<string | null> {
  await c.query('SAVEPOINT probe');
  try {
    await c.query(text, params);
    await c.query('RELEASE SAVEPOINT probe');
    return null;
  } catch (err) {
    await c.query('ROLLBACK TO SAVEPOINT probe');
    return (err as { code?: string }).code ?? 'unknown';
  }
}
