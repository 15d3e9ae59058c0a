// Zip containers (XLSX, KMZ, zipped Shapefiles) read with limits: the central directory is
// read first, so that a file that is not a zip, a truncated zip or a zip bomb (a few
// kilobytes that unpack to gigabytes) is refused before anything is unpacked. Only the
// entries a reader needs are unpacked, each into a buffer of its declared size (fflate
// does not grow the buffer past it, so a lying header cannot unpack more either).
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { ImportError } from '../errors';

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  method: number;
}

/** The most a zip's entries may unpack to when they are unpacked into memory (KMZ, Shapefile). */
export const ZIP_MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** The most a streamed XLSX may unpack to (worksheets are parsed as they stream). */
export const XLSX_MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024;

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = fs.readSync(fd, buf, 0, length, position);
  return buf.subarray(0, n);
}

/** Whether the file starts like a zip archive (local file header, or an empty archive). */
export function hasZipMagic(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = readAt(fd, 0, 4);
    return head.length === 4 && (head.readUInt32LE(0) === LOCAL || head.readUInt32LE(0) === EOCD);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The entries of a zip file from its central directory, or null when the file is not a
 * (complete) zip archive. Reads only the end of the file and the directory.
 */
export function zipDirectory(file: string): ZipEntry[] | null {
  const size = fs.statSync(file).size;
  if (size < 22) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const tailStart = Math.max(0, size - 65_557);
    const tail = readAt(fd, tailStart, size - tailStart);
    let e = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        e = i;
        break;
      }
    }
    if (e < 0) return null;
    let count = tail.readUInt16LE(e + 10);
    let cdSize = tail.readUInt32LE(e + 12);
    let cdOffset = tail.readUInt32LE(e + 16);
    if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && e >= 20 && tail.readUInt32LE(e - 20) === ZIP64_LOCATOR) {
      const z = readAt(fd, u64(tail, e - 12), 56);
      if (z.length < 56 || z.readUInt32LE(0) !== ZIP64_EOCD) return null;
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024 || count > 1_000_000) return null;
    const cd = readAt(fd, cdOffset, cdSize);
    if (cd.length < cdSize) return null;
    const entries: ZipEntry[] = [];
    let o = 0;
    for (let i = 0; i < count; i++) {
      if (o + 46 > cd.length || cd.readUInt32LE(o) !== CENTRAL) return null;
      const flags = cd.readUInt16LE(o + 8);
      const method = cd.readUInt16LE(o + 10);
      let compressedSize = cd.readUInt32LE(o + 20);
      let unpacked = cd.readUInt32LE(o + 24);
      const nameLength = cd.readUInt16LE(o + 28);
      const extraLength = cd.readUInt16LE(o + 30);
      const commentLength = cd.readUInt16LE(o + 32);
      const nameEnd = o + 46 + nameLength;
      if (nameEnd + extraLength > cd.length) return null;
      const name = cd.subarray(o + 46, nameEnd).toString(flags & 0x800 ? 'utf8' : 'latin1');
      if (unpacked === 0xffffffff || compressedSize === 0xffffffff) {
        // ZIP64 extended information: the 64-bit sizes that are saturated, in this order
        for (let x = nameEnd; x + 4 <= nameEnd + extraLength; ) {
          const id = cd.readUInt16LE(x);
          const len = cd.readUInt16LE(x + 2);
          if (id === 0x0001) {
            let at = x + 4;
            if (unpacked === 0xffffffff && at + 8 <= x + 4 + len) (unpacked = u64(cd, at)), (at += 8);
            if (compressedSize === 0xffffffff && at + 8 <= x + 4 + len) compressedSize = u64(cd, at);
            break;
          }
          x += 4 + len;
        }
      }
      entries.push({ name, compressedSize, size: unpacked, method });
      o = nameEnd + extraLength + commentLength;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** The directory of a zip the reader needs, or an ImportError naming what the file is not. */
export function requireZip(file: string, what: { en: string; zh: string }): ZipEntry[] {
  const base = path.basename(file);
  const entries = hasZipMagic(file) ? zipDirectory(file) : null;
  if (!entries) {
    throw new ImportError(
      `${base} is not a readable ${what.en}: it is not a complete zip archive (damaged, truncated, or another kind of file under this extension).`,
      `文件 ${base} 不是可读取的${what.zh}(不是完整的 zip 压缩包:文件已损坏、不完整,或是改了扩展名的其他文件)。`,
    );
  }
  return entries;
}

/** Refuses a zip whose entries (those `wanted`) would unpack to more than `limit` bytes. */
export function checkUnpackedSize(file: string, entries: ZipEntry[], limit: number): void {
  const total = entries.reduce((a, e) => a + e.size, 0);
  if (total > limit) {
    const base = path.basename(file);
    throw new ImportError(
      `${base} would unpack to ${mb(total)}, more than the ${mb(limit)} an import unpacks: split the data into smaller files.`,
      `文件 ${base} 解压后有 ${mb(total)},超过导入允许的 ${mb(limit)}:请把数据拆分成较小的文件后再导入。`,
    );
  }
}

/**
 * Unpacks the entries `wanted` (by name) of a zip file into memory, after checking the
 * directory and the unpacked size. Throws an ImportError for anything unreadable.
 */
export function unzipEntries(file: string, wanted: (name: string) => boolean, what: { en: string; zh: string }): Record<string, Uint8Array> {
  const entries = requireZip(file, what).filter((e) => wanted(e.name));
  checkUnpackedSize(file, entries, ZIP_MAX_UNPACKED_BYTES);
  const base = path.basename(file);
  try {
    return unzipSync(fs.readFileSync(file), { filter: (f) => wanted(f.name) && f.originalSize <= ZIP_MAX_UNPACKED_BYTES });
  } catch (err) {
    throw new ImportError(
      `${base} is not a readable ${what.en}: the zip archive is damaged (${(err as Error).message}).`,
      `文件 ${base} 不是可读取的${what.zh}:zip 压缩包已损坏,请重新导出或重新压缩后再导入。`,
    );
  }
}
