// OpenStreetMap extracts: one file fills three layers — roads (highway=*), key places
// (amenity/shop/tourism/railway/office tags) and cameras (man_made=surveillance with
// their camera:* tags) — in one transaction. Chinese road refs (G/S/X/Y/C + number)
// decide the road class where present; otherwise the highway tag does.
import defaults from '../../geodata/import-defaults.json';
import type { Tx } from '../db/scope';
import { lookupCode } from './dictionaries';
import { runImport, type ImportOptions, type ImportReport } from './pipeline';
import type { SourceRecord } from './readers';

const ROAD_HIGHWAYS = new Set([
  'motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'service', 'living_street', 'pedestrian', 'track', 'road',
  'motorway_link', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
]);
const PLACE_KEYS = ['amenity', 'shop', 'tourism', 'railway', 'public_transport', 'office', 'leisure', 'landuse'];
const CARDINAL: Record<string, number> = { N: 0, NNE: 22.5, NE: 45, ENE: 67.5, E: 90, ESE: 112.5, SE: 135, SSE: 157.5, S: 180, SSW: 202.5, SW: 225, WSW: 247.5, W: 270, WNW: 292.5, NW: 315, NNW: 337.5 };

const tag = (r: SourceRecord, k: string) => (r.fields[k] === undefined ? undefined : String(r.fields[k]));
const osmId = (r: SourceRecord) => `osm-${String(r.fields.id ?? r.row).replace('/', '-')}`;
const label = (r: SourceRecord) => tag(r, 'name:zh') ?? tag(r, 'name');

function roadRecord(r: SourceRecord): SourceRecord | null {
  const highway = tag(r, 'highway');
  if (!highway || !ROAD_HIGHWAYS.has(highway) || !r.geometry || !/LineString/.test(r.geometry.type)) return null;
  const ref = tag(r, 'ref')?.trim().charAt(0).toUpperCase();
  const roadClass = ref && 'GSXYC'.includes(ref) ? ref : highway;
  return { row: r.row, geometry: r.geometry, fields: { id: osmId(r), name: label(r) ?? tag(r, 'ref') ?? null, roadClass } };
}

function placeRecord(r: SourceRecord): SourceRecord | null {
  if (tag(r, 'man_made') === 'surveillance' || tag(r, 'highway')) return null;
  for (const k of PLACE_KEYS) {
    const v = tag(r, k);
    if (!v) continue;
    const type = lookupCode('placeType', v) ?? (k === 'railway' && v === 'station' ? 'station' : k === 'office' && v === 'government' ? 'government' : null);
    if (!type) continue;
    const address = [tag(r, 'addr:city'), tag(r, 'addr:street'), tag(r, 'addr:housenumber')].filter(Boolean).join('') || null;
    return { row: r.row, geometry: r.geometry, fields: { id: osmId(r), name: label(r) ?? `${v} (${osmId(r)})`, placeType: type, address } };
  }
  return null;
}

function cameraRecord(r: SourceRecord): SourceRecord | null {
  if (tag(r, 'man_made') !== 'surveillance' || r.geometry?.type !== 'Point') return null;
  const d = defaults.osmCamera;
  const type = tag(r, 'camera:type') ?? 'fixed';
  const fixed = lookupCode('cameraType', type) === 'fixed';
  const dir = tag(r, 'camera:direction')?.trim().toUpperCase();
  const azimuth = dir === undefined ? null : dir in CARDINAL ? CARDINAL[dir] : dir;
  return {
    row: r.row,
    geometry: r.geometry,
    fields: {
      id: osmId(r),
      name: label(r) ?? tag(r, 'description') ?? `OSM 摄像机 ${osmId(r)}`,
      azimuth,
      fov: fixed ? d.fixedFovDeg : d.domeFovDeg,
      range: fixed ? d.fixedRangeM : d.domeRangeM,
      height: tag(r, 'height') ?? null,
      cameraType: type,
      owner: tag(r, 'operator') ?? null,
    },
  };
}

const LAYER_ZH: Record<string, string> = { roads: '道路', places: '重点场所', cameras: '视频监控' };

export interface OsmReport {
  layer: 'osm';
  file: string;
  dryRun: boolean;
  committed: boolean;
  accepted: number;
  rejected: number;
  warnings: string[];
  /** The warnings in Chinese, in the same order, for the import page. */
  warningsZh: string[];
  errors: ImportReport['errors'];
  layers: { roads: ImportReport; places: ImportReport; cameras: ImportReport };
}

/** Imports an OSM extract (roads, places, cameras) inside the caller's transaction: all three or none. */
export async function runOsmImport(client: Tx, options: Omit<ImportOptions, 'layer' | 'transform'>): Promise<OsmReport> {
  await client.query('SAVEPOINT osm_run');
  try {
    // the parts write in the savepoint; a dry run or an aborted part is rolled back below
    const common = { ...options, crs: options.crs ?? 'wgs84', dryRun: false };
    // Sequential, stopping at an aborted part: its failure leaves the transaction unusable.
    const parts: ImportReport[] = [];
    for (const [layer, transform] of [['roads', roadRecord], ['places', placeRecord], ['cameras', cameraRecord]] as const) {
      const part = await runImport(client, { ...common, layer, transform });
      parts.push(part);
      if (part.aborted) break;
    }
    const skipped = (layer: ImportReport['layer']): ImportReport => ({ ...parts[0]!, layer, read: 0, accepted: 0, rejected: 0, inserted: 0, updated: 0, warnings: ['not run: an earlier layer aborted'], warningsZh: ['未执行:前一个图层已放弃导入'], errors: [] });
    const [roads = skipped('roads'), places = skipped('places'), cameras = skipped('cameras')] = parts;
    const aborted = parts.find((p) => p.aborted);
    const accepted = parts.reduce((a, p) => a + p.accepted, 0);
    const commit = !options.dryRun && !aborted && accepted > 0;
    await client.query(commit ? 'RELEASE SAVEPOINT osm_run' : 'ROLLBACK TO SAVEPOINT osm_run');
    for (const p of parts) Object.assign(p, { committed: commit, dryRun: Boolean(options.dryRun) });
    const camerasWithoutDirection = cameras.accepted > 0 ? `OSM cameras: ${defaults.osmCamera.note}` : null;
    return {
      layer: 'osm', file: roads.file, dryRun: Boolean(options.dryRun), committed: commit, accepted,
      rejected: parts.reduce((a, p) => a + p.rejected, 0),
      warnings: [...parts.flatMap((p) => p.warnings.map((w) => `${p.layer}: ${w}`)), ...(camerasWithoutDirection ? [camerasWithoutDirection] : []), ...(aborted?.aborted ? [aborted.aborted] : [])],
      warningsZh: [
        ...parts.flatMap((p) => p.warningsZh.map((w) => `${LAYER_ZH[p.layer] ?? p.layer}:${w}`)),
        ...(camerasWithoutDirection ? [`OSM 摄像机:OSM 很少标注摄像机的视场角和监控距离,已按默认值补全(枪机 ${defaults.osmCamera.fixedFovDeg}°、${defaults.osmCamera.fixedRangeM} 米,球机和云台 ${defaults.osmCamera.domeFovDeg}°、${defaults.osmCamera.domeRangeM} 米);camera:direction 作为方向角,没有该标签的摄像机方向不明。`] : []),
        ...(aborted?.abortedZh ? [aborted.abortedZh] : []),
      ],
      errors: parts.flatMap((p) => p.errors.map((e) => ({ ...e, field: `${p.layer}.${e.field}` }))),
      layers: { roads, places, cameras },
    };
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT osm_run').catch(() => {});
    throw err;
  }
}
