// Files uploaded through the import page, kept in a temporary folder under a random id
// until they are imported. The id is checked before it becomes a path.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readEnv, type Env } from '../env';
import { ImportError } from '../errors';

const ROOT = path.join(os.tmpdir(), 'pingan-uploads');
const ID = /^[0-9a-f]{24}$/;

/** The largest upload in bytes: UPLOAD_MAX_BYTES (default 2 GB). */
export function maxUploadBytes(env: Env = readEnv()): number {
  return env.UPLOAD_MAX_BYTES;
}

export interface Upload {
  id: string;
  name: string;
  size: number;
  path: string;
}

/** Stores an uploaded file (streamed to disk) and returns its handle. */
export async function saveUpload(file: File, max = maxUploadBytes()): Promise<Upload> {
  if (file.size > max) {
    throw new ImportError(`${file.name} is larger than the upload limit (${max} bytes, UPLOAD_MAX_BYTES).`, `上传的文件太大:单个文件不能超过 ${Math.floor(max / 1024 / 1024)} MB,请拆分或压缩后再上传。`);
  }
  const id = crypto.randomBytes(12).toString('hex');
  const name = safeFileName(file.name);
  const dir = path.join(ROOT, id);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  await pipeline(Readable.fromWeb(file.stream() as import('node:stream/web').ReadableStream), fs.createWriteStream(target));
  return { id, name, size: file.size, path: target };
}

/** The longest stored file name in bytes (file systems allow 255). */
const MAX_NAME_BYTES = 200;

/**
 * The name a file is stored under in its folder: no directories, no characters a file
 * system refuses, not '.' or '..' (which would name the folder or its parent), at most
 * MAX_NAME_BYTES (the end of the stem cut, the extension kept).
 */
export function safeFileName(raw: string): string {
  let name = path.basename(raw).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  if (!name.trim() || /^\.+$/.test(name)) name = 'upload';
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const ext = path.extname(name).length <= 16 ? path.extname(name) : '';
  const stem = Array.from(name.slice(0, name.length - ext.length));
  while (stem.length && Buffer.byteLength(stem.join('') + ext) > MAX_NAME_BYTES) stem.pop();
  return `${stem.join('')}${ext}`;
}

export function findUpload(id: string): Upload {
  if (!ID.test(id)) throw new ImportError('Unknown upload id.', '上传的文件编号无效:请重新上传文件。');
  const dir = path.join(ROOT, id);
  const [name] = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (!name) throw new ImportError('The uploaded file is gone (uploads are kept until the server restarts): upload it again.', '上传的文件已不在服务器上(服务重启后上传的文件不再保留):请重新上传。');
  const p = path.join(dir, name);
  return { id, name, size: fs.statSync(p).size, path: p };
}
