// Editing the register from the auditor page (correcting a finding) and the planners'
// candidate sites. Input is checked with zod at the edge (Chinese messages naming the
// field); a rejected edit changes nothing, and an accepted one rebuilds that camera's view
// in the same transaction.
import { z } from 'zod';
import type { Geometry } from 'geojson';
import { many, maybeOne, one } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { audit } from '../../audit';
import { refreshCountyViews, scopeOf } from './figures';
import { CoverageInputError } from '../../errors';
import { rowId } from '../../limits';

const num = (field: string, min: number, max: number, exclusiveMin = false) =>
  z.number({ error: `${field}必须是数字` }).refine((v) => Number.isFinite(v) && (exclusiveMin ? v > min : v >= min) && v <= max, { message: `${field}必须${exclusiveMin ? '大于' : '在'} ${min}${exclusiveMin ? ' 且不超过' : ' 到'} ${max} 之间` });

export const CameraEditSchema = z.object({
  id: rowId('摄像机编号'),
  azimuthDeg: num('方位角(°)', 0, 360).nullable().optional(),
  fovDeg: num('视场角(°)', 1, 360).nullable().optional(),
  rangeM: num('可视距离(m)', 0, 2000, true).nullable().optional(),
  cameraType: z.enum(['fixed', 'dome', 'ptz'], { error: '类型必须是 fixed(枪机)、dome(球机)或 ptz(云台)' }).optional(),
  status: z.enum(['online', 'offline', 'faulty', 'unknown'], { error: '状态必须是 online、offline、faulty 或 unknown' }).optional(),
  mountHeightM: num('安装高度(m)', 0, 200, true).nullable().optional(),
  owner: z.string().trim().max(100, '权属单位不超过 100 字').nullable().optional(),
  lon: num('经度', -180, 180).optional(),
  lat: num('纬度', -90, 90).optional(),
}).refine((v) => (v.lon === undefined) === (v.lat === undefined), { message: '经度和纬度须同时给出', path: ['lon'] });
export type CameraEdit = z.infer<typeof CameraEditSchema>;

const COLUMNS: Record<string, string> = { azimuthDeg: 'azimuth_deg', fovDeg: 'fov_deg', rangeM: 'range_m', cameraType: 'camera_type', status: 'status', mountHeightM: 'mount_height_m', owner: 'owner' };

export interface CameraView { id: number; gbId: string | null; name: string; kind: string; status: string; cameraType: string; azimuthDeg: number | null; fovDeg: number | null; rangeM: number | null; lon: number; lat: number; view: Geometry | null }

/** Applies an edit (all fields or none) and rebuilds the camera's view; returns the camera as the map draws it. */
export async function updateCamera(c: Tx, raw: unknown): Promise<CameraView> {
  const edit = CameraEditSchema.parse(raw);
  {
    const sets: string[] = [];
    const values: unknown[] = [edit.id];
    for (const [key, column] of Object.entries(COLUMNS)) {
      const v = edit[key as keyof CameraEdit];
      if (v === undefined) continue;
      values.push(v);
      sets.push(`${column} = $${values.length}`);
    }
    if (edit.lon !== undefined) {
      values.push(edit.lon, edit.lat);
      sets.push(`geom = ST_SetSRID(ST_MakePoint($${values.length - 1}, $${values.length}), 4326)`);
    }
    if (!sets.length) throw new CoverageInputError('Nothing to change: the edit names no field.', '没有要修改的内容:请至少修改一项。');
    const row = await maybeOne<{ id: number }>(`UPDATE cameras SET ${sets.join(', ')} WHERE id = $1 RETURNING id`, values, 'editing a camera', c);
    if (!row) throw new CoverageInputError(`Camera ${edit.id} does not exist.`, `摄像机 ${edit.id} 不存在:请刷新页面后重试。`);
    await refreshCountyViews(c);
    await audit(c, { action: 'camera.edit', object: `camera:${edit.id}`, rows: 1, detail: Object.fromEntries(Object.entries(edit).filter(([k]) => k !== 'id')) });
    return (await cameraViews(c, [edit.id]))[0]!;
  }
}

