// Patrol dosage (巡防投放量): how much patrol presence each hotspot received, and whether it
// followed the Koper curve. For areas (Gi* hot cells of a window, listed rectification
// targets, or a drawn area) grown by the presence radius R, PostGIS finds each device's
// visits (server/sql/patrol/device-visits.sql: kept fixes within R, a gap up to
// visitGapFactor × the device's fix interval still one visit). Here the visits of all
// devices are merged per area into presence, and summed per time band:
//   presence minutes   the union of the visits' spans;
//   visits             merged spans of at least driveThroughMaxSeconds (shorter: drive-throughs, apart);
//   Koper visits       visits lasting minMinutes–maxMinutes (Koper 1995: 10–16 min);
//   hot hours          the busiest hours of day holding hotHoursShare of the area's incidents
//                      over the lookback (at most hotHoursMax; none below minIncidents);
//   hot-hour slots     each day × hot hour; met when a visit overlaps the revisitHours
//                      before the slot's end (a visit at least every 2 hours);
// and per team, the share of its own visits (device level) that were Koper-length.
import { z } from 'zod';
import { many, one, sql } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { dayText, LIMITS, metres } from '../../limits';
import { chinaDay, chinaHour, CHINA_OFFSET_MS } from '../../../lib/china-time';
import { GeometrySchema, type Geometry } from '../geojson';
import { runHotspots } from '../hotspots/hotspots';
import { countyArea, utmSrid } from '../area/study-area';
import { bandOf, PATROL_RULES, type PatrolRules } from './rules';
import { median } from './clean';

const DateText = dayText('日期');

/** A drawn area: one polygon (or multipolygon) of closed rings in lon/lat, at most 2,000 vertices. */
const DrawnGeometry = GeometrySchema.refine((g) => g.type === 'Polygon' || g.type === 'MultiPolygon', { message: 'a Polygon or MultiPolygon', params: { zh: '区域必须是多边形' } })
  .refine((g) => {
    const rings = g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : [];
    const points = rings.flat();
    const closed = rings.every((r) => r.length >= 4 && r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1]);
    return rings.length > 0 && closed && points.length <= 2000 && points.every((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90);
  }, { message: 'closed rings of at least 4 positions in lon/lat, at most 2,000 vertices', params: { zh: '区域的每个环至少 4 个经纬度点且首尾相同,总点数不超过 2000' } });

export const AreaSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('hotspots'),
    /** The Gi* window (China days, inclusive of from, exclusive of to). Default: the 365 days before the period's end. */
    from: DateText.optional(),
    to: DateText.optional(),
    cellM: metres('网格边长', { min: 100, max: 5000 }).default(500),
    distanceM: metres('邻域距离', LIMITS.distanceM).default(1200),
  }),
  z.object({ kind: z.literal('targets') }),
  z.object({ kind: z.literal('drawn'), name: z.string().trim().min(1).max(60).default('手绘区域'), geometry: DrawnGeometry }),
]);
export type AreaSource = z.infer<typeof AreaSourceSchema>;

export const PeriodSchema = z
  .object({ from: DateText, to: DateText })
  .refine((p) => p.from < p.to, { message: 'the period is empty: from must be before to', path: ['from'], params: { zh: '统计期为空:开始日期必须早于结束日期。' } })
  .refine((p) => (chinaDay(p.to).getTime() - chinaDay(p.from).getTime()) / 86_400_000 <= LIMITS.patrolDays, { message: `the period is longer than ${LIMITS.patrolDays} days`, path: ['to'], params: { zh: `统计期最长 ${LIMITS.patrolDays} 天:请缩短时间范围。` } });
export type Period = z.infer<typeof PeriodSchema>;

export const DosageInputSchema = z.object({
  period: PeriodSchema,
  areas: AreaSourceSchema,
  radiusM: metres('在场半径', { min: 0, max: 2000 }).optional(),
});
export type DosageInput = z.input<typeof DosageInputSchema>;

