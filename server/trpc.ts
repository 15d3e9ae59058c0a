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
import { ZodError } from 'zod';
import { AccessError, mapError, UserError } from './errors';
import type { Actor, Capability } from './context';
import { actorFromRequest, authorize } from './auth/request';
import { cached } from './analysis-queue';
import { logger } from './log';
import { readEnv } from './env';
import { requestIdFrom } from './request-id';

export interface Context {
  /** Which engine answers: the UI shows it, tests assert on it. */
  databaseKind: DatabaseKind;
  actor: Actor | null;
  /** The request's id (x-request-id, set by proxy.ts): every log line of the request carries it. */
  requestId?: string;
}

export interface Meta {
  cap: Capability;
  /**
   * 'heavy': an analysis: through the queue, computed once per input, scope and data
   * version (server/analysis-queue.ts). 'cached': a cheap read kept the same way, served
   * from the cache while an analysis holds the embedded engine (base-map layers).
   */
  cost?: 'heavy' | 'cached';
}

export async function createContext(opts: { req: Request }): Promise<Context> {
  const db = await getDatabase();
  return { databaseKind: db.kind, actor: await actorFromRequest(opts.req), requestId: requestIdFrom(opts.req.headers) };
}

const CODES = { busy: 'TOO_MANY_REQUESTS', user: 'BAD_REQUEST', unauthorized: 'UNAUTHORIZED', forbidden: 'FORBIDDEN', server: 'INTERNAL_SERVER_ERROR' } as const;

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Live events (server/live): a ping keeps proxies from closing a quiet stream and lets
    // the client notice a dead one; each response ends after LIVE_SUBSCRIPTION_MAX_MS and
    // the client reconnects with its last event id, so a revoked display token drops off.
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
      maxDurationMs: readEnv().LIVE_SUBSCRIPTION_MAX_MS,
    },
    errorFormatter({ shape, error, path }) {
      // tRPC's own refusals (malformed JSON, an unknown procedure, a wrong method) keep
      // their code, with a Chinese sentence; a procedure's failure is told as its cause says
      const m = mapError(error, { procedure: path });
      return {
        ...shape,
        message: m.message,
        data: { ...shape.data, stack: undefined, fieldErrors: m.fieldErrors },
      };
    },
  });

/** Maps every failure through mapError: bad input BAD_REQUEST, access 401/403, the rest a generic 500. */
const mapErrors = t.middleware(async ({ ctx, next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause ?? (result.error.code === 'BAD_REQUEST' ? undefined : result.error);
    // tRPC's own refusal with a cause of its own (a body that is not JSON: BAD_REQUEST from
    // a SyntaxError) is the client's mistake: left to the errorFormatter, not logged as ours
    const trpcOwn = result.error.code !== 'INTERNAL_SERVER_ERROR' && !(cause instanceof UserError || cause instanceof ZodError || cause instanceof AccessError);
    if (cause && !(cause instanceof TRPCError) && !trpcOwn) {
      const m = mapError(cause, { procedure: path });
      if (m.kind === 'server') logger.error('trpc.error', { requestId: ctx.requestId, actor: ctx.actor?.id, message: `tRPC ${path} failed: ${m.detail}`, path, type, err: cause });
      throw new TRPCError({ code: CODES[m.kind], message: m.message, cause });
    }
  }
  return result;
});

const checkAccess = t.middleware(async ({ ctx, meta, path, type, next, getRawInput }) => {
  if (!meta?.cap) throw new TRPCError({ code: 'FORBIDDEN', message: `接口 ${path} 没有访问规则。`, cause: new AccessError('FORBIDDEN', `接口 ${path} 没有访问规则。`) });
  const actor = await authorize(ctx.actor, meta.cap, `trpc.${path}`);
  const attempted = `${type} ${path}`;
  return next({
    ctx: {
      actor,
      /** Runs `fn` in a transaction that is rolled back at the end (reads and analyses). */
      read: async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
        const run = () => withScope(actor, { attempted, readOnly: true }, fn);
        if (!meta.cost) return run();
        return cached({ path, input: await getRawInput(), actor, heavy: meta.cost === 'heavy' }, run);
      },
      /** Runs `fn` in a transaction that commits (writes). */
      write: <T>(fn: (tx: Tx) => Promise<T>) => withScope(actor, { attempted }, fn),
    },
  });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Every procedure: errors mapped, the caller checked against meta.cap. */
export const procedure = t.procedure.use(mapErrors).use(checkAccess);
