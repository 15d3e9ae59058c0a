// The web edge (Next.js 16 Proxy, run before every matched request):
// - every page and API response gets a Content-Security-Policy with a fresh nonce. The
//   policy is also set on the request headers, so Next.js puts the nonce on its own
//   scripts while rendering; pages read it as `x-nonce` if they need it. Pages render
//   per request (app/layout.tsx awaits connection()), or the nonce would be missing.
// - state-changing API requests must come from this origin (Sec-Fetch-Site, Origin);
//   tRPC mutations must be JSON (tRPC would also run multipart/form-data, which a
//   cross-site HTML form can send without a preflight) and at most 1 MB.
// The static headers (nosniff, frame and referrer policy, permissions) are set for every
// path in next.config.js, static files included.
//
// /api/uploads is not matched: when a proxy runs, Next.js copies the request body into
// memory and cuts it at experimental.proxyClientMaxBodySize (10 MB), so a large upload
// would arrive truncated. The route applies the same-origin check itself (app/web-edge.ts).
import { NextResponse, type NextRequest } from 'next/server';
import {
  contentSecurityPolicy,
  crossSiteReason,
  crossSiteRefusal,
  declaredLength,
  formatBytes,
  refusal,
  TRPC_MAX_BODY_BYTES,
} from './app/web-edge';
import { REQUEST_ID_HEADER, requestIdFrom } from './server/request-id';
import { basemapOrigins } from './lib/basemaps';

function guardApi(req: NextRequest): Response | null {
  const reason = crossSiteReason(req);
  if (reason) return crossSiteRefusal(reason);
  const { pathname } = req.nextUrl;
  if (req.method.toUpperCase() === 'POST' && (pathname === '/api/trpc' || pathname.startsWith('/api/trpc/'))) {
    const type = req.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return refusal(415, '请求格式不受支持：数据接口只接受 JSON。', `tRPC requests must be sent as application/json (got ${type ? `"${type}"` : 'no Content-Type'}).`);
    }
    const length = declaredLength(req.headers);
    if (length === undefined) return refusal(411, '请求缺少长度信息，无法处理。', 'tRPC requests need a Content-Length header.');
    if (length > TRPC_MAX_BODY_BYTES) {
      return refusal(413, `请求内容过大：数据接口的请求不能超过 ${formatBytes(TRPC_MAX_BODY_BYTES)}。`, `tRPC request bodies are limited to ${TRPC_MAX_BODY_BYTES} bytes (got ${length}).`);
    }
  }
  return null;
}

export function proxy(request: NextRequest): Response {
  // the caller's id when it is a safe short token (a reverse proxy's), else a new one:
  // set on the request (the tRPC context and the routes log with it) and echoed back
  const requestId = requestIdFrom(request.headers);
  if (request.nextUrl.pathname.startsWith('/api/')) {
    const refused = guardApi(request);
    if (refused) {
      refused.headers.set(REQUEST_ID_HEADER, requestId);
      return refused;
    }
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', tileOrigins: basemapOrigins(process.env) });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', csp);
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  matcher: [
    // Everything except build output, the icons, maplibre's worker script and the uploads.
    '/((?!_next/static|_next/image|favicon\\.ico|icon\\.svg|vendor/|api/uploads).*)',
  ],
};
