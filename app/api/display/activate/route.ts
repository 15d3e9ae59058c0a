// GET /api/display/activate?token=dsp_…: binds this browser to a wall display. A kiosk
// browser is started once with this address (the token comes from `npm run cli -- display
// add <name>`); the token moves into an HttpOnly cookie and the browser goes to the map,
// so it is not left in the address bar. `next` (a path of this site) says where to go:
// `/screen?token=…` sends the wall here and back to /screen without the token. A revoked or unknown token is a 401.
import { resolveDisplay } from '@/server/auth/accounts';
import { clientAddress, DISPLAY_COOKIE } from '@/server/auth/request';
import { auditApart } from '@/server/audit';
import { errorResponse } from '@/server/errors';

export const dynamic = 'force-dynamic';

const TEN_YEARS_S = 10 * 365 * 24 * 3600;

export async function GET(req: Request): Promise<Response> {
  try {
    const url = new URL(req.url);
    const token = url.searchParams.get('token') ?? '';
    // where to go next: a path of this site only (never another origin)
    const next = url.searchParams.get('next') ?? '/';
    const location = /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 500 ? next : '/';
    const display = await resolveDisplay(token, clientAddress(req.headers));
    if (!display) return new Response('大屏令牌无效或已被吊销:请联系系统管理员重新签发。', { status: 401, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    await auditApart(display, { action: 'display.activate', object: display.id });
    return new Response(null, {
      status: 303,
      headers: { location, 'set-cookie': `${DISPLAY_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${TEN_YEARS_S}`, 'cache-control': 'no-store' },
    });
  } catch (err) {
    return errorResponse(err, 'display activation', req);
  }
}
