// What an import would do with a file, before it runs: the detected format, encoding and
// coordinate system, the column mapping, and the first rows as read.
import fs from 'node:fs';
import { crsLabel, parseCrs } from '../crs';
import { LAYERS, type LayerName } from './layers';
import { resolveMapping, type MappingFile } from './mapping';
import { openSource } from './readers';

const PREVIEW_ROWS = 10;

export interface Preview {
  format: string;
  encoding: string | null;
  crs: { source: string; from: string };
  headers: string[];
  mapping: Record<string, string | null>;
  unusedColumns: string[];
  rows: { row: number; fields: Record<string, string>; geometryType: string | null }[];
  estimatedRows: number | null;
}

export async function previewImport(file: string, layer: LayerName, crsText?: string, mapping: MappingFile = {}): Promise<Preview> {
  const source = await openSource(file, { columns: mapping.columns, encoding: mapping.encoding });
  const rows: Preview['rows'] = [];
  let headers: string[] = [];
  let lastRow = 0;
  for await (const r of source.records) {
    if (rows.length === 0) headers = Object.keys(r.fields);
    rows.push({ row: r.row, fields: Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v)])), geometryType: r.geometry?.type ?? null });
    lastRow = r.row;
    if (rows.length >= PREVIEW_ROWS) break;
  }
  const resolved = resolveMapping(headers, LAYERS[layer], mapping);
  const crsGiven = crsText ?? mapping.crs;
  const crs = crsGiven ? { source: crsLabel(parseCrs(crsGiven)), from: 'chosen' } : source.info.declaredCrs ? { source: crsLabel(source.info.declaredCrs), from: source.info.declaredCrsFrom ?? 'the file' } : { source: 'EPSG:4326', from: 'default (the file does not say)' };
  let estimatedRows: number | null = null;
  if (source.info.format === 'csv' && lastRow > 1) {
    const sampleBytes = Math.min(fs.statSync(file).size, 65536);
    const sampleLines = fs.readFileSync(file).subarray(0, sampleBytes).toString('latin1').split('\n').length;
    estimatedRows = Math.round((fs.statSync(file).size / sampleBytes) * sampleLines) - 1;
  }
  return { format: source.info.format, encoding: source.info.encoding ?? null, crs, headers, mapping: resolved.fields, unusedColumns: resolved.unused, rows, estimatedRows };
}
