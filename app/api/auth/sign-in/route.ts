// POST /api/auth/sign-in {username, password}: opens a session (HttpOnly, SameSite=Strict
// cookie) or answers 401 with the reason in Chinese (wrong password, locked account, too
// many failures from this address). Every attempt is in the audit log.
import { z } from 'zod';
import { signIn } from '@/server/auth/accounts';
import { clientAddress, sessionCookie } from '@/server/auth/request';
import { errorResponse } from '@/server/errors';

export const dynamic = 'force-dynamic';

const Body = z.object({ username: z.string().trim().min(1, '请输入用户名').max(60), password: z.string().min(1, '请输入密码').max(200) });

export async function POST(req: Request): Promise<Response> {
  try {
    const body = Body.parse(await req.json().catch(() => ({})));
    const r = await signIn(body.username, body.password, clientAddress(req.headers), req.headers.get('user-agent') ?? undefined);
    if (!r.ok) return Response.json({ ok: false, error: r.reason }, { status: 401 });
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    return Response.json(
      { ok: true, displayName: r.actor.displayName, mustChangePassword: r.mustChangePassword },
      { headers: { 'set-cookie': sessionCookie(r.token, secure), 'cache-control': 'no-store' } },
    );
  } catch (err) {
    return errorResponse(err, 'sign-in', req);
  }
}
