// The situational map's incident layers: hexagon bins (heat) at every zoom, single points from
// zoom 14 on, and one incident's detail with its handling history. Bins are counted in SQL on
// the fixed lattice of ./lattice.ts; the view is snapped to it (and made coarser past the bin
// bound) before any statement runs.
import { many, maybeOne, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { LIMITS } from '../../limits';
import { hexCentre, MAX_LAT, mercX, mercY, MERCATOR_M_PER_PX_Z0, snapView, type Bbox } from './lattice';
import { resolveFilter, type IncidentFilter } from './window';

export interface ViewInput extends IncidentFilter {
  bbox: Bbox;
  zoom: number;
}

/** Refuses a box outside WGS-84's range or empty (the CLI and tests skip zod). */
export function checkBbox(b: Bbox): void {
  const [w, s, e, n] = b;
  if (!b.every(Number.isFinite) || w < -180 || e > 180 || s < -90 || n > 90) throw new UserError(`The map box ${b.join(',')} is outside ±180/±90.`, '地图范围须在经度 ±180、纬度 ±90 之内。');
  if (!(w < e) || !(s < n)) throw new UserError(`The map box ${b.join(',')} is empty: west must be less than east and south less than north.`, '地图范围无效:西边界须小于东边界,南边界须小于北边界。');
}

function checkZoom(zoom: number): void {
  if (!Number.isFinite(zoom) || zoom < LIMITS.mapZoom.min || zoom > LIMITS.mapZoom.max) throw new UserError(`Zoom ${zoom} is not ${LIMITS.mapZoom.min}–${LIMITS.mapZoom.max}.`, `缩放级别须在 ${LIMITS.mapZoom.min} 到 ${LIMITS.mapZoom.max} 之间。`);
}

/** The box clipped to Mercator's latitudes (the map cannot show beyond them). */
const clipLat = (b: Bbox): Bbox => [b[0], Math.max(b[1], -MAX_LAT), b[2], Math.min(b[3], MAX_LAT)];

export interface IncidentBins {
  shape: 'hex';
  /** Hexagon circumradius on the ground, metres (at the view's centre latitude). */
  sizeM: number;
  /** Flat [lon, lat, lon, lat, …] of the hexagons' centres, 6 decimals. */
  centres: number[];
  counts: number[];
  max: number;
  /** Incidents counted in the bins (those inside the snapped box). */
  total: number;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export async function incidentBins(tx: Tx, input: ViewInput): Promise<IncidentBins> {
  checkBbox(input.bbox);
  checkZoom(input.zoom);
  const f = resolveFilter(tx, input);
  const bbox = clipLat(input.bbox);
  if (!(bbox[1] < bbox[3])) return { shape: 'hex', sizeM: 0, centres: [], counts: [], max: 0, total: 0 };
  const view = snapView(bbox, input.zoom, LIMITS.mapBins);
  const [w, s, e, n] = view.bbox;
  await tx.query(sql('map/hash-aggregate.sql'));
  const rows = await many<{ q: number; r: number; n: number }>(
    sql('map/incident-bins.sql'),
    [f.from, f.to, f.categories, f.hour, f.townships, w, s, e, n, view.mercatorS],
    'counting incidents per map hexagon',
    tx,
  );
  rows.sort((a, b) => a.q - b.q || a.r - b.r);
  const centres: number[] = new Array(rows.length * 2);
  const counts: number[] = new Array(rows.length);
  let max = 0;
  let total = 0;
  rows.forEach((row, i) => {
    const [lon, lat] = hexCentre(row.q, row.r, view.mercatorS);
    centres[2 * i] = round6(lon);
    centres[2 * i + 1] = round6(lat);
    counts[i] = row.n;
    if (row.n > max) max = row.n;
    total += row.n;
  });
  return { shape: 'hex', sizeM: view.sizeM, centres, counts, max, total };
}

export interface PointsInput extends ViewInput {
  limit?: number;
}

export interface IncidentPoints {
  /** Every incident matching in the view. */
  count: number;
  /** True when count > the rows sent (the newest are sent). */
  capped: boolean;
  origin: [number, number];
  /** base64 of a little-endian Float32Array [dlon, dlat, …] relative to origin. */
  offsets: string;
  categoryCodes: string[];
  /** base64 of a Uint8Array: per point, its index into categoryCodes. */
  categories: string;
  ids: number[];
  /** Epoch seconds. */
  occurredAt: number[];
}

export async function incidentPoints(tx: Tx, input: PointsInput): Promise<IncidentPoints> {
  checkBbox(input.bbox);
  checkZoom(input.zoom);
  if (input.zoom < LIMITS.mapPoints.minZoom) {
    throw new UserError(`Single incidents are shown from zoom ${LIMITS.mapPoints.minZoom} on (asked at ${input.zoom}).`, `请放大到 ${LIMITS.mapPoints.minZoom} 级及以上再查看单个警情点位。`);
  }
  const limit = input.limit ?? LIMITS.mapPoints.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.mapPoints.max) throw new UserError(`limit ${limit} is not 1–${LIMITS.mapPoints.max}.`, `点位条数须在 1 到 ${LIMITS.mapPoints.max} 之间。`);
  const bbox = clipLat(input.bbox);
  // a zoom-14 view is a few kilometres: a box wider than the widest screen shows at zoom 14 is refused
  const widest = LIMITS.mapPointsViewPx * (MERCATOR_M_PER_PX_Z0 / 2 ** LIMITS.mapPoints.minZoom);
  if (mercX(bbox[2]) - mercX(bbox[0]) > widest || mercY(bbox[3]) - mercY(bbox[1]) > widest) {
    throw new UserError(`The box is wider than ${LIMITS.mapPointsViewPx} px at zoom ${LIMITS.mapPoints.minZoom}.`, `地图范围过大(超过 ${LIMITS.mapPoints.minZoom} 级下 ${LIMITS.mapPointsViewPx} 像素的视野):请放大地图后再查看点位。`);
  }
  const f = resolveFilter(tx, input);
  const rows = await many<{ total: number; id: number | null; t: number | null; category: string | null; lon: number | null; lat: number | null }>(
    sql('map/incident-points.sql'),
    [f.from, f.to, f.categories, f.hour, f.townships, bbox[0], bbox[1], bbox[2], bbox[3], limit],
    'listing the incidents of a map view',
    tx,
  );
  const count = rows[0]?.total ?? 0;
  const points = rows.filter((r) => r.id !== null);
  const origin: [number, number] = [round6((bbox[0] + bbox[2]) / 2), round6((bbox[1] + bbox[3]) / 2)];
  const offsets = new Float32Array(points.length * 2);
  const codeIndex = new Map<string, number>();
  const cats = new Uint8Array(points.length);
  points.forEach((p, i) => {
    offsets[2 * i] = p.lon! - origin[0];
    offsets[2 * i + 1] = p.lat! - origin[1];
    let k = codeIndex.get(p.category!);
    if (k === undefined) {
      k = codeIndex.size;
      if (k > 255) throw new Error('more than 256 incident categories in one view');
      codeIndex.set(p.category!, k);
    }
    cats[i] = k;
  });
  return {
    count,
    capped: count > points.length,
    origin,
    offsets: littleEndianBase64(offsets),
    categoryCodes: [...codeIndex.keys()],
    categories: Buffer.from(cats.buffer, cats.byteOffset, cats.byteLength).toString('base64'),
    ids: points.map((p) => Number(p.id)),
    occurredAt: points.map((p) => Number(p.t)),
  };
}

/** A Float32Array's bytes in little-endian order (as every browser reads them), base64. */
function littleEndianBase64(a: Float32Array): string {
  const buf = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) buf.writeFloatLE(a[i]!, i * 4);
  return buf.toString('base64');
}

