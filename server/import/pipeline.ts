// The one import pipeline: read (any format) → map fields → parse and check values →
// convert coordinates to WGS-84 → stage in a temporary table (COPY on PostgreSQL) →
// check and repair geometries in PostGIS → upsert into the layer's table. All of it
// runs in one transaction: a real run writes every accepted row or nothing; a dry run
// does the same work and rolls back. Every rejected row is reported with its row
// number, field and reason.
import crypto from 'node:crypto';
import path from 'node:path';
import type pg from 'pg';
import type { Geometry, Position } from 'geojson';
import { sql } from '../db/index';
import { engineOf, type Tx } from '../db/scope';
import { bulkInsert, type BulkColumn, type BulkValue } from '../db/bulk';
import { crsLabel, parseCrs, toWgs84, isGeographic, type Crs, type LonLat, type PositionTransform } from '../crs';
import { lookupCode, knownCodes } from './dictionaries';
import { LAYERS, type FieldSpec, type LayerName, type LayerSpec } from './layers';
import { readMappingFile, resolveMapping, type MappingFile, type ResolvedMapping } from './mapping';
import { openSource, type Source, type SourceRecord } from './readers';
import { clip, isBlank, parseAzimuth, parseBoolean, parseDate, parseInteger, parseNumber, parseTime, text } from './values';
import { checkCrsFit, CRS_SAMPLE, type CrsCheckOptions, type ImportWarning } from './crs-check';
import { FIELD_ZH } from './layers';
import { geometryReasonZh } from '../../lib/geometry-reason-zh';
import { geometryToWkt } from '../geo/wkt';
import wkx from 'wkx';
import { ImportError } from '../errors';
import { cleanStage, cleaningSummary, writeReports, type TrackReport } from '../services/patrol/clean';

export interface RowError {
  row: number;
  field: string;
  reason: string;
}

export interface ImportReport {
  layer: LayerName;
  file: string;
  format: string;
  encoding: string | null;
  /** The CRS the rows were read in, and where that came from (fromZh: the same for the import page). */
  crs: { source: string; from: string; fromZh: string };
  mapping: Record<string, string | null>;
  unusedColumns: string[];
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
  repaired: number;
  inserted: number;
  updated: number;
  warnings: string[];
  /** The warnings in Chinese, in the same order, for the import page. */
  warningsZh: string[];
  errors: RowError[];
  errorsOmitted: number;
  dryRun: boolean;
  committed: boolean;
  aborted: string | null;
  abortedZh: string | null;
  seconds: number;
  /** GPS tracks: each track's cleaning (fixes dropped by rule, the first 20 drops listed, pieces, fix interval). */
  cleaned?: TrackReport[];
  /** Seconds per stage: read+stage, check, write. */
  stages: Record<string, number>;
}

export interface ImportOptions {
  layer: LayerName;
  file: string;
  crs?: string;
  mapping?: MappingFile | string;
  dryRun?: boolean;
  /** Abort (and write nothing) once more rows than this are rejected. */
  maxErrors?: number;
  encoding?: string;
  onProgress?: (rowsRead: number) => void;
  /** Transforms each source record before mapping (the OSM importer uses it). */
  transform?: (r: SourceRecord) => SourceRecord | null;
  /** Name shown in the report instead of the file path. */
  displayName?: string;
  /** Import a file whose positions all lie outside the county (refused otherwise). */
  allowOutside?: boolean;
}

const MAX_LISTED_ERRORS = 5000;
const BATCH_ROWS = 5000;
const BULK_BATCH_ROWS = 20_000;
const GEOMETRY_DIMENSION: Record<string, number> = { point: 1, line: 2, polygon: 3, 'point-or-polygon': 3 };

