// What GET /api/tiles/<file>.pmtiles needs besides the actor: the file name from the path
// (one segment, PMTILES_FILE), the file inside PMTILES_DIR (after resolving symbolic links:
// nothing outside the folder is served), and the Range header (RFC 9110 §14: one range per
// request; a header that does not parse is ignored and the whole file is sent).
import fs from 'node:fs/promises';
import path from 'node:path';
import { PMTILES_FILE } from '@/lib/basemaps';

export const TILES_PREFIX = '/api/tiles/';

/** The file name a request path names, or null (not one plain .pmtiles name). */
export function fileFromPath(pathname: string): string | null {
  if (!pathname.startsWith(TILES_PREFIX)) return null;
  const raw = pathname.slice(TILES_PREFIX.length);
  if (!raw || raw.includes('/')) return null;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return PMTILES_FILE.test(name) ? name : null;
}

export interface ServedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The regular file `name` directly inside `dir` (both resolved through links), or null. */
export async function fileInside(dir: string, name: string): Promise<ServedFile | null> {
  if (!PMTILES_FILE.test(name)) return null;
  try {
    const root = await fs.realpath(dir);
    const real = await fs.realpath(path.join(root, name));
    if (path.dirname(real) !== root || !real.endsWith('.pmtiles')) return null;
    const st = await fs.stat(real);
    return st.isFile() ? { path: real, size: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}

export type RangeAnswer =
  | { kind: 'full' }
  | { kind: 'partial'; start: number; end: number }
  | { kind: 'unsatisfiable' }
  | { kind: 'multiple' };

/** The byte range (inclusive) a Range header asks of a file of `size` bytes. */
export function parseRange(header: string | null, size: number): RangeAnswer {
  const h = header?.trim();
  if (!h) return { kind: 'full' };
  const m = /^bytes\s*=\s*(.+)$/i.exec(h);
  if (!m) return { kind: 'full' }; // another unit: ignored
  const specs = m[1]!.split(',').map((x) => x.trim()).filter(Boolean);
  if (specs.length === 0) return { kind: 'full' };
  if (specs.length > 1) return { kind: 'multiple' };
  const r = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]!);
  if (!r || (r[1] === '' && r[2] === '')) return { kind: 'full' };
  if (r[1] === '') {
    // the last n bytes
    const n = Number(r[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(r[1]);
  const end = r[2] === '' ? size - 1 : Number(r[2]);
  if (r[2] !== '' && end < start) return { kind: 'full' }; // invalid: ignored
  if (!Number.isSafeInteger(start) || start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(end, size - 1) };
}

/** A strong validator for the file as it is now (pmtiles checks it between requests). */
export function etagOf(f: ServedFile): string {
  return `"${f.size.toString(16)}-${Math.floor(f.mtimeMs).toString(16)}"`;
}
