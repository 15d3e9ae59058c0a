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
  if (file.size > max) throw new ImportError(`${file.name} is larger than the upload limit (${max} bytes, UPLOAD_MAX_BYTES).`);
  const id = crypto.randomBytes(12).toString('hex');
  const name = path.basename(file.name).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'upload';
  const dir = path.join(ROOT, id);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  await pipeline(Readable.fromWeb(file.stream() as import('node:stream/web').ReadableStream), fs.createWriteStream(target));
  return { id, name, size: file.size, path: target };
}

export function findUpload(id: string): Upload {
  if (!ID.test(id)) throw new ImportError('Unknown upload id.');
  const dir = path.join(ROOT, id);
  const [name] = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  if (!name) throw new ImportError('The uploaded file is gone (uploads are kept until the server restarts): upload it again.');
  const p = path.join(dir, name);
  return { id, name, size: fs.statSync(p).size, path: p };
}