class TooManyErrors extends Error {
  constructor(
    message: string,
    readonly zh: string,
  ) {
    super(message);
  }
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function sqlType(f: FieldSpec): BulkColumn['type'] {
  switch (f.type) {
    case 'number': return 'double precision';
    case 'integer': return 'integer';
    case 'boolean': return 'boolean';
    case 'time': return 'timestamptz';
    case 'date': return 'date';
    default: return 'text';
  }
}

/** The staging table's columns for a layer: row number, the layer's fields, geometry, source CRS. */
function stagingColumns(layer: LayerSpec): BulkColumn[] {
  return [
    { name: 'row_no', type: 'integer' },
    ...layer.fields.map((f) => ({ name: snake(f.name), type: sqlType(f) })),
    { name: 'geom', type: 'geometry' },
    { name: 'source_crs', type: 'text' },
  ];
}

/** Columns that identify a row for upserts (a repeat within one file: the later row wins). */
const KEYS: Record<LayerName, string[]> = {
  admin: ['code'], grids: ['code'], roads: ['external_id'], places: ['external_id'], cameras: ['external_id'], hazards: ['external_id'],
  'patrol-routes': ['external_id'], 'patrol-tracks': ['device_id', 'time'], incidents: ['external_id', 'time'],
};

/**
 * Imports one file into one layer inside the caller's transaction (withScope): all rows or
 * none. A dry run, a file with no acceptable row and an aborted run roll back to a
 * savepoint taken at the start, so the caller's commit writes nothing of them.
 */
export async function runImport(client: Tx, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const layer = LAYERS[options.layer];
  const mapping: MappingFile = typeof options.mapping === 'string' ? readMappingFile(options.mapping) : (options.mapping ?? {});
  const source = await openSource(options.file, { columns: mapping.columns, encoding: options.encoding ?? mapping.encoding });

  const warnings: string[] = [];
  const warningsZh: string[] = [];
  const warn = (w: ImportWarning) => {
    warnings.push(w.en);
    warningsZh.push(w.zh);
  };
  const crsText = options.crs ?? mapping.crs;
  let crs: Crs;
  let crsFrom: string;
  let crsFromZh: string;
  if (crsText) {
    crs = parseCrs(crsText);
    crsFrom = options.crs ? '--crs' : 'the mapping file';
    crsFromZh = options.crs ? '导入时选择' : '映射文件指定';
    if (source.info.declaredCrs && crsLabel(source.info.declaredCrs) !== crsLabel(crs) && source.info.format === 'shapefile') {
      warn({
        en: `The .prj says ${crsLabel(source.info.declaredCrs)} but ${crsFrom} says ${crsLabel(crs)}: ${crsFrom} was used.`,
        zh: `.prj 文件声明为 ${crsLabel(source.info.declaredCrs)},但${crsFromZh}的是 ${crsLabel(crs)}:已按${crsFromZh}的坐标系导入。`,
      });
    }
  } else if (source.info.declaredCrs) {
    crs = source.info.declaredCrs;
    crsFrom = source.info.declaredCrsFrom ?? 'the file';
    crsFromZh = source.info.declaredCrsFromZh ?? '文件声明';
  } else {
    crs = { kind: 'wgs84' };
    crsFrom = 'default (no --crs given and the file does not say)';
    crsFromZh = '默认(未选择坐标系,文件也未声明)';
  }

  const report: ImportReport = {
    layer: layer.name, file: options.displayName ?? path.basename(options.file), format: source.info.format, encoding: source.info.encoding ?? null,
    crs: { source: crsLabel(crs), from: crsFrom, fromZh: crsFromZh }, mapping: {}, unusedColumns: [], read: 0, accepted: 0, rejected: 0, skipped: 0, repaired: 0,
    inserted: 0, updated: 0, warnings, warningsZh, errors: [], errorsOmitted: 0, dryRun: Boolean(options.dryRun), committed: false, aborted: null, abortedZh: null, seconds: 0, stages: {},
  };
  let lapStart = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    report.stages[stage] = Math.round(now - lapStart) / 1000;
    lapStart = now;
  };
  const rejectedRows = new Set<number>();
  const reject = (row: number, field: string, reason: string) => {
    if (!rejectedRows.has(row)) {
      rejectedRows.add(row);
      report.rejected++;
    }
    if (report.errors.length < MAX_LISTED_ERRORS) report.errors.push({ row, field, reason });
    else report.errorsOmitted++;
    if (options.maxErrors !== undefined && report.rejected > options.maxErrors) {
      throw new TooManyErrors(
        `more than ${options.maxErrors} rows were rejected (--max-errors): nothing was imported`,
        `被拒绝的行超过允许的最大错误行数 ${options.maxErrors}:整个文件未导入。`,
      );
    }
  };

