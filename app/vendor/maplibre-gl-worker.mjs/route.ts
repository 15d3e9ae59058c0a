// Serves maplibre-gl's web worker from the installed npm package, so the map needs no
// CDN: the bundler cannot place the worker beside its chunks, the app serves it here.
import fs from 'node:fs/promises';
import path from 'node:path';

export const dynamic = 'force-static';

export async function GET(): Promise<Response> {
  const file = path.join(process.cwd(), 'node_modules', 'maplibre-gl', 'dist', 'maplibre-gl-worker.mjs');
  const body = await fs.readFile(file);
  return new Response(body, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' } });
}
