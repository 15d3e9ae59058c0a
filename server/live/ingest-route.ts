// The HTTP edge of the ingest routes (app/api/ingest/*): the feed token, its topic, the
// body's size and JSON, the schema, one transaction, one audit row. Answers are JSON for
// the sending system: { received, applied, unchanged, stale } when accepted; otherwise
// { error (Chinese), detail (English), problems: [{ item, path, message }] } with 400 (a
// bad push: nothing written), 401 (no or unknown token), 403 (a token without this topic),
// 413 (too large), 415 (not JSON) or 500.
import type { z } from 'zod';
import { ZodError } from 'zod';
import { actorFromRequest, requireCapability } from '../auth/request';
import { withScope, type Tx } from '../db/scope';
import { AccessError, mapError } from '../errors';
import { audit, auditApart } from '../audit';
import { logger } from '../log';
import { REQUEST_ID_HEADER } from '../request-id';
import { IngestError, problemsOfZod, type IngestProblem, type IngestResult } from './ingest';
import type { FeedTopic } from '../auth/accounts';

/** Bytes one push may have (10,000 camera items fit in about 1 MB). */
export const INGEST_MAX_BYTES = 4 * 1024 * 1024;

function answer(status: number, body: unknown, req: Request): Response {
  const id = req.headers.get(REQUEST_ID_HEADER);
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...(id ? { [REQUEST_ID_HEADER]: id } : {}) } });
}

export async function ingestRoute<S extends z.ZodType>(
  req: Request,
  topic: FeedTopic,
  schema: S,
  apply: (tx: Tx, push: z.infer<S>, source: string) => Promise<IngestResult>,
): Promise<Response> {
  let actorId: string | undefined;
  try {
    const actor = requireCapability(await actorFromRequest(req), 'live.ingest');
    actorId = actor.id;
    if (!actor.topics?.includes(topic)) {
      await auditApart(actor, { action: `ingest.${topic}`, result: 'refused', detail: { reason: 'topic not allowed' } });
      throw new AccessError('FORBIDDEN', `此接入令牌不能推送这类数据(${topic}):请联系系统管理员按需重新签发。`);
    }
    const type = req.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      return answer(415, { error: '推送内容应为 JSON(Content-Type: application/json)。', detail: `expected application/json, got ${type ?? 'no Content-Type'}`, problems: [] }, req);
    }
    const declared = Number(req.headers.get('content-length') ?? NaN);
    if (declared > INGEST_MAX_BYTES) return answer(413, { error: `推送内容过大:一次不能超过 ${INGEST_MAX_BYTES / 1024 / 1024} MB,请分批推送。`, detail: `at most ${INGEST_MAX_BYTES} bytes`, problems: [] }, req);
    const text = await req.text();
    if (Buffer.byteLength(text) > INGEST_MAX_BYTES) return answer(413, { error: `推送内容过大:一次不能超过 ${INGEST_MAX_BYTES / 1024 / 1024} MB,请分批推送。`, detail: `at most ${INGEST_MAX_BYTES} bytes`, problems: [] }, req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return answer(400, { error: '推送内容不是有效的 JSON。', detail: err instanceof Error ? err.message : String(err), problems: [] }, req);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw parsed.error;
    const result = await withScope(actor, { attempted: `applying a ${topic} push` }, async (tx) => {
      const r = await apply(tx, parsed.data, actor.id);
      await audit(tx, { action: `ingest.${topic}`, rows: r.applied, detail: { ...r } });
      return r;
    });
    return answer(200, result, req);
  } catch (err) {
    const m = mapError(err, { procedure: `ingest.${topic}` });
    let problems: IngestProblem[] = [];
    if (err instanceof IngestError) problems = err.problems;
    else if (err instanceof ZodError) problems = problemsOfZod(err, topic);
    if (m.kind === 'server') logger.error('route.error', { requestId: req.headers.get(REQUEST_ID_HEADER) ?? undefined, message: `ingest ${topic} failed: ${m.detail}`, route: `ingest.${topic}`, err });
    else if (m.kind === 'user') logger.info('ingest.refused', { requestId: req.headers.get(REQUEST_ID_HEADER) ?? undefined, message: `${actorId ?? 'anonymous'} ${topic}: ${m.detail.slice(0, 500)}` });
    return answer(m.status, { error: m.message, detail: m.kind === 'server' ? 'internal error (see the server log)' : m.detail.slice(0, 2000), problems }, req);
  }
}