  const columns = stagingColumns(layer);
  const stager = new RowBuilder(layer, mapping, crs, reject, warn);
  let savepoint = false;
  try {
    // The first batch is read and checked (columns, values) before the database is touched:
    // a file refused as a whole costs no statement.
    const batches = stager.batches(source, options, report);
    let first: IteratorResult<BulkValue[][]>;
    try {
      first = await batches.next();
    } finally {
      report.mapping = stager.mapping?.fields ?? {};
      report.unusedColumns = stager.mapping?.unused ?? [];
    }
    await client.query(
      `SAVEPOINT import_run; DROP TABLE IF EXISTS import_stage; CREATE TEMP TABLE import_stage (${columns.map((c) => `${c.name} ${c.type}`).join(', ')}) ON COMMIT DROP`,
    );
    savepoint = true;
    async function* all(): AsyncGenerator<BulkValue[][]> {
      if (first.done) return;
      yield first.value;
      yield* batches;
    }
    const staged = await bulkInsert(client, 'import_stage', columns, all(), engineOf(client));
    lap('read and stage');
    const tracks: TrackReport[] = [];
    report.accepted = await finishStage(client, layer, report, reject, crs, warn, staged, { allowOutside: Boolean(options.allowOutside), layer: layer.name, file: report.file, raw: stager.raw, repeatsPossible: stager.repeatsPossible, stagedPoints: stager.points84 }, tracks);
    lap('check');
    if (report.accepted > 0) {
      // statistics matter for the upsert's joins only when the stage is large
      if (report.accepted > 1000) await client.query(`ANALYZE import_stage`);
      if (layer.name === 'patrol-routes' || layer.name === 'patrol-tracks') await client.query(sql('import/patrol-teams.sql'));
      if (layer.bulk) {
        // Partitioned tables: count the updates first; the upsert returns nothing (a million rows).
        const existing = await client.query<{ n: number }>(sql(`import/${layer.name}-existing.sql`));
        if (layer.name === 'incidents') await client.query(sql('import/incidents-lookups.sql'));
        // No row exists yet (the usual first load): a plain INSERT, cheaper than the upsert's
        // speculative insertion; the statement is the same one without its ON CONFLICT clause.
        const upsert = sql(`import/${layer.name}.sql`);
        await client.query(existing.rows[0]!.n === 0 ? upsert.replace(/\nON CONFLICT[\s\S]*$/, '') : upsert);
        report.updated = existing.rows[0]!.n;
        report.inserted = report.accepted - report.updated;
        if (layer.name === 'patrol-tracks') await writeReports(client, tracks, report.file);
      } else {
        const result = await client.query<{ inserted: boolean }>(sql(`import/${layer.name}.sql`));
        report.inserted = result.rows.filter((r) => r.inserted).length;
        report.updated = result.rows.length - report.inserted;
      }
    }
    lap('write');
    report.committed = !options.dryRun && report.accepted > 0;
    await client.query(
      report.committed ? 'DROP TABLE IF EXISTS import_stage, import_grid_parts, import_township_parts; RELEASE SAVEPOINT import_run' : 'ROLLBACK TO SAVEPOINT import_run',
    );
  } catch (err) {
    // before the savepoint nothing was written (and a failed ROLLBACK TO would abort the transaction)
    if (savepoint) await client.query('ROLLBACK TO SAVEPOINT import_run').catch(() => {});
    if (err instanceof TooManyErrors) {
      report.aborted = err.message;
      report.abortedZh = err.zh;
    } else throw err;
  }
  report.seconds = Math.round(performance.now() - started) / 1000;
  return report;
}

/**
 * Checks the staged rows in PostGIS: repeated keys, invalid geometries (repaired or
 * rejected), layer rules, CRS fit. Returns the rows left to write.
 */
