// File readers: each turns one format into records of (row number, source fields,
// optional geometry in the file's own coordinates). Parsing is done by libraries made
// for each format; this file only adapts their output. CSV and XLSX stream; the
// geographic formats are read whole (their files are small in practice).
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { strFromU8 } from 'fflate';
import { DOMParser } from '@xmldom/xmldom';
import { kml as kmlToGeoJson, gpx as gpxToGeoJson } from '@tmcw/togeojson';
import * as shapefile from 'shapefile';
import osmtogeojson from 'osmtogeojson';
import type { Feature, Geometry } from 'geojson';
import { crsFromPrj, parseCrs, type Crs } from '../crs';
import { ImportError } from '../errors';
import { checkUnpackedSize, requireZip, unzipEntries, XLSX_MAX_UNPACKED_BYTES } from './zip';

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
  /** The same in Chinese, for the import page. */
  declaredCrsFromZh?: string;
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
    case '.xls': throw new ImportError(
      `${path.basename(file)} is an old Excel 97–2003 .xls file: save it as .xlsx (Excel: 另存为 → Excel 工作簿) and import that.`,
      `文件 ${path.basename(file)} 是旧版 Excel 97–2003(.xls)文件:请在 Excel 中“另存为 → Excel 工作簿(.xlsx)”后导入。`,
    );
    case '.shp': throw new ImportError(
      `${path.basename(file)} is a bare .shp: zip it together with its .dbf, .shx, .prj (and .cpg) files and import the .zip.`,
      `文件 ${path.basename(file)} 是单独的 .shp:请把它与同名的 .dbf、.shx、.prj(及 .cpg)文件一起压缩成 .zip 后导入。`,
    );
    default: throw new ImportError(
      `Cannot tell the format of ${path.basename(file)} from its extension: use .csv, .xlsx, .geojson, .kml, .kmz, .zip (Shapefile), .gpx or .osm.`,
      `无法从扩展名判断文件 ${path.basename(file)} 的格式:支持 .csv、.xlsx、.geojson、.kml、.kmz、.zip(Shapefile)、.gpx 和 .osm。`,
    );
  }
}

/** UTF-8 when the bytes are valid UTF-8 (or carry a BOM), else GB18030 (a superset of GBK). */
export function detectEncoding(sample: Uint8Array): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  // Excel's "Unicode text" (Unicode 文本) is UTF-16 with a byte-order mark
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
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
  const text = new TextDecoder('utf-8').decode(sample.subarray(0, end));
  let invalid = 0;
  let multibyte = 0;
  for (const ch of text) {
    if (ch === '\uFFFD') invalid++;
    else if (ch.charCodeAt(0) > 0x7f) multibyte++;
  }
  // GBK read as UTF-8 is invalid almost everywhere; UTF-8 with a stray damaged byte is not
  return invalid === 0 || (multibyte >= 20 && invalid <= multibyte / 200) ? 'utf-8' : 'gb18030';
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

/** An error message as part of one sentence: on one line, cut to a readable length. */
const oneLine = (m: string) => m.replace(/\s+/g, ' ').slice(0, 200);

/** Files read whole into memory (GeoJSON, KML, GPX, OSM) may be at most this large. */
export const WHOLE_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** The longest CSV field or line (a WKT boundary of a county fits easily). */
const CSV_MAX_RECORD_CHARS = 32 * 1024 * 1024;

const FORMAT_ZH: Record<Format, string> = {
  csv: 'CSV 文件', xlsx: 'Excel 工作簿(.xlsx)', geojson: 'GeoJSON 文件', kml: 'KML 文件', kmz: 'KMZ 文件', shapefile: 'Shapefile 压缩包(.zip)', gpx: 'GPX 文件', osm: 'OSM 文件',
};

export async function openSource(file: string, options: ReadOptions = {}): Promise<Source> {
  if (!fs.existsSync(file)) throw new ImportError(`File not found: ${file}`, `找不到文件 ${path.basename(file)}。`);
  const format = detectFormat(file);
  let source: Source;
  try {
    source = await openFormat(file, format, options);
  } catch (err) {
    // a parser library failing on a damaged file is the file's problem, said in one sentence
    if (err instanceof ImportError) throw err;
    throw unreadable(file, format, err);
  }
  return { info: source.info, records: failingAsImportError(source.records, file, format) };
}

