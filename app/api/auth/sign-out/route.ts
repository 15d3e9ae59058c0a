// POST /api/auth/sign-out: ends the session and clears its cookie.
import { signOut } from '@/server/auth/accounts';
import { clearedCookie, clientAddress, parseCookies, SESSION_COOKIE } from '@/server/auth/request';
import { errorResponse } from '@/server/errors';

export const dynamic = 'force-dynamic';

export async function POST(req: Request): Promise<Response> {
  try {
    const token = parseCookies(req.headers.get('cookie')).get(SESSION_COOKIE);
    if (token) await signOut(token, clientAddress(req.headers));
    return Response.json({ ok: true }, { headers: { 'set-cookie': clearedCookie(SESSION_COOKIE) } });
  } catch (err) {
    return errorResponse(err, 'sign-out', req);
  }
}
