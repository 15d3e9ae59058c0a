// tRPC foundation: the request context, the procedure kinds and the error formatting.
// Routers live in server/routers/<domain>.ts and are merged in server/root.ts.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { DbError, getDatabase, type DatabaseKind } from './db/index';
import { ConfigError } from './env';

export interface Context {
  /** Which engine answers: the UI shows it, tests assert on it. */
  databaseKind: DatabaseKind;
}

export async function createContext(): Promise<Context> {
  const db = await getDatabase();
  return { databaseKind: db.kind };
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for bad input, so the UI can say which field is wrong.
        fieldErrors: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : null,
      },
    };
  },
});

/** Wraps database and configuration failures so the client sees what was being attempted. */
const explainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DbError || cause instanceof ConfigError) {
      throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: cause.message, cause });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(explainErrors);