function unreadable(file: string, format: Format, err: unknown, afterRow?: number): ImportError {
  const base = path.basename(file);
  const detail = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').slice(0, 200);
  if (afterRow !== undefined && afterRow > 0) {
    return new ImportError(
      `${base} cannot be read after row ${afterRow}: ${detail}`,
      `文件 ${base} 在第 ${afterRow} 行之后无法读取(文件已损坏或格式不正确,例如引号不成对):请检查该行附近的内容,或重新导出文件后再导入。`,
    );
  }
  return new ImportError(
    `${base} cannot be read as ${format === 'shapefile' ? 'a zipped Shapefile' : format.toUpperCase()}: ${detail}`,
    `文件 ${base} 无法按${FORMAT_ZH[format]}读取(文件已损坏或格式不正确):请重新导出文件后再导入。`,
  );
}

/** A parser failing half-way through a file (broken quoting, a corrupt sheet) is a file-level error. */
async function* failingAsImportError(records: AsyncIterable<SourceRecord>, file: string, format: Format): AsyncGenerator<SourceRecord> {
  let last = 0;
  try {
    for await (const r of records) {
      last = r.row;
      yield r;
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw unreadable(file, format, err, last);
  }
}

/** Reads a file that is parsed whole, refusing one too large to hold in memory. */
function readWhole(file: string, format: Format): string {
  const size = fs.statSync(file).size;
  if (size > WHOLE_FILE_MAX_BYTES) {
    const base = path.basename(file);
    throw new ImportError(
      `${base} is ${Math.round(size / 1024 / 1024)} MB; ${format.toUpperCase()} files are read whole and may be at most ${WHOLE_FILE_MAX_BYTES / 1024 / 1024} MB: split it, or convert it to CSV or a zipped Shapefile.`,
      `文件 ${base} 有 ${Math.round(size / 1024 / 1024)} MB;${FORMAT_ZH[format]}需要整体读入,最大 ${WHOLE_FILE_MAX_BYTES / 1024 / 1024} MB:请拆分,或转换为 CSV 或 Shapefile 后再导入。`,
    );
  }
  return fs.readFileSync(file, 'utf8');
}

async function openFormat(file: string, format: Format, options: ReadOptions): Promise<Source> {
  switch (format) {
    case 'csv': return readCsv(file, options);
    case 'xlsx': return readXlsx(file, options);
    case 'geojson': return readGeoJson(file);
    case 'kml': return fromFeatures({ format }, kmlToGeoJson(parseXml(readWhole(file, format), file)).features);
    case 'kmz': return readKmz(file);
    case 'shapefile': return readShapefile(file, options);
    case 'gpx': return fromFeatures({ format }, gpxToGeoJson(parseXml(readWhole(file, format), file)).features);
    case 'osm': return readOsm(file);
  }
}

/** Byte patterns of binary files that are sometimes renamed to .csv, with what to do instead. */
const BINARY_MAGIC: { magic: number[]; en: string; zh: string }[] = [
  { magic: [0x50, 0x4b, 0x03, 0x04], en: 'a zip archive (an .xlsx workbook, a .kmz or a zipped Shapefile?): give it its real extension', zh: 'zip 压缩包(可能是 .xlsx 工作簿、.kmz 或 Shapefile 压缩包):请改回它原来的扩展名' },
  { magic: [0xd0, 0xcf, 0x11, 0xe0], en: 'an old Excel 97–2003 .xls workbook: save it as .xlsx or CSV', zh: '旧版 Excel 97–2003(.xls)工作簿:请另存为 .xlsx 或 CSV' },
  { magic: [0x25, 0x50, 0x44, 0x46], en: 'a PDF document: export the table itself as CSV or .xlsx', zh: 'PDF 文档:请导出表格本身(CSV 或 .xlsx)' },
];

/**
 * Why a CSV's first bytes cannot be a text table (binary data, or text in neither UTF-8
 * nor GBK), as an ImportError; null when they can.
 */
export function binaryRefusal(sample: Uint8Array, encoding: string, file: string): ImportError | null {
  const base = path.basename(file);
  for (const m of BINARY_MAGIC) {
    if (m.magic.every((b, i) => sample[i] === b)) {
      return new ImportError(`${base} is not a CSV text table but ${m.en}.`, `文件 ${base} 不是 CSV 文本表格,而是${m.zh}。`);
    }
  }
  if (encoding.startsWith('utf-16')) return null;
  let control = 0;
  for (const b of sample) {
    if (b === 0) {
      control = sample.length;
      break;
    }
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x1a) || b === 0x7f) control++;
  }
  const binary = sample.length > 0 && (control > 8 || control / sample.length > 0.01);
  let undecodable = false;
  if (!binary && encoding === 'gb18030') {
    const text = iconv.decode(Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength), 'gb18030');
    const bad = text.split('\uFFFD').length - 1;
    undecodable = bad > 2 && bad / Math.max(1, text.length) > 0.002;
  }
  if (!binary && !undecodable) return null;
  return new ImportError(
    `${base} is not a text table (${binary ? 'it holds binary data' : 'its bytes are neither UTF-8 nor GBK text'}) and cannot be read as CSV: save the table as CSV (UTF-8 or GBK) or .xlsx and import that.`,
    `文件 ${base} 不是文本表格(${binary ? '含有二进制数据' : '既不是 UTF-8 也不是 GBK 编码的文字'}),无法按 CSV 读取:请把表格另存为 CSV(UTF-8 或 GBK 编码)或 Excel .xlsx 后再导入。`,
  );
}

