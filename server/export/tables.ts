// Analysis results as files: one table (Chinese column titles, one row per cell, target or
// township, an optional WGS-84 geometry per row) written as CSV (UTF-8 with BOM, so Excel
// reads the Chinese), XLSX (one sheet, plus a sheet with the method) or GeoJSON (rows with
// geometry only; the method in the collection's "method" member).
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export type TableFormat = 'csv' | 'xlsx' | 'geojson';

export interface Column {
  key: string;
  title: string;
}

export interface ResultTable {
  /** File and sheet name (Chinese is fine). */
  name: string;
  columns: Column[];
  rows: (Record<string, unknown> & { geometry?: Geometry | null })[];
  /** How the figures were made, written beside them. */
  method: Record<string, unknown>;
}

export const CONTENT_TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  geojson: 'application/geo+json',
};

export async function writeTable(t: ResultTable, format: TableFormat): Promise<Buffer> {
  if (format === 'csv') {
    const body = stringify([t.columns.map((c) => c.title), ...t.rows.map((r) => t.columns.map((c) => cell(r[c.key])))]);
    return Buffer.from(`\ufeff${body}`, 'utf8');
  }
  if (format === 'geojson') {
    const features: Feature[] = t.rows
      .filter((r) => r.geometry)
      .map((r) => ({ type: 'Feature', geometry: r.geometry!, properties: Object.fromEntries(t.columns.map((c) => [c.key, cell(r[c.key])])) }));
    const fc: FeatureCollection & { name: string; method: unknown; columns: Column[] } = { type: 'FeatureCollection', name: t.name, method: t.method, columns: t.columns, features };
    return Buffer.from(JSON.stringify(fc), 'utf8');
  }
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName(t.name));
  sheet.columns = t.columns.map((c) => ({ header: c.title, key: c.key, width: Math.max(10, Math.min(60, c.title.length * 2 + 4)) }));
  for (const r of t.rows) sheet.addRow(Object.fromEntries(t.columns.map((c) => [c.key, cell(r[c.key])])));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const about = book.addWorksheet('方法说明');
  about.columns = [{ header: '项目', key: 'k', width: 24 }, { header: '说明', key: 'v', width: 100 }];
  for (const [k, v] of Object.entries(t.method)) about.addRow({ k, v: typeof v === 'string' ? v : JSON.stringify(v) });
  return Buffer.from(await book.xlsx.writeBuffer());
}

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/** Excel sheet names: at most 31 characters, none of []:*?/\ */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';
}

/** A table file as a download: the ASCII name as a fallback, the Chinese name in filename*. */
export function fileResponse(body: Buffer, format: TableFormat, name: string): Response {
  return new Response(new Uint8Array(body), {
    headers: { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}` },
  });
}