export interface Area {
  id: number;
  kind: 'hotspot' | 'target' | 'drawn' | 'cell';
  label: string;
  lon: number;
  lat: number;
  geometry: Geometry;
  /** Gi* class of a hotspot cell. */
  hotClass?: string;
}

export interface DeviceVisit {
  area: number;
  device: string;
  teamId: number | null;
  /** Epoch ms of the first and last fix within the radius. */
  s: number;
  e: number;
  fixes: number;
}

export interface BandDosage { name: string; presenceMinutes: number; visits: number; driveThroughs: number; koperVisits: number }

export interface AreaDosage extends Omit<Area, 'geometry'> {
  incidents: number;
  hotHours: number[];
  presenceMinutes: number;
  visits: number;
  driveThroughs: number;
  meanVisitMinutes: number | null;
  /** Median minutes from the end of one visit to the start of the next. */
  medianGapMinutes: number | null;
  koperVisits: number;
  koperShare: number | null;
  hotSlots: number;
  hotSlotsMet: number;
  hotSlotShare: number | null;
  bands: BandDosage[];
  devices: number;
}

export interface TeamKoper { teamId: number | null; team: string; visits: number; koperVisits: number; shortVisits: number; longVisits: number; driveThroughs: number; minutes: number; koperShare: number | null }

export interface DosageResult {
  method: {
    period: Period;
    areas: string;
    radiusM: number;
    visitGap: string;
    driveThroughMaxSeconds: number;
    koper: string;
    hotHours: string;
    revisit: string;
    bands: string;
    note: string | null;
  };
  areas: (AreaDosage & { geometry: Geometry })[];
  teams: TeamKoper[];
  totals: { areas: number; presenceMinutes: number; visits: number; driveThroughs: number; koperShare: number | null; hotSlotShare: number | null; unvisited: number };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const MIN = 60_000;


/** The hot hours of one area from its incidents per China hour of day (24 counts). */
export function hotHours(counts: readonly number[], k: PatrolRules['koper'] = PATROL_RULES.koper): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total < k.minIncidents) return [];
  const order = counts.map((n, h) => ({ n, h })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n || a.h - b.h);
  const out: number[] = [];
  let sum = 0;
  for (const x of order) {
    if (sum >= k.hotHoursShare * total || out.length >= k.hotHoursMax) break;
    out.push(x.h);
    sum += x.n;
  }
  return out.sort((a, b) => a - b);
}

/** Device visits merged into presence spans (overlapping or within `toleranceMs`). */
export function mergeSpans(visits: readonly { s: number; e: number }[], toleranceMs: number): { s: number; e: number }[] {
  const sorted = [...visits].sort((a, b) => a.s - b.s);
  const out: { s: number; e: number }[] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v.s <= last.e + toleranceMs) last.e = Math.max(last.e, v.e);
    else out.push({ s: v.s, e: v.e });
  }
  return out;
}

/** Each day × hot hour of the period (China time) as [slotStart, slotEnd) in epoch ms. */
export function hotSlots(period: Period, hours: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let d = chinaDay(period.from).getTime(); d < chinaDay(period.to).getTime(); d += 86_400_000) {
    for (const h of hours) out.push([d + h * 3_600_000, d + (h + 1) * 3_600_000]);
  }
  return out;
}

