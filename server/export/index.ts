// Export of any layer as GeoJSON, CSV or XLSX, in WGS-84, GCJ-02, BD-09 or CGCS2000,
// with the same field names the importer reads, so exported files import again.
// Every row's sourceCrs is the system its coordinates are written in (the export's
// --crs); importedCrs is the system the row was originally imported from.
// Rows are read in pages (keyset on id) so a large layer never sits in memory whole.
import fs from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Geometry } from 'geojson';
import { many } from '../db/index';
import { townshipsOf, type Tx } from '../db/scope';
import { audit } from '../audit';
import { crsLabel, fromWgs84, parseCrs } from '../crs';
import { geometryToWkt, transformGeometry } from '../geo/wkt';
import type { LayerName } from '../import/layers';
import { ImportError, UserError } from '../errors';

export type ExportFormat = 'geojson' | 'csv' | 'xlsx';

const PAGE = 10_000;

// Per layer: the table, its geometry expression, and columns under the importer's field names.
const EXPORTS: Record<LayerName, { table: string; geom: string; columns: [string, string][] }> = {
  admin: { table: 'admin_areas', geom: 'coalesce(geom, centre)', columns: [['code', 'code'], ['name', 'name'], ['level', 'level'], ['parent_code', 'parentCode'], ['population', 'population'], ['households', 'households'], ['derived', 'derived'], ['source_crs', 'importedCrs']] },
  grids: { table: 'grids', geom: 'geom', columns: [['code', 'code'], ['name', 'name'], ['village_code', 'villageCode'], ['township_code', 'townshipCode'], ['worker_name', 'workerName'], ['worker_phone', 'workerPhone'], ['households', 'households'], ['population', 'population'], ['source_crs', 'importedCrs']] },
  roads: { table: 'roads', geom: 'geom', columns: [['external_id', 'externalId'], ['name', 'name'], ['road_class', 'roadClass'], ['source_crs', 'importedCrs']] },
  places: { table: 'places', geom: 'geom', columns: [['external_id', 'externalId'], ['name', 'name'], ['place_type', 'placeType'], ['address', 'address'], ['township_code', 'townshipCode'], ['source_crs', 'importedCrs']] },
  cameras: { table: 'cameras', geom: 'geom', columns: [['external_id', 'externalId'], ['gb_id', 'gbId'], ['name', 'name'], ['azimuth_deg', 'azimuth'], ['fov_deg', 'fov'], ['range_m', 'range'], ['mount_height_m', 'height'], ['camera_type', 'cameraType'], ['smart', 'smart'], ['networked', 'networked'], ['status', 'status'], ['last_seen_at', 'lastSeenAt'], ['owner', 'owner'], ['installed_on', 'installedOn'], ['township_code', 'townshipCode'], ['source_crs', 'importedCrs']] },
  hazards: { table: 'hazards', geom: 'geom', columns: [['external_id', 'externalId'], ['hazard_type', 'hazardType'], ['name', 'name'], ['risk_level', 'riskLevel'], ['threatened_households', 'threatenedHouseholds'], ['threatened_people', 'threatenedPeople'], ['monitor_name', 'monitorName'], ['monitor_phone', 'monitorPhone'], ['township_code', 'townshipCode'], ['source_crs', 'importedCrs']] },
  'patrol-routes': { table: 'patrol_routes', geom: 'geom', columns: [['external_id', 'externalId'], ['name', 'name'], ['(SELECT t.name FROM patrol_teams t WHERE t.id = team_id)', 'team'], ['source_crs', 'importedCrs']] },
  'patrol-tracks': { table: 'patrol_track_points', geom: 'geom', columns: [['device_id', 'deviceId'], ['recorded_at', 'time'], ['speed_kmh', 'speed'], ['(SELECT t.name FROM patrol_teams t WHERE t.id = team_id)', 'team'], ['source_crs', 'importedCrs']] },
  incidents: { table: 'incidents', geom: 'geom', columns: [['external_id', 'externalId'], ['occurred_at', 'time'], ['category_code', 'category'], ['source', 'source'], ['severity', 'severity'], ['status', 'status'], ['summary', 'summary'], ['township_code', 'townshipCode'], ['grid_code', 'gridCode'], ['source_crs', 'importedCrs']] },
};

interface Row {
  id: number;
  props: Record<string, unknown>;
  geometry: Geometry | null;
}

async function* pages(tx: Tx, layer: LayerName): AsyncGenerator<Row[]> {
  const e = EXPORTS[layer];
  const props = `jsonb_build_object(${e.columns.map(([col, name]) => `'${name}', ${col}`).join(', ')})`;
  // the township filter repeats row-level security for the embedded engine (README); admin areas and roads have no township rows
  const scoped = e.table !== 'admin_areas' && e.table !== 'roads';
  const text = `SELECT id, ${props} AS props, ST_AsGeoJSON(${e.geom}, 9)::jsonb AS geometry FROM ${e.table}
    WHERE id > $1 ${scoped ? 'AND ($2::text[] IS NULL OR township_code = ANY($2))' : ''} ORDER BY id LIMIT ${PAGE}`;
  let last = 0;
  for (;;) {
    const rows = await many<Row>(text, scoped ? [last, townshipsOf(tx)] : [last], `exporting ${layer}`, tx);
    if (rows.length === 0) return;
    yield rows;
    last = rows[rows.length - 1]!.id;
  }
}

export interface ExportOptions {
  layer: LayerName;
  format: ExportFormat;
  crs: string;
  /** A file path; standard output when omitted. */
  out?: string;
}

