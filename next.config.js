// Next.js configuration. The database drivers stay outside the server bundle: PGlite
// loads its WASM and PostGIS bundle from its own package folder at run time.
// Security headers that do not change per request go on every response here, static
// files included; the per-request Content-Security-Policy (with its nonce) is set in proxy.ts.
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' }, // tile servers (天地图 keys) may check the Referer's origin
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket', 'pg', 'pg-copy-streams', 'playwright-core', 'exceljs'],
  // Intranet deployment: no telemetry, no remote images, no fonts from the web.
  images: { unoptimized: true },
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      // The proxy does not see the uploads (see proxy.ts): a fixed policy for its JSON answers.
      { source: '/api/uploads', headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