async function finishStage(
  client: pg.PoolClient, layer: LayerSpec, report: ImportReport, reject: (row: number, field: string, reason: string) => void, crs: Crs,
  warn: (w: ImportWarning) => void, staged: number, crsCheck: Omit<CrsCheckOptions, 'staged'> & { repeatsPossible: boolean },
  /** patrol-tracks: the cleaning report of every track, filled here. */
  tracks?: TrackReport[],
): Promise<number> {
  if (staged === 0) {
    for (const w of await checkCrsFit(client, crs, { ...crsCheck, staged: 0 })) warn(w);
    return 0;
  }
  let left = staged;
  const key = KEYS[layer.name];
  if (report.read > 10_000 && crsCheck.repeatsPossible) await client.query(`CREATE INDEX ON import_stage (${key.join(', ')})`);
  // GPS tracks: a repeated device+time is the cleaning rule "duplicate" (the first fix is kept, the repeat reported)
  const dups = !crsCheck.repeatsPossible || layer.name === 'patrol-tracks' ? { rows: [] as { dropped: number; kept: number }[] } : await client.query<{ dropped: number; kept: number }>(
    `DELETE FROM import_stage a USING import_stage b
     WHERE ${key.map((k) => `a.${k} = b.${k}`).join(' AND ')} AND b.row_no > a.row_no
     RETURNING a.row_no AS dropped, b.row_no AS kept`,
  );
  const dropped = new Map<number, number>();
  for (const d of dups.rows) dropped.set(d.dropped, Math.max(d.kept, dropped.get(d.dropped) ?? 0));
  if (dropped.size) {
    const sample = [...dropped].slice(0, 5).map(([d, k]) => `row ${d} (repeated in row ${k})`).join(', ');
    const sampleZh = [...dropped].slice(0, 5).map(([d, k]) => `第 ${d} 行(与第 ${k} 行重复)`).join('、');
    const keyZh = key.map((k) => FIELD_ZH[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] ?? k).join('+');
    warn({
      en: `${dropped.size} rows repeat the ${key.join('+')} of a later row in the same file; the later row was kept: ${sample}${dropped.size > 5 ? ', …' : ''}.`,
      zh: `${dropped.size} 行的${keyZh}与文件中后面的行重复,已保留后面的行:${sampleZh}${dropped.size > 5 ? '等' : ''}。`,
    });
    report.skipped += dropped.size;
    left -= dropped.size;
  }

  // Points built from finite coordinates are always valid: only lines and polygons are checked.
  const invalid = layer.geometry === 'point' ? { rows: [] } : await client.query<{ row_no: number; reason: string }>(sql('import/invalid-geometries.sql'));
  if (invalid.rows.length) {
    const repaired = await client.query<{ row_no: number; empty: boolean; valid: boolean }>(sql('import/repair-geometries.sql'), [GEOMETRY_DIMENSION[layer.geometry], invalid.rows.map((r) => r.row_no)]);
    const reasons = new Map(invalid.rows.map((r) => [r.row_no, r.reason]));
    const failed: number[] = [];
    for (const r of repaired.rows) {
      if (r.empty || !r.valid) {
        failed.push(r.row_no);
        reject(r.row_no, 'geometry', `invalid geometry (${reasons.get(r.row_no)}) that ST_MakeValid cannot repair into a ${layer.geometry}`);
      } else {
        report.repaired++;
        if (report.repaired <= 20) warn({ en: `Row ${r.row_no}: invalid geometry (${reasons.get(r.row_no)}) repaired with ST_MakeValid.`, zh: `第 ${r.row_no} 行:几何无效(${geometryReasonZh(reasons.get(r.row_no) ?? '')}),已自动修复。` });
      }
    }
    if (report.repaired > 20) warn({ en: `… ${report.repaired - 20} more geometries repaired.`, zh: `……另有 ${report.repaired - 20} 个几何已自动修复。` });
    if (failed.length) await client.query('DELETE FROM import_stage WHERE row_no = ANY($1::int[])', [failed]);
    left -= failed.length;
  }

  if (layer.name === 'admin') {
    const orphans = await client.query<{ row_no: number; parent_code: string }>(sql('import/admin-orphans.sql'));
    for (const o of orphans.rows) reject(o.row_no, 'parentCode', `parent area ${o.parent_code} is neither in the database nor in this file: import the higher level first`);
    if (orphans.rows.length) await client.query('DELETE FROM import_stage WHERE row_no = ANY($1::int[])', [orphans.rows.map((o) => o.row_no)]);
    left -= orphans.rows.length;
  }
  // the importer's own list of the staged points holds only while no staged row was removed
  const stagedPoints = left === staged && crsCheck.stagedPoints?.length === staged ? crsCheck.stagedPoints : null;
  for (const w of await checkCrsFit(client, crs, { ...crsCheck, staged: left, stagedPoints })) warn(w);
  if (layer.name === 'patrol-tracks' && tracks && left > 0) {
    tracks.push(...await cleanStage(client, report.file));
    const removed = tracks.reduce((a, t) => a + t.drops.length, 0);
    const summary = cleaningSummary(tracks);
    if (summary) warn(summary);
    report.cleaned = tracks.map(({ drops, ...t }) => ({ ...t, drops: drops.slice(0, 20) }));
    report.skipped += removed;
    left -= removed;
  }
  return left;
}

/** Turns source records into staged rows, reporting every rejected row. */
class RowBuilder {
  mapping: ResolvedMapping | null = null;
  /** The first positions as the file writes them (for the CRS check's suggestions). */
  readonly raw: LonLat[] = [];
  /** WGS-84 positions of the staged rows while they are all points and at most CRS_SAMPLE (else null). */
  points84: LonLat[] | null = [];
  private lastPoint: LonLat | null = null;
  /** Whether two staged rows may share a key (false: every key was seen once, the stage needs no de-duplication). */
  repeatsPossible = false;
  private readonly keysSeen = new Set<string>();
  private readonly keyFields: string[];
  private readonly project: PositionTransform;
  private readonly crsName: string;
  private swapWarned = false;

