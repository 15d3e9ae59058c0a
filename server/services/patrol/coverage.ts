// Route coverage (路线覆盖): the share of hotspots (Gi* hot cells; the 99 % ones also counted
// as high-risk cells), listed rectification targets and key places (every place type that is
// not private) within coverage.withinM of a planned patrol route, and the uncovered ones
// listed with their distance to the nearest route. Routes and items are projected once into
// indexed temporary tables; the distance test then runs on metric geometry with the index.
import { z } from 'zod';
import { dayText, metres } from '../../limits';
import { many } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
import placeTypes from '../../../geodata/dictionaries/place-types.json';
import { countyArea, utmSrid } from '../area/study-area';
import { AreaSourceSchema, loadAreas } from './dosage';
import { PATROL_RULES, type PatrolRules } from './rules';

export const CoverageInputSchema = z.object({
  /** The Gi* window's end (China day); the window is the 365 days before it. */
  to: dayText('截止日期'),
  withinM: metres('覆盖距离', { min: 1, max: 5000 }).optional(),
  cellM: metres('网格边长', { min: 100, max: 5000 }).default(500),
});
export type CoverageInput = z.input<typeof CoverageInputSchema>;

export type CoverageKind = 'hotspot' | 'high-risk' | 'target' | 'place';
export const COVERAGE_KIND_LABELS: Record<CoverageKind, string> = { hotspot: '热点网格', 'high-risk': '高风险网格(99%)', target: '挂牌整治目标', place: '重点场所' };

export interface CoverageItem { kind: CoverageKind; id: number; label: string; lon: number; lat: number; distanceM: number | null; covered: boolean; route: string | null }

export interface CoverageResult {
  method: { withinM: number; routes: number; hotspots: string; places: string };
  kinds: { kind: CoverageKind; label: string; total: number; covered: number; share: number | null }[];
  uncovered: CoverageItem[];
  items: CoverageItem[];
}

const PUBLIC_PLACE_TYPES = placeTypes.filter((p) => !('private' in p && p.private)).map((p) => p.code);

/** The temporary table cover_routes: the planned routes in scope, projected once to `srid`, indexed. */
export async function projectRoutes(tx: Tx, srid: number): Promise<void> {
  await tx.query(
    `CREATE TEMP TABLE cover_routes ON COMMIT DROP AS
     SELECT r.id, r.name, ST_Transform(r.geom, $1::int) AS g FROM patrol_routes r WHERE $2::text[] IS NULL OR r.township_code = ANY ($2::text[])`,
    [srid, townshipsOf(tx)],
  );
  await tx.query('CREATE INDEX ON cover_routes USING gist (g)');
}

export async function routeCoverage(tx: Tx, input: CoverageInput, rules: PatrolRules = PATROL_RULES): Promise<CoverageResult> {
  const o = CoverageInputSchema.parse(input);
  const withinM = o.withinM ?? rules.coverage.withinM;
  const scope = townshipsOf(tx);
  const hot = await loadAreas(tx, AreaSourceSchema.parse({ kind: 'hotspots', to: o.to, cellM: o.cellM }), o.to);
  const targets = await loadAreas(tx, { kind: 'targets' }, o.to);
  return scratch(tx, async () => {
    const srid = await utmSrid(tx, await countyArea(tx));
    await projectRoutes(tx, srid);
    const items = [
      ...hot.areas.map((a) => ({ kind: (a.hotClass === 'hot-99' ? 'high-risk' : 'hotspot') as CoverageKind, id: a.id, label: a.label, geometry: a.geometry })),
      ...targets.areas.map((a) => ({ kind: 'target' as CoverageKind, id: a.id, label: a.label, geometry: a.geometry })),
    ];
    await tx.query(
      `CREATE TEMP TABLE cover_items ON COMMIT DROP AS
       SELECT k AS kind, id, label, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(gj), 4326), $4::int) AS g
       FROM unnest($1::text[], $2::bigint[], $3::text[], $5::text[]) AS u(k, id, label, gj)
       UNION ALL
       SELECT 'place', p.id, p.name, ST_Transform(coalesce(p.entrance, p.geom), $4::int)
       FROM places p WHERE p.place_type = ANY ($6::text[]) AND ($7::text[] IS NULL OR p.township_code = ANY ($7::text[]))`,
      [items.map((i) => i.kind), items.map((i) => i.id), items.map((i) => i.label), srid, items.map((i) => JSON.stringify(i.geometry)), PUBLIC_PLACE_TYPES, scope],
    );
    const rows = await many<{ kind: CoverageKind; id: string; label: string; lon: number; lat: number; distance: number | null; route: string | null; routes: number }>(
      `SELECT i.kind, i.id, i.label, ST_X(ST_Transform(ST_PointOnSurface(i.g), 4326)) AS lon, ST_Y(ST_Transform(ST_PointOnSurface(i.g), 4326)) AS lat,
              n.d AS distance, n.name AS route, (SELECT count(*)::int FROM cover_routes) AS routes
       FROM cover_items i
       LEFT JOIN LATERAL (SELECT r.name, ST_Distance(r.g, i.g) AS d FROM cover_routes r ORDER BY r.g <-> i.g LIMIT 1) n ON true
       ORDER BY i.kind, i.id`, [], 'measuring how far each hotspot and place is from the patrol routes', tx,
    );
    const all: CoverageItem[] = rows.map((r) => ({
      kind: r.kind, id: Number(r.id), label: r.label, lon: r.lon, lat: r.lat,
      distanceM: r.distance === null ? null : Math.round(r.distance), covered: r.distance !== null && r.distance <= withinM, route: r.route,
    }));
    const kinds = (Object.keys(COVERAGE_KIND_LABELS) as CoverageKind[]).map((kind) => {
      const of = all.filter((i) => i.kind === kind || (kind === 'hotspot' && i.kind === 'high-risk'));
      const covered = of.filter((i) => i.covered).length;
      return { kind, label: COVERAGE_KIND_LABELS[kind], total: of.length, covered, share: of.length ? covered / of.length : null };
    });
    return {
      method: { withinM, routes: rows[0]?.routes ?? 0, hotspots: hot.label, places: `重点场所:${placeTypes.filter((p) => PUBLIC_PLACE_TYPES.includes(p.code)).map((p) => p.name).join('、')}(出入口,无则为位置点)` },
      kinds,
      uncovered: all.filter((i) => !i.covered).sort((a, b) => (b.distanceM ?? Infinity) - (a.distanceM ?? Infinity)),
      items: all,
    };
  });
}
