// File readers: each turns one format into records of (row number, source fields,
// optional geometry in the file's own coordinates). Parsing is done by libraries made
// for each format; this file only adapts their output. CSV and XLSX stream; the
// geographic formats are read whole (their files are small in practice).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { unzipSync, strFromU8 } from 'fflate';
import { DOMParser } from '@xmldom/xmldom';
import { kml as kmlToGeoJson, gpx as gpxToGeoJson } from '@tmcw/togeojson';
import * as shapefile from 'shapefile';
import osmtogeojson from 'osmtogeojson';
import type { Feature, Geometry } from 'geojson';
import { crsFromPrj, parseCrs, type Crs } from '../crs';
import { ImportError } from '../errors';

export type Format = 'csv' | 'xlsx' | 'geojson' | 'kml' | 'kmz' | 'shapefile' | 'gpx' | 'osm';

export interface SourceRecord {
  row: number;
  fields: Record<string, unknown>;
  geometry?: Geometry | null;
}

export interface SourceInfo {
  format: Format;
  encoding?: string;
  /** The CRS the file itself declares (.prj, GeoJSON crs, or the format's definition). */
  declaredCrs?: Crs;
  declaredCrsFrom?: string;
}

export interface Source {
  info: SourceInfo;
  records: AsyncIterable<SourceRecord>;
}

export interface ReadOptions {
  /** Column names for a file without a header row. */
  columns?: string[];
  /** Force a text encoding (utf-8, gbk, gb18030…). */
  encoding?: string;
  /** The worksheet to read (name or 1-based number); default the first. */
  sheet?: string;
}

export function detectFormat(file: string): Format {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.csv': case '.txt': case '.tsv': return 'csv';
    case '.xlsx': case '.xlsm': return 'xlsx';
    case '.geojson': case '.json': return 'geojson';
    case '.kml': return 'kml';
    case '.kmz': return 'kmz';
    case '.zip': case '.shz': return 'shapefile';
    case '.gpx': return 'gpx';
    case '.osm': case '.xml': return 'osm';
    case '.xls': throw new ImportError(`${path.basename(file)} is an old Excel 97–2003 .xls file: save it as .xlsx (Excel: 另存为 → Excel 工作簿) and import that.`);
    case '.shp': throw new ImportError(`${path.basename(file)} is a bare .shp: zip it together with its .dbf, .shx, .prj (and .cpg) files and import the .zip.`);
    default: throw new ImportError(`Cannot tell the format of ${path.basename(file)} from its extension: use .csv, .xlsx, .geojson, .kml, .kmz, .zip (Shapefile), .gpx or .osm.`);
  }
}

