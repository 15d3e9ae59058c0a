// GET /api/health: 200 with the database kind and PostGIS version, 503 with a reason.
import { checkHealth } from '@/server/services/health/check';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  const health = await checkHealth();
  // anonymous: the cause (host, port, driver message) stays in the log
  return Response.json(health.ok ? health : { ok: false, reason: health.reason }, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
