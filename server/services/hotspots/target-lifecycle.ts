// The 挂牌整治 lifecycle: targets created from the ranked list (the fishnet cell, the
// reasons, the responsible unit, start and deadline), listed with overdue flags, and
// moved through listed → in_progress → completed (or delisted).
import { z } from 'zod';
import type { Geometry } from 'geojson';
import { many, maybeOne, one, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { audit } from '../../audit';
import { utmSrid } from '../area/study-area';
import { HotspotInputError } from '../../errors';
import { dayText } from '../../limits';
import { placesOf, type PlaceName } from '../area/place-names';


export const CreateTargetSchema = z
  .object({
    name: z.string().trim().min(1, 'a name is needed').max(100),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    cellM: z.number().min(100).max(5000).default(500),
    reasons: z.array(z.string().trim().min(1)).min(1, 'at least one reason is needed').max(20),
    responsibleUnit: z.string().trim().min(1, 'a responsible unit is needed').max(100),
    startsOn: dayText('开始日期'),
    deadline: dayText('整治期限'),
  })
  .refine((t) => t.deadline >= t.startsOn, { message: 'the deadline must not be before the start', path: ['deadline'], params: { zh: '整治期限不能早于开始日期。' } });

export type CreateTarget = z.infer<typeof CreateTargetSchema>;

export const TargetStatusSchema = z.enum(['listed', 'in_progress', 'completed', 'delisted']);

export async function createTarget(client: Tx, input: CreateTarget): Promise<number> {
  const county = await maybeOne<{ wkt: string }>(`SELECT ST_AsEWKT(ST_Union(geom)) AS wkt FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL HAVING count(*) > 0`, [], 'finding the county', client);
  if (!county) throw new HotspotInputError('The database holds no county boundary: targets need one.', '数据库中没有县界,无法挂牌整治目标:请先导入行政区划(含县界)。');
  {
    const srid = await utmSrid(client, county.wkt);
    const row = await maybeOne<{ id: number }>(
      sql('targets/create.sql'),
      [input.lon, input.lat, input.cellM, srid, input.name, JSON.stringify(input.reasons), input.responsibleUnit, input.startsOn, input.deadline],
      'creating a rectification target',
      client,
    );
    if (!row) throw new HotspotInputError(`The point ${input.lon}, ${input.lat} lies outside the county: a target must be inside it.`, `位置(${input.lon}, ${input.lat})不在县域范围内:整治目标必须位于本县内。`);
    await audit(client, { action: 'target.create', object: `target:${row.id}`, rows: 1, detail: { name: input.name, responsibleUnit: input.responsibleUnit } });
    return row.id;
  }
}

export interface TargetRow {
  id: number;
  name: string;
  reasons: string[];
  responsibleUnit: string;
  startsOn: string;
  deadline: string;
  status: z.infer<typeof TargetStatusSchema>;
  lon: number;
  lat: number;
  daysLeft: number;
  overdue: boolean;
  /** The last stored evaluation (TargetEvaluation without geometry), or null. */
  evaluation: Record<string, unknown> | null;
  polygon: Geometry;
}

export async function listTargets(tx: Tx, today: string): Promise<Array<TargetRow & { place: PlaceName }>> {
  const rows = await many<TargetRow>(sql('targets/list.sql'), [today, townshipsOf(tx)], 'listing rectification targets', tx);
  const places = await placesOf(tx, rows);
  return rows.map((r, i) => ({ ...r, place: places[i]! }));
}

export async function setTargetStatus(tx: Tx, id: number, status: z.infer<typeof TargetStatusSchema>): Promise<void> {
  const r = await one<{ n: number }>('WITH u AS (UPDATE rectification_targets SET status = $2 WHERE id = $1 RETURNING 1) SELECT count(*)::int AS n FROM u', [id, status], 'changing a target’s status', tx);
  if (r.n === 0) throw new HotspotInputError(`Rectification target ${id} does not exist.`, `整治目标 ${id} 不存在:请刷新列表后重试。`);
  await audit(tx, { action: 'target.status', object: `target:${id}`, rows: 1, detail: { status } });
}