/** UTF-8 when the bytes are valid UTF-8 (or carry a BOM), else GB18030 (a superset of GBK). */
export function detectEncoding(sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // Cut at the last complete UTF-8 sequence so a sample boundary is not read as an error.
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = sample[end - back]!;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** The delimiter of a CSV export: whichever of , tab ; | the header line uses most. */
export function sniffDelimiter(headerLine: string): string {
  const counts = [',', '\t', ';', '|'].map((d) => [d, headerLine.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

function readSample(file: string, bytes = 65536): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export async function openSource(file: string, options: ReadOptions = {}): Promise<Source> {
  if (!fs.existsSync(file)) throw new ImportError(`File not found: ${file}`);
  const source = await openFormat(file, detectFormat(file), options);
  return { info: source.info, records: failingAsImportError(source.records, file) };
}

/** A parser failing half-way through a file (broken quoting, a corrupt sheet) is a file-level error. */
async function* failingAsImportError(records: AsyncIterable<SourceRecord>, file: string): AsyncGenerator<SourceRecord> {
  let last = 0;
  try {
    for await (const r of records) {
      last = r.row;
      yield r;
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(`${path.basename(file)} cannot be read after row ${last}: ${(err as Error).message}`);
  }
}

async function openFormat(file: string, format: Format, options: ReadOptions): Promise<Source> {
  switch (format) {
    case 'csv': return readCsv(file, options);
    case 'xlsx': return readXlsx(file, options);
    case 'geojson': return readGeoJson(file);
    case 'kml': return fromFeatures({ format }, kmlToGeoJson(parseXml(fs.readFileSync(file, 'utf8'), file)).features);
    case 'kmz': return readKmz(file);
    case 'shapefile': return readShapefile(file, options);
    case 'gpx': return fromFeatures({ format }, gpxToGeoJson(parseXml(fs.readFileSync(file, 'utf8'), file)).features);
    case 'osm': return readOsm(file);
  }
}

function readCsv(file: string, options: ReadOptions): Source {
  const encoding = options.encoding ?? detectEncoding(readSample(file));
  if (!iconv.encodingExists(encoding)) throw new ImportError(`Unknown text encoding "${encoding}": use utf-8, gbk or gb18030.`);
  const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(new TextDecoder().decode(readSample(file, 8192)).split(/\r?\n/)[0] ?? '');
  async function* records(): AsyncGenerator<SourceRecord> {
    const parser = fs
      .createReadStream(file)
      .pipe(iconv.decodeStream(encoding))
      .pipe(parseCsv({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, info: true }));
    let headers = options.columns ?? null;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!headers) {
        headers = record.map((h, i) => h || `column${i + 1}`);
        continue;
      }
      const fields: Record<string, unknown> = {};
      headers.forEach((h, i) => (fields[h] = record[i]));
      yield { row: info.lines, fields };
    }
  }
  return { info: { format: 'csv', encoding: encoding === 'gb18030' ? 'gbk/gb18030' : encoding }, records: records() };
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v !== 'object') return v;
  if ('result' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('richText' in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('');
  if ('text' in v) return (v as ExcelJS.CellHyperlinkValue).text;
  if ('error' in v) return null;
  return String(v);
}

function readXlsx(file: string, options: ReadOptions): Source {
  async function* records(): AsyncGenerator<SourceRecord> {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { entries: 'emit', sharedStrings: 'cache', worksheets: 'emit', styles: 'cache', hyperlinks: 'ignore' });
    let sheetNo = 0;
    for await (const sheet of reader) {
      sheetNo++;
      const ws = sheet as unknown as AsyncIterable<ExcelJS.Row> & { name?: string };
      const wanted = options.sheet === undefined ? sheetNo === 1 : options.sheet === String(sheetNo) || options.sheet === ws.name;
      if (!wanted) {
        for await (const _ of ws) void _; // drain the sheet to reach the next one
        continue;
      }
      let headers = options.columns ?? null;
      for await (const row of ws) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
        if (!headers) {
          headers = values.map((h, i) => (h === null || h === '' ? `column${i + 1}` : String(h).trim()));
          continue;
        }
        if (values.every((v) => v === null || v === '')) continue;
        const fields: Record<string, unknown> = {};
        headers.forEach((h, i) => (fields[h] = values[i] ?? null));
        yield { row: row.number, fields };
      }
      return;
    }
  }
  return { info: { format: 'xlsx' }, records: records() };
}

function parseXml(text: string, file: string): Document {
  const errors: string[] = [];
  let doc: ReturnType<DOMParser['parseFromString']> | undefined;
  try {
    doc = new DOMParser({ onError: (level, msg) => level !== 'warning' && errors.push(msg) }).parseFromString(text, 'text/xml');
  } catch (err) {
    errors.push((err as Error).message);
  }
  if (errors.length || !doc?.documentElement) throw new ImportError(`${path.basename(file)} is not well-formed XML: ${errors[0] ?? 'no root element'}`);
  return doc as unknown as Document;
}

function fromFeatures(info: SourceInfo, features: Feature<Geometry | null>[], crs?: { crs: Crs; from: string }): Source {
  async function* records(): AsyncGenerator<SourceRecord> {
    let row = 0;
    for (const f of features) {
      row++;
      yield { row, fields: { ...(f.properties ?? {}) }, geometry: f.geometry };
    }
  }
  return { info: { ...info, declaredCrs: crs?.crs ?? { kind: 'wgs84' }, declaredCrsFrom: crs?.from ?? `${info.format} is WGS-84 by definition` }, records: records() };
}

function readGeoJson(file: string): Source {
  let json: { type?: string; features?: Feature[]; crs?: { properties?: { name?: string } } } & Partial<Feature> & Partial<Geometry>;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError(`${path.basename(file)} is not valid JSON: ${(err as Error).message}`);
  }
  let features: Feature[];
  if (json.type === 'FeatureCollection' && Array.isArray(json.features)) features = json.features;
  else if (json.type === 'Feature') features = [json as Feature];
  else if (typeof json.type === 'string' && 'coordinates' in json) features = [{ type: 'Feature', properties: {}, geometry: json as Geometry }];
  else throw new ImportError(`${path.basename(file)} is JSON but not GeoJSON (no FeatureCollection, Feature or geometry at the top).`);
  const crsName = json.crs?.properties?.name;
  let crs: { crs: Crs; from: string } | undefined;
  if (crsName) {
    const code = /EPSG::?(\d+)/i.exec(crsName)?.[1] ?? (/CRS84/i.test(crsName) ? '4326' : null);
    if (code) crs = { crs: parseCrs(`EPSG:${code}`), from: `the GeoJSON crs member (${crsName})` };
  }
  return fromFeatures({ format: 'geojson' }, features, crs ?? { crs: { kind: 'wgs84' }, from: 'GeoJSON default (RFC 7946: WGS-84)' });
}

function readKmz(file: string): Source {
  const entries = unzipSync(fs.readFileSync(file));
  const name = Object.keys(entries).find((n) => n.toLowerCase().endsWith('.kml'));
  if (!name) throw new ImportError(`${path.basename(file)} holds no .kml document.`);
  return fromFeatures({ format: 'kmz' }, kmlToGeoJson(parseXml(strFromU8(entries[name]!), file)).features);
}

async function readShapefile(file: string, options: ReadOptions): Promise<Source> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(fs.readFileSync(file));
  } catch (err) {
    throw new ImportError(`${path.basename(file)} is not a readable zip file (${(err as Error).message}).`);
  }
  const names = Object.keys(entries);
  const shp = names.find((n) => n.toLowerCase().endsWith('.shp'));
  if (!shp) throw new ImportError(`${path.basename(file)} holds no .shp file.`);
  const stem = shp.slice(0, -4);
  const part = (ext: string) => names.find((n) => n.toLowerCase() === `${stem.toLowerCase()}${ext}`);
  const dbfName = part('.dbf');
  const prjName = part('.prj');
  const cpgName = part('.cpg');
  const dbf = dbfName ? entries[dbfName]! : undefined;
  let encoding = options.encoding;
  if (!encoding && cpgName) {
    const cpg = strFromU8(entries[cpgName]!).trim().toLowerCase();
    encoding = /936|gbk|gb2312|gb18030/.test(cpg) ? 'gbk' : /utf-?8|65001/.test(cpg) ? 'utf-8' : cpg;
  }
  encoding ??= dbf ? (detectEncoding(dbf.subarray(32)) === 'utf-8' ? 'utf-8' : 'gbk') : 'utf-8';
  const prj = prjName ? strFromU8(entries[prjName]!) : null;
  const declared = prj ? crsFromPrj(prj) : null;
  const toAb = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
  let reader: Awaited<ReturnType<typeof shapefile.open>>;
  try {
    reader = await shapefile.open(toAb(entries[shp]!), dbf ? toAb(dbf) : undefined, { encoding });
  } catch (err) {
    throw new ImportError(`${path.basename(file)}: the shapefile cannot be read (${(err as Error).message}).`);
  }
  async function* records(): AsyncGenerator<SourceRecord> {
    let row = 0;
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      row++;
      yield { row, fields: { ...(next.value.properties ?? {}) }, geometry: next.value.geometry };
    }
  }
  const info: SourceInfo = { format: 'shapefile', encoding };
  if (declared) {
    info.declaredCrs = declared;
    info.declaredCrsFrom = `the .prj file (${prj!.slice(0, 60)}…)`;
  }
  return { info, records: records() };
}

function readOsm(file: string): Source {
  const doc = parseXml(fs.readFileSync(file, 'utf8'), file);
  const fc = osmtogeojson(doc, { flatProperties: true }) as { features: Feature[] };
  return fromFeatures({ format: 'osm' }, fc.features);
}
