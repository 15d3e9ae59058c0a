// The actor of an HTTP request: a session cookie (a person), a display token (cookie or
// `Authorization: Bearer dsp_…`, a wall display), a feed token (`Authorization: Bearer
// feed_…`, a system pushing to /api/ingest) or a print cookie (headless Chromium
// printing a report for the person who asked). Used by the tRPC context, the routes and
// the server-rendered pages alike.
import { AccessError } from '../errors';
import { can, type Actor, type Capability } from '../context';
import { resolveDisplay, resolveFeed, resolvePrintToken, resolveSession } from './accounts';
import { auditApart } from '../audit';

export const SESSION_COOKIE = 'pingan_session';
export const DISPLAY_COOKIE = 'pingan_display';
export const PRINT_COOKIE = 'pingan_print';

export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out.set(part.slice(0, i).trim(), decodeCookieValue(part.slice(i + 1).trim()));
  }
  return out;
}

/** A cookie value, percent-decoded; a malformed escape (%E0%A4%A) is kept as sent: it matches no token. */
function decodeCookieValue(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/**
 * The client's address: the last X-Forwarded-For entry, which is either the socket's address
 * (scripts/start.ts replaces the header unless TRUSTED_PROXY is set) or what the trusted
 * reverse proxy appended; entries before it are the client's own claims.
 */
export function clientAddress(headers: Headers): string {
  return (headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || 'unknown').slice(0, 64);
}

/** Resolves the actor from cookies and headers; `path` is the page a print token must match. */
export async function actorFromHeaders(headers: Headers, path?: string): Promise<Actor | null> {
  const cookies = parseCookies(headers.get('cookie'));
  const address = clientAddress(headers);
  const session = cookies.get(SESSION_COOKIE);
  if (session) {
    const a = await resolveSession(session, address);
    if (a) return a;
  }
  const print = cookies.get(PRINT_COOKIE);
  if (print && path) {
    const a = await resolvePrintToken(print, path, address);
    if (a) return a;
  }
  const bearer = headers.get('authorization')?.match(/^Bearer\s+(\S+)$/)?.[1];
  if (bearer?.startsWith('feed_')) return resolveFeed(bearer, address);
  const display = (bearer?.startsWith('dsp_') ? bearer : undefined) ?? cookies.get(DISPLAY_COOKIE);
  if (display) return resolveDisplay(display, address);
  return null;
}

export function actorFromRequest(req: Request): Promise<Actor | null> {
  return actorFromHeaders(req.headers, new URL(req.url).pathname);
}

/** The actor if it has the capability; AccessError (401 / 403) otherwise. */
export function requireCapability(actor: Actor | null, cap: Capability): Actor {
  if (!actor) throw new AccessError('UNAUTHORIZED', '未登录或登录已过期,请重新登录。');
  if (actor.mustChangePassword && cap !== 'self') throw new AccessError('FORBIDDEN', '请先修改初始密码。');
  if (!can(actor, cap)) throw new AccessError('FORBIDDEN', '当前账号没有此项权限。');
  return actor;
}

/**
 * requireCapability for a request (a tRPC procedure, an HTTP route): a signed-in caller
 * refused for lack of the right is written to the audit log as `action`, apart from the
 * request's own transaction.
 */
export async function authorize(actor: Actor | null, cap: Capability, action: string): Promise<Actor> {
  try {
    return requireCapability(actor, cap);
  } catch (err) {
    if (actor && err instanceof AccessError && err.code === 'FORBIDDEN') await auditApart(actor, { action, result: 'refused', detail: { reason: err.message } });
    throw err;
  }
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${12 * 3600}${secure ? '; Secure' : ''}`;
}

export function clearedCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}