/** The dosage of every area from its device visits and incident hours. Pure. */
export function summariseDosage(
  areas: readonly Area[], deviceVisits: readonly DeviceVisit[], incidentHours: ReadonlyMap<number, number[]>, period: Period,
  teamNames: ReadonlyMap<number, string>, rules: PatrolRules = PATROL_RULES,
): { areas: (AreaDosage & { geometry: Geometry })[]; teams: TeamKoper[] } {
  const { dosage, koper } = rules;
  const dtMs = dosage.driveThroughMaxSeconds * 1000;
  const toleranceMs = dosage.visitGapFactor * dosage.defaultFixIntervalS * 1000;
  const isKoper = (ms: number) => ms >= koper.minMinutes * MIN && ms <= koper.maxMinutes * MIN;
  const byArea = new Map<number, DeviceVisit[]>();
  for (const v of deviceVisits) {
    let list = byArea.get(v.area);
    if (!list) byArea.set(v.area, (list = []));
    list.push(v);
  }
  const result = areas.map((a) => {
    const dv = byArea.get(a.id) ?? [];
    const spans = mergeSpans(dv, toleranceMs);
    const visits = spans.filter((s) => s.e - s.s >= dtMs);
    const counts = incidentHours.get(a.id) ?? new Array<number>(24).fill(0);
    const hot = hotHours(counts, koper);
    const slots = hotSlots(period, hot);
    const revisitMs = koper.revisitHours * 3_600_000;
    const met = slots.filter(([, end]) => visits.some((v) => v.s < end && v.e >= end - revisitMs)).length;
    const gaps = visits.slice(1).map((v, i) => (v.s - visits[i]!.e) / MIN);
    const bands: BandDosage[] = rules.bands.map((b) => ({ name: b.name, presenceMinutes: 0, visits: 0, driveThroughs: 0, koperVisits: 0 }));
    for (const s of spans) {
      const b = bands[bandOf(rules, chinaHour(s.s))]!;
      b.presenceMinutes += (s.e - s.s) / MIN;
      if (s.e - s.s < dtMs) b.driveThroughs++;
      else {
        b.visits++;
        if (isKoper(s.e - s.s)) b.koperVisits++;
      }
    }
    const koperVisits = visits.filter((v) => isKoper(v.e - v.s)).length;
    const presence = spans.reduce((t, s) => t + (s.e - s.s), 0) / MIN;
    return {
      ...a,
      incidents: counts.reduce((x, y) => x + y, 0),
      hotHours: hot,
      presenceMinutes: round1(presence),
      visits: visits.length,
      driveThroughs: spans.length - visits.length,
      meanVisitMinutes: visits.length ? round1(visits.reduce((t, v) => t + (v.e - v.s), 0) / MIN / visits.length) : null,
      medianGapMinutes: gaps.length ? round1(median(gaps)!) : null,
      koperVisits,
      koperShare: visits.length ? koperVisits / visits.length : null,
      hotSlots: slots.length,
      hotSlotsMet: met,
      hotSlotShare: slots.length ? met / slots.length : null,
      bands: bands.map((b) => ({ ...b, presenceMinutes: round1(b.presenceMinutes) })),
      devices: new Set(dv.map((v) => v.device)).size,
    };
  });
  const teams = new Map<string, TeamKoper>();
  for (const v of deviceVisits) {
    const key = String(v.teamId);
    let t = teams.get(key);
    if (!t) teams.set(key, (t = { teamId: v.teamId, team: v.teamId === null ? '(未关联巡逻队)' : (teamNames.get(v.teamId) ?? `巡逻队 ${v.teamId}`), visits: 0, koperVisits: 0, shortVisits: 0, longVisits: 0, driveThroughs: 0, minutes: 0, koperShare: null }));
    const ms = v.e - v.s;
    t.minutes += ms / MIN;
    if (ms < dtMs) t.driveThroughs++;
    else {
      t.visits++;
      if (isKoper(ms)) t.koperVisits++;
      else if (ms < koper.minMinutes * MIN) t.shortVisits++;
      else t.longVisits++;
    }
  }
  for (const t of teams.values()) {
    t.minutes = round1(t.minutes);
    t.koperShare = t.visits ? t.koperVisits / t.visits : null;
  }
  return { areas: result, teams: [...teams.values()].sort((a, b) => a.team.localeCompare(b.team, 'zh')) };
}