/** Cameras with their views (GeoJSON, EPSG:4326), all or the given ids. */
export async function cameraViews(client: Tx, ids?: number[]): Promise<CameraView[]> {
  return many<CameraView>(
    `SELECT c.id, c.gb_id AS "gbId", c.name, coalesce(f.kind, 'unknown') AS kind, c.status, c.camera_type AS "cameraType",
            c.azimuth_deg AS "azimuthDeg", c.fov_deg AS "fovDeg", c.range_m AS "rangeM", ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
            ST_AsGeoJSON(f.geom, 6)::json AS view
     FROM cameras c LEFT JOIN camera_fov f ON f.camera_id = c.id
     WHERE ($1::int[] IS NULL OR c.id = ANY($1::int[])) AND ($2::text[] IS NULL OR c.township_code = ANY($2))  -- as RLS does, for the embedded engine
     ORDER BY c.id`,
    [ids ?? null, townshipsOf(client)], 'listing the cameras and their views', client,
  );
}

export interface Occluder { id: number; name: string; heightM: number; floors: number; views: number; footprint: Geometry }

/** The high-rises whose footprints cut cameras' views (occlusion), with how many views each cuts. */
export async function occluders(client: Tx): Promise<Occluder[]> {
  return many<Occluder>(
    `SELECT h.id, h.name, h.height_m AS "heightM", h.floors, count(f.camera_id)::int AS views, ST_AsGeoJSON(h.footprint, 6)::json AS footprint
     FROM high_rises h
     JOIN camera_fov f ON f.occluders > 0 AND ST_DWithin(f.geom, h.footprint, 1e-6)
     JOIN cameras c ON c.id = f.camera_id AND NOT ST_DWithin(h.footprint::geography, c.geom::geography, 1)
     WHERE h.footprint IS NOT NULL
     GROUP BY h.id
     ORDER BY h.id`,
    [], 'listing the buildings that hide parts of views', client,
  );
}

export const CandidateSchema = z.object({
  name: z.string({ error: '名称必须是文字' }).trim().min(1, '请填写候选点名称').max(100, '名称不超过 100 字'),
  lon: num('经度', -180, 180),
  lat: num('纬度', -90, 90),
  note: z.string().trim().max(500, '备注不超过 500 字').optional(),
});

export interface Candidate { id: number; name: string; lon: number; lat: number; note: string | null }

/** Adds a planner-drawn candidate site; refused (nothing written) when it lies outside the county. */
export async function addCandidate(c: Tx, raw: unknown): Promise<Candidate> {
  const input = CandidateSchema.parse(raw);
  {
    const { area } = await scopeOf(c);
    const { inside } = await one<{ inside: boolean }>('SELECT ST_Intersects($1::geometry, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS inside', [area, input.lon, input.lat], 'checking the candidate site', c);
    if (!inside) throw new CoverageInputError(`The candidate site (${input.lon.toFixed(6)}, ${input.lat.toFixed(6)}) lies outside the county: not saved.`, `候选点 (${input.lon.toFixed(6)}, ${input.lat.toFixed(6)}) 不在县域范围内,未保存:请在县域内选点。`);
    const row = await one<Candidate>(
      `INSERT INTO camera_candidates (name, geom, note) VALUES ($1, ST_SetSRID(ST_MakePoint($2, $3), 4326), $4)
       RETURNING id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, note`,
      [input.name, input.lon, input.lat, input.note ?? null], 'adding a candidate site', c,
    );
    await audit(c, { action: 'candidate.add', object: `candidate:${row.id}`, rows: 1 });
    return row;
  }
}

export async function listCandidates(tx: Tx): Promise<Candidate[]> {
  return many<Candidate>('SELECT id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, note FROM camera_candidates ORDER BY id', [], 'listing the candidate sites', tx);
}

export async function removeCandidate(tx: Tx, id: number): Promise<void> {
  const r = await maybeOne<{ id: number }>('DELETE FROM camera_candidates WHERE id = $1 RETURNING id', [id], 'removing a candidate site', tx);
  if (!r) throw new CoverageInputError(`Candidate site ${id} does not exist.`, `候选点 ${id} 不存在:请刷新页面后重试。`);
  await audit(tx, { action: 'candidate.remove', object: `candidate:${id}`, rows: 1 });
}