  constructor(
    private readonly layer: LayerSpec,
    private readonly file: MappingFile,
    private readonly crs: Crs,
    private readonly reject: (row: number, field: string, reason: string) => void,
    private readonly warn: (w: ImportWarning) => void,
  ) {
    this.project = toWgs84(crs);
    this.crsName = crsLabel(crs);
    this.keyFields = KEYS[layer.name].map((k) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
  }

  /** Keys are tracked in memory for files up to KEYS_TRACKED rows; beyond that the stage is de-duplicated in SQL. */
  private noteKey(values: Record<string, BulkValue>) {
    if (this.repeatsPossible) return;
    if (this.keysSeen.size >= KEYS_TRACKED) {
      this.repeatsPossible = true;
      this.keysSeen.clear();
      return;
    }
    const key = this.keyFields.map((f) => { const v = values[f]; return v instanceof Date ? v.toISOString() : String(v); }).join('\u0000');
    if (this.keysSeen.has(key)) this.repeatsPossible = true;
    else this.keysSeen.add(key);
  }

  async *batches(source: Source, options: ImportOptions, report: ImportReport): AsyncGenerator<BulkValue[][]> {
    const size = this.layer.bulk ? BULK_BATCH_ROWS : BATCH_ROWS;
    let batch: BulkValue[][] = [];
    for await (const raw of source.records) {
      const transformed = options.transform ? options.transform(raw) : raw;
      if (!transformed) continue;
      for (const record of this.explode(transformed)) {
      report.read++;
      if (!this.mapping) {
        this.mapping = resolveMapping(Object.keys(record.fields), this.layer, this.file, { collectMissing: true });
        this.checkMapping(source);
      }
      const row = this.build(record, report);
      if (row) batch.push(row);
      if (batch.length >= size) {
        options.onProgress?.(report.read);
        yield batch;
        batch = [];
      }
      }
    }
    if (!this.mapping) this.warn({ en: 'The file holds no data rows.', zh: '文件中没有数据行。' });
    options.onProgress?.(report.read);
    if (batch.length) yield batch;
  }

  /**
   * GPS tracks (GPX, or GeoJSON with coordinateProperties.times) arrive as lines with a time
   * per vertex; the patrol-tracks layer takes one row per fix, numbered through the file.
   */
  private *explode(record: SourceRecord): Generator<SourceRecord> {
    const g = record.geometry;
    const { coordinateProperties, ...fields } = record.fields as { coordinateProperties?: { times?: unknown } } & Record<string, unknown>;
    const times = coordinateProperties?.times;
    if (this.layer.name !== 'patrol-tracks' || !g || !Array.isArray(times) || (g.type !== 'LineString' && g.type !== 'MultiLineString')) {
      yield record;
      return;
    }
    const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    const timeLists = (g.type === 'LineString' ? [times] : times) as unknown[][];
    if (!Array.isArray(lines) || !lines.every(Array.isArray)) {
      yield record; // malformed: rejected row by row as a line where points are expected
      return;
    }
    const deviceId = fields.deviceId ?? fields.name ?? `track-${record.row}`;
    for (const [li, line] of lines.entries()) {
      for (const [pi, p] of line.entries()) {
        yield { row: ++this.fixNo, fields: { ...fields, deviceId, time: Array.isArray(timeLists[li]) ? (timeLists[li][pi] ?? null) : null }, geometry: { type: 'Point', coordinates: p } };
      }
    }
  }

  private fixNo = 0;

  /** Every column the layer needs and the file lacks, reported at once with the columns it has. */
  private checkMapping(source: Source) {
    const m = this.mapping!;
    const constants = this.file.constants ?? {};
    const headers = [...m.unused, ...Object.values(m.fields).filter((h): h is string => Boolean(h))];
    // as many columns as a sentence can hold, each cut to a readable length
    const seen = headers.slice(0, 30).map((h) => clip(h, 40)).concat(headers.length > 30 ? [`… (${headers.length - 30} more)`] : []);
    const missing: { en: string; zh: string }[] = [];
    for (const [field, column] of Object.entries(m.missingNamed)) {
      missing.push({ en: `${field} (the mapping names column "${clip(column, 40)}", which the file does not have)`, zh: `${FIELD_ZH[field] ?? field}(映射文件指定的列“${clip(column, 40)}”不存在)` });
    }
    for (const f of this.layer.fields) {
      if (!f.required || m.fields[f.name] || f.name in constants || f.name in m.missingNamed) continue;
      const zhAliases = [...new Set(f.aliases.filter((a) => /[\u4e00-\u9fa5]/.test(a)))].slice(0, 3);
      missing.push({ en: `${f.name} (e.g. ${f.aliases.slice(0, 3).join(' / ')})`, zh: `${FIELD_ZH[f.name] ?? f.name}(列名如 ${(zhAliases.length ? zhAliases : f.aliases.slice(0, 3)).join('、')})` });
    }
    const geoFormat = source.info.format !== 'csv' && source.info.format !== 'xlsx';
    const coordinateNamed = ['lon', 'lat', 'x', 'y', 'wkt'].some((f) => f in m.missingNamed);
    if (!geoFormat && !coordinateNamed && !((m.fields.lon && m.fields.lat) || (m.fields.x && m.fields.y) || m.fields.wkt) && !this.layer.geometryOptional) {
      missing.push({
        en: 'coordinates (经度/纬度 or 东经/北纬 or lon/lat; X/Y坐标 for projected systems; or wkt for lines and polygons)',
        zh: '坐标(经度/纬度、东经/北纬 或 lon/lat;投影坐标用 X坐标/Y坐标;线和面用 WKT)',
      });
    }
    if (!missing.length) return;
    const format = source.info.format.toUpperCase();
    throw new ImportError(
      `Missing column${missing.length > 1 ? 's' : ''} for ${missing.map((x) => x.en).join('; ')}. The ${format} has the columns [${seen.join(', ')}]: rename the columns or map them with --mapping.`,
      `文件缺少以下字段对应的列:${missing.map((x) => x.zh).join(';')}。文件中的列:${seen.length ? seen.join('、').replace(/… \((\d+) more\)/, '等另外 $1 列') : '(无)'}。请修改表头的列名,或上传映射文件指定各字段对应的列。`,
    );
  }

  private value(record: SourceRecord, name: string): unknown {
    const header = this.mapping!.fields[name];
    let v = header ? record.fields[header] : this.file.constants?.[name];
    if (header && isBlank(v) && this.file.constants?.[name] !== undefined) v = this.file.constants[name];
    const map = this.file.values?.[name];
    if (map && !isBlank(v)) {
      const s = text(v);
      if (s in map) v = map[s];
    }
    return v;
  }

  private build(record: SourceRecord, report: ImportReport): BulkValue[] | null {
    const { row } = record;
    let ok = true;
    const fail = (field: string, reason: string) => {
      ok = false;
      this.reject(row, field, reason);
    };
    for (const [field, allowed] of Object.entries(this.file.include ?? {})) {
      if (!allowed.includes(text(this.value(record, field) ?? ''))) {
        report.skipped++;
        return null;
      }
    }
    const values: Record<string, BulkValue> = {};
    for (const f of this.layer.fields) {
      const v = this.value(record, f.name);
      if (isBlank(v)) {
        if (f.required) fail(f.name, `${f.name} is empty`);
        values[f.name] = null;
        continue;
      }
      const parsed = this.parseField(f, v);
      if (!parsed.ok) fail(f.name, parsed.reason);
      else values[f.name] = parsed.value;
    }
    const geometry = this.geometry(record, fail);
    if (!ok) return null;
    if (!this.normalize(values, geometry, fail, row)) return null;
    if (geometry === undefined && !this.layer.geometryOptional) {
      fail('geometry', 'no coordinates');
      return null;
    }
    this.noteKey(values);
    if (this.points84) {
      if (this.lastPoint && this.points84.length < CRS_SAMPLE) this.points84.push(this.lastPoint);
      else this.points84 = null;
    }
    return [row, ...this.layer.fields.map((f) => values[f.name] ?? null), geometry ?? null, this.crsName];
  }

  private parseField(f: FieldSpec, v: unknown): { ok: true; value: BulkValue } | { ok: false; reason: string } {
    switch (f.type) {
      case 'text': {
        const t = text(v);
        // PostgreSQL text cannot hold NUL; other control characters are kept as they are
        return t.includes('\u0000') ? { ok: false, reason: 'contains a NUL character (binary data in a text field)' } : { ok: true, value: t };
      }
      case 'number':
      case 'integer': {
        const n = f.type === 'integer' ? parseInteger(v) : f.name === 'azimuth' ? parseAzimuth(v) : parseNumber(v);
        if (!n.ok) return n;
        if (f.min !== undefined && n.value < f.min) return { ok: false, reason: `${n.value} is below the minimum ${f.min}` };
        if (f.max !== undefined && n.value > f.max) return { ok: false, reason: `${n.value} is above the maximum ${f.max}` };
        return n;
      }
      case 'boolean': return parseBoolean(v);
      case 'time': return parseTime(v, this.file.utcOffsetHours ?? 8);
      case 'date': return parseDate(v);
      case 'code': {
        const code = lookupCode(f.dictionary!, text(v));
        return code === null ? { ok: false, reason: `unknown ${f.name} '${clip(text(v))}' (known: ${knownCodes(f.dictionary!)} …)` } : { ok: true, value: code };
      }
    }
  }

  /** EWKT in WGS-84, undefined when the record has no position, null after a reported failure. */
  private geometry(record: SourceRecord, fail: (field: string, reason: string) => void): string | null | undefined {
    const m = this.mapping!.fields;
    let g: Geometry | null | undefined = record.geometry;
    const wkt = m.wkt ? this.value(record, 'wkt') : undefined;
    if (!g && !isBlank(wkt)) {
      try {
        g = wkx.Geometry.parse(text(wkt).replace(/^SRID=\d+;/i, '')).toGeoJSON() as Geometry;
      } catch (err) {
        fail('wkt', `not WKT: ${clip((err as Error).message)}`);
        return null;
      }
    }
    if (!g) {
      // Lon/lat columns for geographic systems, x/y for projected ones; a file with only
      // the other pair (X坐标/Y坐标 holding degrees, 经度/纬度 holding metres) uses that.
      const geographic = isGeographic(this.crs);
      const lonLat = Boolean(m.lon && m.lat);
      const xy = Boolean(m.x && m.y);
      const [xField, yField] = (geographic ? lonLat || !xy : !xy && lonLat) ? ['lon', 'lat'] : ['x', 'y'];
      const xv = this.value(record, xField!);
      const yv = this.value(record, yField!);
      if (isBlank(xv) && isBlank(yv)) return undefined;
      const x = parseNumber(xv);
      const y = parseNumber(yv);
      if (!x.ok || !y.ok) {
        if (!x.ok) fail(xField!, x.reason);
        if (!y.ok) fail(yField!, y.reason);
        return null;
      }
      g = { type: 'Point', coordinates: this.orderAxes(x.value, y.value) };
    }
    const first = firstPosition(g);
    if (first && this.raw.length < RAW_SAMPLE) this.raw.push(first);
    this.lastPoint = null;
    try {
      const converted = this.convert(g);
      return converted;
    } catch (err) {
      fail('geometry', err instanceof GeometryError ? err.message : MALFORMED);
      return null;
    }
  }

  /** Chinese survey tables write X for northing and Y for easting; swap when the numbers say so. */
  private orderAxes(x: number, y: number): Position {
    if (this.crs.kind !== 'projected') return [x, y];
    const eastingLooksLikeNorthing = x > 1_500_000 && x < 7_000_000 && (y < 1_000_000 || y > 10_000_000);
    if (eastingLooksLikeNorthing) {
      if (!this.swapWarned) {
        this.warn({
          en: 'X/Y look swapped (surveying convention: X = northing, Y = easting): read as easting = Y, northing = X.',
          zh: 'X/Y 为测绘习惯(X 为北坐标、Y 为东坐标):已按 东坐标 = Y、北坐标 = X 读取。',
        });
        this.swapWarned = true;
      }
      return [y, x];
    }
    return [x, y];
  }

  private convert(g: Geometry): string {
    const kind = this.layer.geometry;
    const allowed =
      kind === 'point' ? ['Point', 'MultiPoint'] : kind === 'line' ? ['LineString', 'MultiLineString'] : kind === 'polygon' ? ['Polygon', 'MultiPolygon'] : ['Point', 'MultiPoint', 'Polygon', 'MultiPolygon'];
    if (!allowed.includes(g.type)) throw new GeometryError(`expected a ${kind} geometry, got ${String(g.type).slice(0, 40)}`);
    if (!Array.isArray((g as { coordinates?: unknown }).coordinates)) throw new GeometryError(MALFORMED);
    if (g.type === 'MultiPoint') {
      if (g.coordinates.length !== 1) throw new GeometryError(`expected one point, got a MultiPoint of ${g.coordinates.length}`);
      g = { type: 'Point', coordinates: g.coordinates[0]! };
    }
    g = checkedShape(g);
    const checkPosition = ([lon, lat]: [number, number], input: Position) => {
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
        const hint = isGeographic(this.crs) && Math.abs(input[0]!) > 180 ? ' (projected metres? give --crs EPSG:<code>)' : '';
        throw new GeometryError(`coordinate [${input.slice(0, 3).join(', ')}] is not a valid position in ${this.crsName}${hint}`);
      }
    };
    try {
      const wkt = `SRID=4326;${geometryToWkt(g, this.project, checkPosition)}`;
      if (g.type === 'Point') this.lastPoint = this.project(g.coordinates[0]!, g.coordinates[1]!);
      return wkt;
    } catch (err) {
      if (err instanceof GeometryError) throw err;
      const m = /^coordinate is not a number: (.*)$/.exec((err as Error).message);
      throw new GeometryError(m ? `coordinate is not a number: ${clip(m[1]!)}` : MALFORMED);
    }
  }