/** The areas a dosage is measured for. */
export async function loadAreas(tx: Tx, source: AreaSource, periodEnd: string): Promise<{ areas: Area[]; label: string }> {
  if (source.kind === 'drawn') {
    // a self-crossing outline is repaired (ST_MakeValid); one with no area is refused
    const c = await one<{ lon: number | null; lat: number | null; inside: boolean | null; geometry: Geometry | null }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, (SELECT bool_or(ST_Intersects(g, geom)) FROM admin_areas WHERE level = 'county') AS inside,
              CASE WHEN ST_Area(g) > 0 THEN ST_AsGeoJSON(g, 7)::jsonb END AS geometry
       FROM (SELECT ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)), 3) AS g) x, LATERAL ST_PointOnSurface(g) p`,
      [JSON.stringify(source.geometry)], 'reading the drawn area', tx,
    );
    if (!c.geometry || c.lon === null || c.lat === null) throw new UserError('The drawn area has no area.', '所绘区域面积为零:请至少画出三个不在一条直线上的顶点。');
    if (c.inside === false) throw new UserError('The drawn area lies outside the county.', '所绘区域不在本县范围内:请在县域内绘制。');
    return { areas: [{ id: 1, kind: 'drawn', label: source.name, lon: c.lon, lat: c.lat, geometry: c.geometry }], label: `手绘区域“${source.name}”` };
  }
  if (source.kind === 'targets') {
    const rows = await many<{ id: number; name: string; lon: number; lat: number; geometry: Geometry }>(
      `SELECT id, name, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat, ST_AsGeoJSON(geom, 6)::jsonb AS geometry
       FROM rectification_targets WHERE status IN ('listed', 'in_progress') AND ($1::text[] IS NULL OR township_code = ANY ($1::text[])) ORDER BY id`,
      [townshipsOf(tx)], 'reading the listed rectification targets', tx,
    );
    return { areas: rows.map((r) => ({ id: r.id, kind: 'target', label: r.name, lon: r.lon, lat: r.lat, geometry: r.geometry })), label: '挂牌整治目标(挂牌、整治中)' };
  }
  const to = source.to ?? periodEnd;
  const from = source.from ?? new Date(chinaDay(to).getTime() - 365 * 86_400_000 + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  const r = await runHotspots(tx, { shape: 'square', cellM: source.cellM, neighbours: { kind: 'distance', metres: source.distanceM }, from: chinaDay(from), to: chinaDay(to), withGeometry: true });
  const hot = r.cells.filter((c) => c.class.startsWith('hot-'));
  const label = { 'hot-99': '热点(99%)', 'hot-95': '热点(95%)', 'hot-90': '热点(90%)' } as Record<string, string>;
  // a cell is named by the township it lies in, so a list reads as places, not as grid indices
  const towns = await many<{ k: number; name: string | null }>(
    `SELECT u.k, (SELECT a.name FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)) LIMIT 1) AS name
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(lon, lat, k)`,
    [hot.map((c) => c.lon), hot.map((c) => c.lat)], 'naming the hotspot cells', tx,
  );
  const town = new Map(towns.map((t) => [Number(t.k) - 1, t.name]));
  return {
    areas: hot.map((c, i) => ({ id: c.id, kind: 'hotspot', label: `${town.get(i) ?? ''}${label[c.class] ?? c.class} ${c.code ?? c.id}`, lon: c.lon, lat: c.lat, geometry: c.polygon as Geometry, hotClass: c.class })),
    label: `Gi* 热点网格(${source.cellM} m 网格,${source.distanceM} m 邻域,${from} 至 ${to})`,
  };
}

/**
 * The temporary table patrol_areas: each area grown by `radiusM` in the county's metric
 * projection and brought back to WGS-84 once, indexed, so the fixes' own index serves the
 * join (no geometry is projected inside a join predicate).
 */
export async function makeAreaTable(tx: Tx, areas: readonly Area[], radiusM: number): Promise<void> {
  const srid = await utmSrid(tx, await countyArea(tx));
  await tx.query('DROP TABLE IF EXISTS patrol_areas; CREATE TEMP TABLE patrol_areas (id bigint PRIMARY KEY, geom geometry NOT NULL) ON COMMIT DROP');
  await tx.query(
    `INSERT INTO patrol_areas (id, geom)
     SELECT a.id, CASE WHEN $3::float8 > 0 THEN ST_Transform(ST_Buffer(ST_Transform(g, $4::int), $3::float8, 8), 4326) ELSE g END
     FROM unnest($1::bigint[], $2::text[]) AS a(id, gj), LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(a.gj), 4326) AS g) x`,
    [areas.map((a) => a.id), areas.map((a) => JSON.stringify(a.geometry)), radiusM, srid],
  );
  await tx.query('CREATE INDEX ON patrol_areas USING gist (geom); ANALYZE patrol_areas');
}

/**
 * Device visits to the areas of patrol_areas in the period (the SQL step of every dosage).
 * The areas' grid (area-cells.sql) has cells of about a fifteenth of the typical area's
 * side (20 m for hotspots, a few hundred metres for townships), so edge cells stay few.
 */
export async function deviceVisits(tx: Tx, from: Date, to: Date, rules: PatrolRules = PATROL_RULES): Promise<DeviceVisit[]> {
  const { side } = await one<{ side: number | null }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY sqrt(greatest((ST_XMax(geom) - ST_XMin(geom)) * (ST_YMax(geom) - ST_YMin(geom)), 1e-12))) AS side FROM patrol_areas`,
    [], 'sizing the areas\' grid', tx,
  );
  const cellDeg = Math.min(0.01, Math.max(0.0002, (side ?? 0.002) / 15));
  await tx.query('DROP TABLE IF EXISTS patrol_area_cells');
  await tx.query(sql('patrol/area-cells.sql'), [cellDeg]);
  await tx.query('ANALYZE patrol_area_cells');
  // the sort of every hit by area, device and time stays in memory (the default 4 MB spills millions of rows to disk)
  await tx.query(`SET LOCAL work_mem = '256MB'`);
  const rows = await many<{ area: string; device: string; team_id: number | null; s: number; e: number; fixes: number }>(
    sql('patrol/device-visits.sql'), [from, to, rules.dosage.defaultFixIntervalS, rules.dosage.visitGapFactor, townshipsOf(tx), cellDeg], 'finding patrol visits', tx,
  );
  await tx.query(`RESET work_mem`);
  return rows.map((r) => ({ area: Number(r.area), device: r.device, teamId: r.team_id, s: Number(r.s), e: Number(r.e), fixes: r.fixes }));
}

