// Next.js configuration. The database drivers stay outside the server bundle: PGlite
// loads its WASM and PostGIS bundle from its own package folder at run time.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket', 'pg', 'pg-copy-streams', 'playwright-core', 'exceljs'],
  // Intranet deployment: no telemetry, no remote images, no fonts from the web.
  images: { unoptimized: true },
};

export default nextConfig;
