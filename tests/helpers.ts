// Shared helpers for tests that use the database prepared by scripts/test.ts.
import { after } from 'node:test';
import type pg from 'pg';
import { closeDatabase, rolledBack } from '../server/db/index';
import { createCaller } from '../server/root';
import { createContext } from '../server/trpc';

after(() => closeDatabase());

export async function caller() {
  return createCaller(await createContext());
}

/** Runs `fn` in a transaction that is always rolled back: tests leave no trace. */
export const inRollback = rolledBack;

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
