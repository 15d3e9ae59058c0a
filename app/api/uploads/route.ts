// POST /api/uploads (multipart, field "file"): stores the file for the import page and
// answers { uploadId, name, size }. The import itself starts through tRPC imports.start.
// proxy.ts does not run here (it would buffer the body in memory and cut it at 10 MB), so
// this route applies the same-origin rule itself, and the size limit (UPLOAD_MAX_BYTES):
// by Content-Length before reading anything, then by counting while the body streams in.
// Answers carry a Chinese sentence (`error`, shown by the import page); unexpected
// failures are logged here and answered with a generic sentence, never their message.
import { maxUploadBytes, saveUpload } from '@/server/import/uploads';
import { crossSiteReason, crossSiteRefusal, declaredLength, formatBytes, refusal } from '@/app/web-edge';
import { errorResponse, ImportError, mapError } from '@/server/errors';
import { actorFromRequest, requireCapability } from '@/server/auth/request';

export const dynamic = 'force-dynamic';

/** Room for the multipart framing around the file (boundaries, part headers, file name). */
const MULTIPART_SLACK_BYTES = 64 * 1024;

class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

function tooLarge(max: number, detail: string): Response {
  // Connection: close, so that the client does not send its next request after an unread body
  return refusal(413, `上传的文件太大：单个文件不能超过 ${formatBytes(max)}，请拆分或压缩后再上传。`, detail, { connection: 'close' });
}

/** The request body, erroring with BodyTooLarge as soon as more than `limit` bytes have arrived. */
function counted(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > limit) {
        // the rest is left unread, not cancelled: cancelling would destroy the socket
        // before the 413 is written; the answer closes the connection instead
        controller.error(new BodyTooLarge(`more than ${limit} bytes`));
        reader.releaseLock();
        return;
      }
      controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export async function POST(req: Request): Promise<Response> {
  const crossSite = crossSiteReason(req);
  if (crossSite) return crossSiteRefusal(crossSite);
  try {
    requireCapability(await actorFromRequest(req), 'import.write');
  } catch (err) {
    return errorResponse(err, 'upload', req);
  }
  try {
    const max = maxUploadBytes();
    const bodyLimit = max + MULTIPART_SLACK_BYTES;
    const length = declaredLength(req.headers);
    if (length !== undefined && length > bodyLimit) return tooLarge(max, `The request body is ${length} bytes; uploads are limited to ${max} bytes (UPLOAD_MAX_BYTES).`);
    if (!req.body) return refusal(400, '上传内容为空：请选择一个文件。', 'Expected a multipart form with a file.');

    let form: FormData;
    try {
      const contentType = req.headers.get('content-type') ?? '';
      form = await new Response(counted(req.body, bodyLimit), { headers: { 'content-type': contentType } }).formData();
    } catch (err) {
      if (err instanceof BodyTooLarge || (err as { cause?: unknown })?.cause instanceof BodyTooLarge) {
        return tooLarge(max, `The request body went past ${bodyLimit} bytes; uploads are limited to ${max} bytes (UPLOAD_MAX_BYTES).`);
      }
      return refusal(400, '上传格式不正确：请通过导入页面选择文件上传。', 'Expected a multipart form with a file (form field "file").');
    }
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return refusal(400, '没有收到文件，或文件为空：请重新选择文件。', 'No file in the upload (form field "file"), or the file is empty.');
    if (file.size > max) return tooLarge(max, `The file is ${file.size} bytes; uploads are limited to ${max} bytes (UPLOAD_MAX_BYTES).`);
    const upload = await saveUpload(file, max);
    return Response.json({ uploadId: upload.id, name: upload.name, size: upload.size });
  } catch (err) {
    if (err instanceof ImportError) return refusal(400, `文件无法接收：${mapError(err).message}`, err.message);
    console.error('POST /api/uploads failed:', err);
    return refusal(500, '上传失败：服务器内部错误，请稍后重试；如果问题持续，请联系系统管理员。', 'Internal error while storing the upload (see the server log).');
  }
}