  /** Layer rules that need several fields at once; false when the row was rejected. */
  private normalize(v: Record<string, BulkValue>, geometry: string | null | undefined, fail: (field: string, reason: string) => void, row: number): boolean {
    switch (this.layer.name) {
      case 'admin': {
        const code = String(v.code);
        if (!/^\d{12}$/.test(code)) {
          if (/^\d{6}$/.test(code)) v.code = code.padEnd(12, '0');
          else {
            fail('code', `'${code}' is not a 12-digit statistical code`);
            return false;
          }
        }
        const c = String(v.code);
        v.level ??= c.endsWith('000000') ? 'county' : c.endsWith('000') ? 'township' : 'village';
        if (v.level === 'county') v.parentCode = null;
        else v.parentCode ??= v.level === 'township' ? `${c.slice(0, 6)}000000` : `${c.slice(0, 9)}000`;
        return true;
      }
      case 'cameras': {
        if (v.cameraType === null) v.cameraType = v.fov === 360 ? 'dome' : 'fixed';
        if (v.cameraType !== 'fixed' && v.fov === null) v.fov = 360;
        v.status ??= 'unknown';
        v.externalId ??= (v.gbId as string | null) ?? `row-${hash([String(v.name), geometry ?? ''])}`;
        return true;
      }
      case 'incidents':
        v.source ??= 'other';
        v.status ??= 'received';
        v.severity ??= 'ordinary';
        v.externalId ??= `row-${hash([String(v.time instanceof Date ? v.time.toISOString() : v.time), String(v.category), geometry ?? ''])}`;
        return true;
      case 'roads':
      case 'places':
      case 'hazards':
      case 'patrol-routes':
        v.externalId ??= `row-${hash([String(v.name ?? ''), geometry ?? '', String(row)])}`;
        return true;
      default:
        return true;
    }
  }
}