export interface IncidentDetail {
  id: number;
  externalId: string | null;
  occurredAt: string;
  category: string;
  categoryName: string;
  source: string;
  severity: string;
  status: string;
  summary: string | null;
  townshipCode: string | null;
  townshipName: string | null;
  gridCode: string | null;
  gridName: string | null;
  lon: number;
  lat: number;
  history: { status: string; changedAt: string; actor: string | null; note: string | null }[];
}

export async function incidentDetail(tx: Tx, id: number): Promise<IncidentDetail> {
  const r = await maybeOne<{
    id: number; external_id: string | null; occurred_at: Date; category_code: string; category_name: string; source: string; severity: string; status: string;
    summary: string | null; township_code: string | null; township_name: string | null; grid_code: string | null; grid_name: string | null; lon: number; lat: number;
  }>(sql('map/incident.sql'), [id, townshipsOf(tx)], 'reading an incident', tx);
  if (!r) throw new UserError(`Incident ${id} does not exist (or lies outside your townships).`, `警情 ${id} 不存在或不在您的管辖范围内:请刷新地图后重试。`);
  const history = await many<{ status: string; changed_at: Date; actor: string | null; note: string | null }>(sql('map/incident-history.sql'), [r.id, r.occurred_at], 'reading an incident’s history', tx);
  return {
    id: Number(r.id),
    externalId: r.external_id,
    occurredAt: r.occurred_at.toISOString(),
    category: r.category_code,
    categoryName: r.category_name,
    source: r.source,
    severity: r.severity,
    status: r.status,
    summary: r.summary,
    townshipCode: r.township_code?.trim() ?? null,
    townshipName: r.township_name,
    gridCode: r.grid_code,
    gridName: r.grid_name,
    lon: r.lon,
    lat: r.lat,
    history: history.map((h) => ({ status: h.status, changedAt: h.changed_at.toISOString(), actor: h.actor, note: h.note })),
  };
}