function readCsv(file: string, options: ReadOptions): Source {
  const sample = readSample(file);
  const encoding = options.encoding ?? detectEncoding(sample);
  if (!iconv.encodingExists(encoding)) {
    throw new ImportError(`Unknown text encoding "${encoding}": use utf-8, gbk or gb18030.`, `未知的文字编码“${encoding}”:请使用 utf-8、gbk 或 gb18030。`);
  }
  const refusal = binaryRefusal(sample, /^(gbk|gb2312|gb18030|cp936)$/i.test(encoding) ? 'gb18030' : encoding.toLowerCase(), file);
  if (refusal) throw refusal;
  const firstLine = iconv.decode(Buffer.from(sample.subarray(0, 8192)), encoding).replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const delimiter = file.toLowerCase().endsWith('.tsv') ? '\t' : sniffDelimiter(firstLine);
  async function* records(): AsyncGenerator<SourceRecord> {
    const parser = fs
      .createReadStream(file)
      .pipe(iconv.decodeStream(encoding))
      .pipe(parseCsv({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, info: true, max_record_size: CSV_MAX_RECORD_CHARS }));
    let headers = options.columns ?? null;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!headers) {
        headers = record.map((h, i) => h || `column${i + 1}`);
        continue;
      }
      const fields: Record<string, unknown> = Object.create(null);
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

const XLSX_WHAT = { en: 'Excel .xlsx workbook', zh: ' Excel 工作簿(.xlsx)' };

function readXlsx(file: string, options: ReadOptions): Source {
  const base = path.basename(file);
  const entries = requireZip(file, XLSX_WHAT);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    throw new ImportError(
      `${base} is a zip archive but not an Excel .xlsx workbook (it has no xl/workbook.xml): save the table from Excel as .xlsx or CSV.`,
      `文件 ${base} 是 zip 压缩包,但不是 Excel 工作簿(.xlsx):请在 Excel 中另存为 .xlsx 或 CSV 后再导入。`,
    );
  }
  checkUnpackedSize(file, entries, XLSX_MAX_UNPACKED_BYTES);
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
        const fields: Record<string, unknown> = Object.create(null);
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
  if (errors.length || !doc?.documentElement) {
    const base = path.basename(file);
    throw new ImportError(
      `${base} is not well-formed XML: ${(errors[0] ?? 'no root element').replace(/\s+/g, ' ').slice(0, 200)}`,
      `文件 ${base} 不是格式正确的 XML(文件已损坏或不完整):请重新导出文件后再导入。`,
    );
  }
  return doc as unknown as Document;
}

