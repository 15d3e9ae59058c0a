// POST /api/ingest/camera-status (Authorization: Bearer feed_…): camera status pushed by a
// video aggregation platform (视频汇聚平台) or any other system; contract in docs/INGEST.md.
import { ingestRoute } from '@/server/live/ingest-route';
import { CameraStatusPush, ingestCameraStatus } from '@/server/live/ingest';

export const dynamic = 'force-dynamic';

export function POST(req: Request): Promise<Response> {
  return ingestRoute(req, 'camera-status', CameraStatusPush, (tx, push, source) => ingestCameraStatus(tx, push, source));
}