/** A geometry problem of one row, with a reason the report lists (reason-zh.ts translates it). */
class GeometryError extends Error {}

const MALFORMED = 'malformed geometry (its coordinates are not nested as the geometry type needs)';

/**
 * The geometry with the shape PostGIS's parser requires, or a GeometryError: lines of at
 * least two points, polygons of at least one ring, rings closed (an open ring, as KML
 * editors write them, is closed by repeating its first point) of at least four points.
 */
function checkedShape(g: Geometry): Geometry {
  const positions = (p: unknown): p is Position[] => Array.isArray(p) && p.every((q) => Array.isArray(q));
  const line = (l: unknown): Position[] => {
    if (!positions(l)) throw new GeometryError(MALFORMED);
    if (l.length < 2) throw new GeometryError('a line needs at least two points');
    return l;
  };
  const ring = (r: unknown): Position[] => {
    if (!positions(r)) throw new GeometryError(MALFORMED);
    const [a, z] = [r[0], r[r.length - 1]];
    const closed = r.length > 0 && a![0] === z![0] && a![1] === z![1] ? r : r.length ? [...r, a!] : r;
    if (closed.length < 4) throw new GeometryError('a polygon ring needs at least four points');
    return closed;
  };
  const polygon = (p: unknown): Position[][] => {
    if (!Array.isArray(p) || p.length === 0) throw new GeometryError(MALFORMED);
    return p.map(ring);
  };
  const list = (c: unknown): unknown[] => {
    if (!Array.isArray(c) || c.length === 0) throw new GeometryError(MALFORMED);
    return c;
  };
  switch (g.type) {
    case 'Point': return g;
    case 'LineString': return { type: 'LineString', coordinates: line(g.coordinates) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: list(g.coordinates).map(line) };
    case 'Polygon': return { type: 'Polygon', coordinates: polygon(g.coordinates) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: list(g.coordinates).map(polygon) };
    default: return g;
  }
}

const RAW_SAMPLE = 400;
const KEYS_TRACKED = 100_000;

/** The first position of a geometry, when it has one made of two finite numbers. */
function firstPosition(g: Geometry): LonLat | null {
  let c: unknown = g.type === 'GeometryCollection' ? (g.geometries?.[0] as { coordinates?: unknown } | undefined)?.coordinates : (g as { coordinates?: unknown }).coordinates;
  for (let depth = 0; depth < 5 && Array.isArray(c) && Array.isArray(c[0]); depth++) c = c[0];
  if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) return null;
  return [c[0], c[1]];
}

function hash(parts: string[]): string {
  return crypto.createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