interface DeclaredCrs {
  crs: Crs;
  from: string;
  fromZh: string;
}

const FORMAT_CRS_ZH: Partial<Record<Format, string>> = { kml: 'KML 规定为 WGS-84', kmz: 'KMZ 规定为 WGS-84', gpx: 'GPX 规定为 WGS-84', osm: 'OSM 数据为 WGS-84' };

function fromFeatures(info: SourceInfo, features: Feature<Geometry | null>[], crs?: DeclaredCrs): Source {
  async function* records(): AsyncGenerator<SourceRecord> {
    let row = 0;
    for (const f of features) {
      row++;
      const properties = f && typeof f === 'object' && f.properties && typeof f.properties === 'object' ? f.properties : {};
      const geometry = f && typeof f === 'object' && f.geometry && typeof f.geometry === 'object' ? f.geometry : null;
      yield { row, fields: { ...properties }, geometry };
    }
  }
  return {
    info: {
      ...info,
      declaredCrs: crs?.crs ?? { kind: 'wgs84' },
      declaredCrsFrom: crs?.from ?? `${info.format} is WGS-84 by definition`,
      declaredCrsFromZh: crs?.fromZh ?? FORMAT_CRS_ZH[info.format] ?? '文件声明',
    },
    records: records(),
  };
}

