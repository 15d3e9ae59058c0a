// The web edge's rules, shared by proxy.ts (pages and API requests) and by
// app/api/uploads/route.ts (which the proxy does not see: proxy.ts explains why).
// Plain functions on web Request/Headers: no Node APIs, no database, no env parsing.

/** Methods that must not change anything: they skip the same-origin check. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Largest tRPC request body (JSON), in bytes. */
export const TRPC_MAX_BODY_BYTES = 1024 * 1024;

/** The origin (scheme://host[:port]) of an http(s) URL or XYZ template, or undefined. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Content-Security-Policy for a page. maplibre and deck.gl set inline styles
 * (style-src 'unsafe-inline', which a nonce in style-src would switch off); maplibre
 * runs a worker and hands images around as blobs; the configured basemaps' tile servers
 * (BASEMAP_URL, BASEMAPS: `tileOrigins`, from lib/basemaps.ts basemapOrigins) are the only
 * other origins the page may load from. With none configured, nothing leaves this server.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; basemapUrl?: string; tileOrigins?: readonly string[] }): string {
  const origins = new Set<string>();
  const basemap = originOf(opts.basemapUrl);
  if (basemap) origins.add(basemap);
  for (const o of opts.tileOrigins ?? []) if (originOf(o) === o) origins.add(o);
  const extra = [...origins].map((o) => ` ${o}`).join('');
  return [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? ` 'unsafe-eval'` : ''}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:${extra}`,
    `worker-src 'self' blob:`,
    `connect-src 'self'${extra}`,
    `font-src 'self' data:`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

function firstValue(v: string | null): string | undefined {
  const first = v?.split(',')[0]?.trim();
  return first || undefined;
}

/**
 * The origin the client addressed: host from X-Forwarded-Host or Host, scheme from
 * X-Forwarded-Proto or the URL the server saw. A cross-site page cannot set these
 * headers on a request without a CORS preflight, which this app never grants.
 */
export function requestOrigin(req: Request): string | undefined {
  const host = firstValue(req.headers.get('x-forwarded-host')) ?? firstValue(req.headers.get('host'));
  if (!host) return undefined;
  const proto = firstValue(req.headers.get('x-forwarded-proto')) ?? new URL(req.url).protocol.replace(/:$/, '');
  return `${proto.toLowerCase()}://${host.toLowerCase()}`;
}

/** Why a state-changing request is refused as cross-site (English), or null when it may go on. */
export function crossSiteReason(req: Request): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const site = req.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is "${site}": only same-origin requests may change data.`;
  const origin = req.headers.get('origin');
  if (origin !== null) {
    const own = requestOrigin(req);
    if (!own || origin.toLowerCase() !== own) return `Origin ${origin} is not this server's origin${own ? ` (${own})` : ''}.`;
  }
  return null;
}

/** A JSON refusal: a Chinese sentence for the page, the English detail for logs and scripts. */
export function refusal(status: number, error: string, detail: string, headers?: Record<string, string>): Response {
  return Response.json({ error, detail }, { status, headers });
}

/** The standard cross-site refusal (403). */
export function crossSiteRefusal(reason: string): Response {
  return refusal(403, '拒绝跨站请求：只能从本系统页面提交修改。', reason);
}

/** Bytes as people read them: 2 GB, 1.5 MB, 512 KB, 100 B (binary units). */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : Number(v.toFixed(1))} ${units[i]}`;
}

/** The declared body length, or undefined when absent or not a plain number. */
export function declaredLength(headers: Headers): number | undefined {
  const v = headers.get('content-length');
  return v !== null && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
}
