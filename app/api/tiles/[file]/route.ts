// GET /api/tiles/<file>.pmtiles: a PMTiles basemap from PMTILES_DIR, for pmtiles' maplibre
// protocol (app/map/map-canvas.tsx), which reads the archive in byte ranges: 206 Partial
// Content for a Range, 416 for a range past the end, 200 with the whole file otherwise.
// Only plain *.pmtiles names directly in PMTILES_DIR (no folders, no links out of it), for
// anyone who may read the map (map.read), like the map's other data.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { routeFor } from '@/server/auth/routes';
import { readEnv } from '@/server/env';
import { etagOf, fileFromPath, fileInside, parseRange, type ServedFile } from '../pmtiles-file';

export const dynamic = 'force-dynamic';

/** Ranges up to this size are read at once; longer ones (a whole-file download) are streamed. */
const READ_AT_ONCE = 4 * 1024 * 1024;

const text = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers } });

export function GET(req: Request): Promise<Response> {
  return serve(req, false);
}

export function HEAD(req: Request): Promise<Response> {
  return serve(req, true);
}

function serve(req: Request, head: boolean): Promise<Response> {
  return routeFor(req, 'map.read', 'tiles.pmtiles', async () => {
    const name = fileFromPath(new URL(req.url).pathname);
    if (!name) return text(404, '没有这个底图文件:地址须为 /api/tiles/<文件名>.pmtiles(文件名只含字母、数字、点、下划线和连字符)。');
    const dir = readEnv().PMTILES_DIR;
    if (!dir) return text(404, '未配置 PMTiles 底图目录(PMTILES_DIR),无法提供底图文件。');
    const file = await fileInside(dir, name);
    if (!file) return text(404, `底图文件 ${name} 不在 PMTiles 底图目录中。`);
    const etag = etagOf(file);
    const common: Record<string, string> = {
      'accept-ranges': 'bytes',
      etag,
      'last-modified': new Date(file.mtimeMs).toUTCString(),
      'cache-control': 'private, max-age=300',
      'content-type': 'application/vnd.pmtiles',
    };
    // If-Range: a range only while the file is the one the client has seen
    const ifRange = req.headers.get('if-range');
    const range = ifRange !== null && ifRange.trim() !== etag ? { kind: 'full' as const } : parseRange(req.headers.get('range'), file.size);
    if (range.kind === 'unsatisfiable' || range.kind === 'multiple') {
      const why = range.kind === 'multiple' ? '一次只能请求一个字节区间' : `请求的字节区间超出了文件大小(${file.size} 字节)`;
      return text(416, `无法读取底图文件 ${name}:${why}。`, { 'content-range': `bytes */${file.size}`, 'accept-ranges': 'bytes', etag });
    }
    const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, file.size - 1];
    const length = Math.max(0, end - start + 1);
    const headers = { ...common, 'content-length': String(length), ...(range.kind === 'partial' ? { 'content-range': `bytes ${start}-${end}/${file.size}` } : {}) };
    const status = range.kind === 'partial' ? 206 : 200;
    if (head || length === 0) return new Response(null, { status, headers });
    return new Response(await body(file, start, end), { status, headers });
  });
}

async function body(file: ServedFile, start: number, end: number): Promise<BodyInit> {
  const length = end - start + 1;
  if (length <= READ_AT_ONCE) {
    const fh = await fs.promises.open(file.path, 'r');
    try {
      const buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, start + got);
        if (bytesRead === 0) break; // the file shrank under us: send what is there
        got += bytesRead;
      }
      return new Uint8Array(buf.buffer, buf.byteOffset, got);
    } finally {
      await fh.close();
    }
  }
  return Readable.toWeb(fs.createReadStream(file.path, { start, end })) as unknown as ReadableStream<Uint8Array>;
}
