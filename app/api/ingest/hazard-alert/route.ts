// POST /api/ingest/hazard-alert (Authorization: Bearer feed_…): hazard alerts (蓝/黄/橙/红
// 预警) raised, changed or lifted by the warning system; contract in docs/INGEST.md.
import { ingestRoute } from '@/server/live/ingest-route';
import { HazardAlertPush, ingestHazardAlerts } from '@/server/live/ingest';

export const dynamic = 'force-dynamic';

export function POST(req: Request): Promise<Response> {
  return ingestRoute(req, 'hazard-alert', HazardAlertPush, (tx, push, source) => ingestHazardAlerts(tx, push, source));
}