function readGeoJson(file: string): Source {
  const base = path.basename(file);
  let json: { type?: string; features?: Feature[]; crs?: { properties?: { name?: string } } } & Partial<Feature> & Partial<Geometry>;
  try {
    json = JSON.parse(readWhole(file, 'geojson').replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError(
      `${base} is not valid JSON: ${oneLine((err as Error).message)}`,
      `文件 ${base} 不是有效的 JSON(文件已损坏或不完整):请重新导出 GeoJSON 后再导入。`,
    );
  }
  let features: Feature[];
  const notGeoJson = () =>
    new ImportError(
      `${base} is JSON but not GeoJSON (no FeatureCollection, Feature or geometry at the top).`,
      `文件 ${base} 是 JSON,但不是 GeoJSON(顶层不是 FeatureCollection、Feature 或几何对象)。`,
    );
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw notGeoJson();
  if (json.type === 'FeatureCollection' && Array.isArray(json.features)) features = json.features;
  else if (json.type === 'Feature') features = [json as Feature];
  else if (typeof json.type === 'string' && 'coordinates' in json) features = [{ type: 'Feature', properties: {}, geometry: json as Geometry }];
  else throw notGeoJson();
  const crsName = json.crs?.properties?.name;
  let crs: DeclaredCrs | undefined;
  if (typeof crsName === 'string') {
    const code = /EPSG::?(\d+)/i.exec(crsName)?.[1] ?? (/CRS84/i.test(crsName) ? '4326' : null);
    if (code) {
      let declared: Crs;
      try {
        declared = parseCrs(`EPSG:${code}`);
      } catch {
        throw new ImportError(
          `${base} declares the coordinate system ${crsName.slice(0, 80)}, which this product does not know: convert the file to WGS-84, GCJ-02, BD-09 or a CGCS2000 zone.`,
          `文件 ${base} 声明的坐标系 ${crsName.slice(0, 80)} 本系统不支持:请先转换为 WGS-84、GCJ-02、BD-09 或 CGCS2000 坐标。`,
        );
      }
      crs = { crs: declared, from: `the GeoJSON crs member (${crsName.slice(0, 80)})`, fromZh: `GeoJSON 的 crs 声明(${crsName.slice(0, 80)})` };
    }
  }
  return fromFeatures({ format: 'geojson' }, features, crs ?? { crs: { kind: 'wgs84' }, from: 'GeoJSON default (RFC 7946: WGS-84)', fromZh: 'GeoJSON 默认(RFC 7946:WGS-84)' });
}

const KMZ_WHAT = { en: 'KMZ (zipped KML)', zh: ' KMZ 文件(压缩的 KML)' };
const SHAPEFILE_WHAT = { en: 'zip file of a Shapefile', zh: ' Shapefile 压缩包(.zip)' };

function readKmz(file: string): Source {
  const base = path.basename(file);
  const directory = requireZip(file, KMZ_WHAT);
  // the main document: doc.kml by convention, else the first .kml
  const kmls = directory.map((e) => e.name).filter((n) => n.toLowerCase().endsWith('.kml'));
  const name = kmls.find((n) => n.toLowerCase() === 'doc.kml') ?? kmls[0];
  if (!name) throw new ImportError(`${base} holds no .kml document.`, `KMZ 文件 ${base} 中没有 .kml 文档。`);
  const entry = directory.find((e) => e.name === name)!;
  if (entry.size > WHOLE_FILE_MAX_BYTES) checkUnpackedSize(file, [entry], WHOLE_FILE_MAX_BYTES);
  const entries = unzipEntries(file, (n) => n === name, KMZ_WHAT);
  if (!entries[name]) throw new ImportError(`${base} holds no readable .kml document.`, `KMZ 文件 ${base} 中的 .kml 文档无法读取。`);
  return fromFeatures({ format: 'kmz' }, kmlToGeoJson(parseXml(strFromU8(entries[name]), file)).features);
}

async function readShapefile(file: string, options: ReadOptions): Promise<Source> {
  const base = path.basename(file);
  const names = requireZip(file, SHAPEFILE_WHAT).map((e) => e.name);
  const shp = names.find((n) => n.toLowerCase().endsWith('.shp'));
  if (!shp) {
    throw new ImportError(`${base} holds no .shp file.`, `压缩包 ${base} 中没有 .shp 文件:请把 .shp 与同名的 .dbf、.shx、.prj 文件一起压缩。`);
  }
  const stem = shp.slice(0, -4);
  const part = (ext: string) => names.find((n) => n.toLowerCase() === `${stem.toLowerCase()}${ext}`);
  const dbfName = part('.dbf');
  const prjName = part('.prj');
  const cpgName = part('.cpg');
  const needed = new Set([shp, dbfName, prjName, cpgName].filter((n): n is string => Boolean(n)));
  const entries = unzipEntries(file, (n) => needed.has(n), SHAPEFILE_WHAT);
  if (!entries[shp]) throw new ImportError(`${base}: its .shp cannot be unpacked.`, `压缩包 ${base} 中的 .shp 文件无法解压。`);
  const dbf = dbfName ? entries[dbfName] : undefined;
  let encoding = options.encoding;
  if (!encoding && cpgName && entries[cpgName]) {
    const cpg = strFromU8(entries[cpgName]).trim().toLowerCase();
    encoding = /936|gbk|gb2312|gb18030/.test(cpg) ? 'gbk' : /utf-?8|65001/.test(cpg) ? 'utf-8' : iconv.encodingExists(cpg) ? cpg : undefined;
  }
  encoding ??= dbf ? (detectEncoding(dbf.subarray(32)) === 'utf-8' ? 'utf-8' : 'gbk') : 'utf-8';
  const prj = prjName && entries[prjName] ? strFromU8(entries[prjName]) : null;
  let declared: Crs | null = null;
  try {
    declared = prj ? crsFromPrj(prj) : null;
  } catch {
    declared = null; // a .prj naming a zone this product does not know: as without a .prj
  }
  const toAb = (u: Uint8Array) => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;
  let reader: Awaited<ReturnType<typeof shapefile.open>>;
  try {
    reader = await shapefile.open(toAb(entries[shp]), dbf ? toAb(dbf) : undefined, { encoding });
  } catch (err) {
    throw new ImportError(
      `${base}: the shapefile cannot be read (${oneLine((err as Error).message)}).`,
      `压缩包 ${base} 中的 Shapefile 无法读取(文件已损坏或不完整):请重新导出后再导入。`,
    );
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
    info.declaredCrsFromZh = 'Shapefile 的 .prj 文件';
  }
  return { info, records: records() };
}

function readOsm(file: string): Source {
  const doc = parseXml(readWhole(file, 'osm'), file);
  const fc = osmtogeojson(doc, { flatProperties: true }) as { features: Feature[] };
  return fromFeatures({ format: 'osm' }, fc.features);
}
