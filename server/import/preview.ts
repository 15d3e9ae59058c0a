// What an import would do with a file, before it runs: the detected format, encoding and
// coordinate system, the column mapping, and the first rows as read.
import fs from 'node:fs';
import { crsLabel, parseCrs } from '../crs';
import { LAYERS, type LayerName } from './layers';
import { resolveMapping, type MappingFile } from './mapping';
import { openSource } from './readers';

const PREVIEW_ROWS = 10;
/** Files up to this size are read to the end for an exact row count; larger CSVs get an estimate. */
const EXACT_COUNT_MAX_BYTES = 32 * 1024 * 1024;
const ESTIMATE_SAMPLE_BYTES = 1024 * 1024;

export interface Preview {
  format: string;
  encoding: string | null;
  crs: { source: string; from: string; fromZh: string };
  headers: string[];
  mapping: Record<string, string | null>;
  unusedColumns: string[];
  rows: { row: number; fields: Record<string, string>; geometryType: string | null }[];
  /** Data rows (records) in the file: exact when rowCountExact, else estimated from the first megabyte. */
  rowCount: number | null;
  rowCountExact: boolean;
}

const shown = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v)).slice(0, 500);

export async function previewImport(file: string, layer: LayerName, crsText?: string, mapping: MappingFile = {}): Promise<Preview> {
  const source = await openSource(file, { columns: mapping.columns, encoding: mapping.encoding });
  const rows: Preview['rows'] = [];
  let headers: string[] = [];
  const size = fs.statSync(file).size;
  // formats read whole are cheap to count; a large CSV is estimated, a large XLSX not counted
  const countAll = size <= EXACT_COUNT_MAX_BYTES || !['csv', 'xlsx'].includes(source.info.format);
  let count = 0;
  for await (const r of source.records) {
    if (count === 0) headers = Object.keys(r.fields);
    count++;
    if (rows.length < PREVIEW_ROWS) {
      rows.push({ row: r.row, fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, shown(v)])), geometryType: r.geometry?.type ?? null });
    } else if (!countAll) break;
  }
  const resolved = resolveMapping(headers, LAYERS[layer], mapping, { collectMissing: true });
  const crsGiven = crsText ?? mapping.crs;
  const crs = crsGiven
    ? { source: crsLabel(parseCrs(crsGiven)), from: 'chosen', fromZh: crsText ? '导入时选择' : '映射文件指定' }
    : source.info.declaredCrs
      ? { source: crsLabel(source.info.declaredCrs), from: source.info.declaredCrsFrom ?? 'the file', fromZh: source.info.declaredCrsFromZh ?? '文件声明' }
      : { source: 'EPSG:4326', from: 'default (the file does not say)', fromZh: '默认(文件未声明坐标系)' };
  let rowCount: number | null = count;
  let rowCountExact = true;
  if (!countAll && source.info.format === 'xlsx') {
    rowCount = null;
    rowCountExact = false;
  } else if (!countAll) {
    // a large CSV: data lines in the first megabyte, scaled to the file's size, less the header
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(ESTIMATE_SAMPLE_BYTES);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      let lines = 0;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      rowCount = lines > 1 ? Math.max(count, Math.round((size / n) * lines) - (mapping.columns ? 0 : 1)) : null;
      rowCountExact = false;
    } finally {
      fs.closeSync(fd);
    }
  }
  return { format: source.info.format, encoding: source.info.encoding ?? null, crs, headers, mapping: resolved.fields, unusedColumns: resolved.unused, rows, rowCount, rowCountExact };
}