/** Incidents per area of patrol_areas and China hour of day in [from, to): 24 counts per area that has any. */
export async function areaIncidentHours(tx: Tx, from: Date, to: Date): Promise<Map<number, number[]>> {
  const rows = await many<{ area: string; hour: number; n: number }>(sql('patrol/area-incident-hours.sql'), [from, to, townshipsOf(tx)], 'counting incidents by hour in each area', tx);
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const id = Number(r.area);
    let counts = out.get(id);
    if (!counts) out.set(id, (counts = new Array<number>(24).fill(0)));
    counts[r.hour] = r.n;
  }
  return out;
}

export async function teamNames(tx: Tx): Promise<Map<number, string>> {
  const rows = await many<{ id: number; name: string }>('SELECT id, name FROM patrol_teams WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])', [townshipsOf(tx)], 'reading patrol teams', tx);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Dosage of the chosen areas over the period. */
export async function patrolDosage(tx: Tx, input: DosageInput, rules: PatrolRules = PATROL_RULES): Promise<DosageResult> {
  const o = DosageInputSchema.parse(input);
  const radiusM = o.radiusM ?? rules.dosage.radiusM;
  const from = chinaDay(o.period.from);
  const to = chinaDay(o.period.to);
  return scratch(tx, async () => {
    const { areas, label } = await loadAreas(tx, o.areas, o.period.to);
    if (areas.length > LIMITS.patrolAreas) throw new UserError(`More than ${LIMITS.patrolAreas} areas.`, `区域超过 ${LIMITS.patrolAreas} 个:请缩小范围或提高热点阈值。`);
    let visits: DeviceVisit[] = [];
    const hours = new Map<number, number[]>();
    if (areas.length) {
      await makeAreaTable(tx, areas, radiusM);
      visits = await deviceVisits(tx, from, to, rules);
      for (const [id, counts] of await areaIncidentHours(tx, new Date(to.getTime() - rules.koper.incidentLookbackDays * 86_400_000), to)) hours.set(id, counts);
    }
    const s = summariseDosage(areas, visits, hours, o.period, await teamNames(tx), rules);
    const visited = s.areas.filter((a) => a.visits > 0);
    const allVisits = s.areas.reduce((t, a) => t + a.visits, 0);
    const slots = s.areas.reduce((t, a) => t + a.hotSlots, 0);
    const { dosage, koper } = rules;
    return {
      method: {
        period: o.period,
        areas: label,
        radiusM,
        visitGap: `fixes within ${radiusM} m; a gap up to ${dosage.visitGapFactor} × the device's fix interval (default ${dosage.defaultFixIntervalS} s) is one visit; visits of several devices that overlap are one`,
        driveThroughMaxSeconds: dosage.driveThroughMaxSeconds,
        koper: `${koper.minMinutes}–${koper.maxMinutes} minute visits (Koper 1995)`,
        hotHours: `busiest hours of day holding ${Math.round(koper.hotHoursShare * 100)} % of the area's incidents in the ${koper.incidentLookbackDays} days before the period's end (at most ${koper.hotHoursMax}; none below ${koper.minIncidents} incidents)`,
        revisit: `a hot hour is met when a visit overlaps the ${koper.revisitHours} h before its end`,
        bands: rules.bands.map((b) => `${b.name} ${b.from}–${b.to} h`).join(', '),
        note: areas.length ? null : '没有符合条件的区域。',
      },
      areas: s.areas,
      teams: s.teams,
      totals: {
        areas: s.areas.length,
        presenceMinutes: round1(s.areas.reduce((t, a) => t + a.presenceMinutes, 0)),
        visits: allVisits,
        driveThroughs: s.areas.reduce((t, a) => t + a.driveThroughs, 0),
        koperShare: allVisits ? s.areas.reduce((t, a) => t + a.koperVisits, 0) / allVisits : null,
        hotSlotShare: slots ? s.areas.reduce((t, a) => t + a.hotSlotsMet, 0) / slots : null,
        unvisited: s.areas.length - visited.length,
      },
    };
  });
}

/**
 * Patrol presence (minutes, visits of all devices merged) in each of the cells `ids` of the
 * temporary table hotspot_cells (metric), without a radius: the targeting score's 巡防不足.
 */
export async function presenceOfCells(tx: Tx, ids: readonly number[], from: Date, to: Date, rules: PatrolRules = PATROL_RULES): Promise<Map<number, number>> {
  await tx.query('DROP TABLE IF EXISTS patrol_areas; CREATE TEMP TABLE patrol_areas (id bigint PRIMARY KEY, geom geometry NOT NULL) ON COMMIT DROP');
  await tx.query('INSERT INTO patrol_areas SELECT id, ST_Transform(geom, 4326) FROM hotspot_cells WHERE id = ANY ($1::bigint[])', [ids]);
  await tx.query('CREATE INDEX ON patrol_areas USING gist (geom); ANALYZE patrol_areas');
  // no fix of the period near the cells: no presence. Also spares the join below a planner
  // estimate over disjoint extents, which the embedded PostGIS turns into "invalid function
  // selectivity" (seen with cells kilometres away from every patrol track).
  const { near } = await one<{ near: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM patrol_track_points p WHERE p.recorded_at >= $1 AND p.recorded_at < $2 AND p.geom && (SELECT ST_SetSRID(ST_Extent(geom)::geometry, 4326) FROM patrol_areas)) AS near`,
    [from, to], 'looking for patrol fixes near the cells', tx,
  );
  if (!near) return new Map();
  const visits = await deviceVisits(tx, from, to, rules);
  const byArea = new Map<number, DeviceVisit[]>();
  for (const v of visits) {
    const list = byArea.get(v.area);
    if (list) list.push(v);
    else byArea.set(v.area, [v]);
  }
  const tolerance = rules.dosage.visitGapFactor * rules.dosage.defaultFixIntervalS * 1000;
  return new Map([...byArea].map(([id, vs]) => [id, mergeSpans(vs, tolerance).reduce((t, s) => t + (s.e - s.s), 0) / MIN]));
}
