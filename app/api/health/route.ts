// GET /api/health: 200 with the database kind and PostGIS version, 503 with a reason.
import { checkHealth } from '@/server/services/health/check';
import { REQUEST_ID_HEADER } from '@/server/request-id';

export const dynamic = 'force-dynamic';

export async function GET(req?: Request): Promise<Response> {
  const requestId = req?.headers.get(REQUEST_ID_HEADER) ?? undefined;
  const health = await checkHealth({ requestId });
  // anonymous: the cause (host, port, driver message) stays in the log
  return Response.json(health.ok ? health : { ok: false, reason: health.reason }, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
