// What the HTTP routes share: the actor of a request checked against a capability, the
// scope opened for it, and the one error mapping (server/errors.ts) — so an export, a
// printed report and the audit-log download refuse, answer and log the same way.
import { errorResponse } from '../errors';
import type { Actor, Capability } from '../context';
import { actorFromRequest, authorize } from './request';

/** Runs a route's work for a signed-in actor with `cap`; 401/403/400/500 answered as mapError says. */
export async function routeFor(req: Request, cap: Capability, what: string, fn: (actor: Actor) => Promise<Response>): Promise<Response> {
  try {
    return await fn(await authorize(await actorFromRequest(req), cap, what));
  } catch (err) {
    return errorResponse(err, what, req);
  }
}