/** Writes a layer as far as `tx`'s actor may see it (row-level security); audited with the row count. */
export async function exportLayer(tx: Tx, options: ExportOptions): Promise<{ rows: number; crs: string }> {
  const crs = parseCrs(options.crs);
  if (crs.kind === 'projected') throw new ImportError('Export writes lon/lat: use --crs wgs84, gcj02, bd09 or cgcs2000.', '导出只能使用经纬度坐标系:请选择 WGS-84、GCJ-02(国测局)、BD-09(百度)或 CGCS2000。');
  if (options.format === 'xlsx' && !options.out && process.stdout.isTTY) throw binaryToTerminal();
  const project = fromWgs84(crs);
  const label = crsLabel(crs);
  const out: Writable = options.out ? fs.createWriteStream(options.out) : process.stdout;
  // a reader that goes away (`| head`) ends the export instead of failing it as a database error
  let closed: Error | null = null;
  let pass: PassThrough | null = null;
  const onError = (err: NodeJS.ErrnoException) => {
    closed = err;
    // let the workbook writer finish into nothing
    pass?.unpipe(process.stdout);
    pass?.resume();
  };
  if (!options.out) process.stdout.on('error', onError);
  const write = async (s: string) => {
    if (closed) throw new OutputClosed();
    try {
      if (!out.write(s)) await once(out, 'drain');
    } catch (err) {
      if (closed) throw new OutputClosed();
      throw err;
    }
    if (closed) throw new OutputClosed();
  };
  try {
    return await writeLayer();
  } finally {
    if (!options.out) process.stdout.off('error', onError);
  }

  async function writeLayer(): Promise<{ rows: number; crs: string }> {
    const fields = [...EXPORTS[options.layer].columns.map(([, name]) => name), 'sourceCrs'];
    const value = (r: Row, f: string) => (f === 'sourceCrs' ? label : cell(r.props[f]));
    let count = 0;

    if (options.format === 'xlsx') {
      // A pipe never ends standard output, so the workbook goes through a stream of its own:
      // that stream's 'finish' is what the writer's commit waits for.
      pass = options.out ? null : new PassThrough();
      pass?.pipe(process.stdout, { end: false });
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: pass ?? out, useSharedStrings: false });
      const sheet = workbook.addWorksheet(options.layer);
      const headers = [...fields, 'lon', 'lat', 'wkt'];
      sheet.addRow(headers).commit();
      for await (const page of pages(tx, options.layer)) {
        for (const r of page) {
          const [lon, lat, wkt] = flatGeometry(r.geometry, project);
          sheet.addRow([...fields.map((f) => value(r, f)), lon, lat, wkt]).commit();
          count++;
        }
      }
      sheet.commit();
      await workbook.commit();
      if (pass) {
        // everything passed on to standard output, and flushed, before the command returns
        if (!pass.readableEnded) await once(pass, 'end');
        if (closed) throw new OutputClosed();
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      }
      await audit(tx, { action: 'export.layer', object: options.layer, rows: count, detail: { format: options.format, crs: crsLabel(crs) } });
      return { rows: count, crs: crsLabel(crs) };
    }

    if (options.format === 'csv') {
      await write('\uFEFF' + stringify([[...fields, 'lon', 'lat', 'wkt']])); // BOM: Excel opens UTF-8 CSV correctly
      for await (const page of pages(tx, options.layer)) {
        await write(stringify(page.map((r) => [...fields.map((f) => value(r, f)), ...flatGeometry(r.geometry, project)])));
        count += page.length;
      }
    } else {
      await write(`{"type":"FeatureCollection","crs_note":${JSON.stringify(`coordinates in ${crsLabel(crs)}`)},"features":[\n`);
      for await (const page of pages(tx, options.layer)) {
        const text = page
          .map((r) => JSON.stringify({ type: 'Feature', properties: { ...r.props, sourceCrs: label }, geometry: r.geometry ? transformGeometry(r.geometry, project) : null }))
          .join(',\n');
        await write((count > 0 ? ',\n' : '') + text);
        count += page.length;
      }
      await write('\n]}\n');
    }
    if (options.out) {
      out.end();
      await once(out, 'finish');
    }
    await audit(tx, { action: 'export.layer', object: options.layer, rows: count, detail: { format: options.format, crs: crsLabel(crs) } });
    return { rows: count, crs: crsLabel(crs) };
  }
}

/** Standard output was closed by its reader before the export finished (EPIPE). */
export class OutputClosed extends UserError {
  override name = 'OutputClosed';
  constructor() {
    super('Standard output was closed before the export finished.', '导出未完成:输出被提前关闭。');
  }
}

/** XLSX is binary: written to a terminal it is garbage and can upset the terminal. */
export function binaryToTerminal(): UserError {
  return new UserError(
    'XLSX is a binary format and standard output is a terminal: give --out file.xlsx, or redirect standard output to a file or a pipe.',
    'XLSX 是二进制格式,不能输出到终端:请指定输出文件。',
  );
}

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number | boolean;
}

/** lon, lat for points; WKT for everything else. */
function flatGeometry(g: Geometry | null, project: (x: number, y: number) => [number, number]): [number | null, number | null, string | null] {
  if (!g) return [null, null, null];
  if (g.type === 'Point') {
    const [lon, lat] = project(g.coordinates[0]!, g.coordinates[1]!);
    return [Math.round(lon * 1e8) / 1e8, Math.round(lat * 1e8) / 1e8, null];
  }
  return [null, null, geometryToWkt(g, project)];
}
