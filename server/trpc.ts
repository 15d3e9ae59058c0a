// tRPC foundation: the request context (who is asking), the access rule every procedure
// must name, and the one error mapping (server/errors.ts). Routers live in
// server/routers/<domain>.ts and are merged in server/root.ts.
//
// A procedure is `procedure.meta({ cap })`: without a capability it refuses every caller
// (and the access test fails), so a new procedure cannot be open by accident. Inside,
// ctx.read / ctx.write run the service in withScope with the caller's actor.
import { initTRPC, TRPCError } from '@trpc/server';
import { getDatabase, type DatabaseKind } from './db/index';
import { withScope, type Tx } from './db/scope';
import { AccessError, mapError } from './errors';
import type { Actor, Capability } from './context';
import { actorFromRequest, authorize } from './auth/request';

export interface Context {
  /** Which engine answers: the UI shows it, tests assert on it. */
  databaseKind: DatabaseKind;
  actor: Actor | null;
}

export interface Meta {
  cap: Capability;
}

export async function createContext(opts: { req: Request }): Promise<Context> {
  const db = await getDatabase();
  return { databaseKind: db.kind, actor: await actorFromRequest(opts.req) };
}

const CODES = { user: 'BAD_REQUEST', unauthorized: 'UNAUTHORIZED', forbidden: 'FORBIDDEN', server: 'INTERNAL_SERVER_ERROR' } as const;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    errorFormatter({ shape, error }) {
      const m = mapError(error.cause ?? error);
      // tRPC's own refusals (a malformed request, an unknown procedure) keep their code and message
      const own = !error.cause;
      return {
        ...shape,
        message: own ? shape.message : m.message,
        data: { ...shape.data, stack: undefined, fieldErrors: m.fieldErrors },
      };
    },
  });

/** Maps every failure through mapError: bad input BAD_REQUEST, access 401/403, the rest a generic 500. */
const mapErrors = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause ?? (result.error.code === 'BAD_REQUEST' ? undefined : result.error);
    if (cause && !(cause instanceof TRPCError)) {
      const m = mapError(cause);
      if (m.kind === 'server') console.error(`tRPC ${path} failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
      throw new TRPCError({ code: CODES[m.kind], message: m.message, cause });
    }
  }
  return result;
});

const checkAccess = t.middleware(async ({ ctx, meta, path, type, next }) => {
  if (!meta?.cap) throw new TRPCError({ code: 'FORBIDDEN', message: `接口 ${path} 没有访问规则。`, cause: new AccessError('FORBIDDEN', `接口 ${path} 没有访问规则。`) });
  const actor = await authorize(ctx.actor, meta.cap, `trpc.${path}`);
  const attempted = `${type} ${path}`;
  return next({
    ctx: {
      actor,
      /** Runs `fn` in a transaction that is rolled back at the end (reads and analyses). */
      read: <T>(fn: (tx: Tx) => Promise<T>) => withScope(actor, { attempted, readOnly: true }, fn),
      /** Runs `fn` in a transaction that commits (writes). */
      write: <T>(fn: (tx: Tx) => Promise<T>) => withScope(actor, { attempted }, fn),
    },
  });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Every procedure: errors mapped, the caller checked against meta.cap. */
export const procedure = t.procedure.use(mapErrors).use(checkAccess);
