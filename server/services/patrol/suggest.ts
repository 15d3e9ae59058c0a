// Route suggestion (巡逻路线建议): for a team and a shift, a loop from the team's base over the
// road network that collects the most risk within the shift, with a Koper-length stop
// (suggest.stopMinutes) at each hotspot it visits. Risk of a hotspot (a Gi* hot cell of the
// 365 days before `to`): its incidents within the presence radius that happened in the
// shift's hours of day over the koper lookback; hotspots already within coverage.withinM of a
// planned route count half (the suggestion goes where the plan does not). The graph holds
// the roads within reach of the base (half the shift at the team's speed); the loop is
// planned by route-plan.ts. The answer states what it covers and what it leaves out, and why.
import { z } from 'zod';
import { dayText, metres, rowId } from '../../limits';
import { many, maybeOne, one, sql } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { countyArea, utmSrid } from '../area/study-area';
import { areaIncidentHours, AreaSourceSchema, loadAreas, makeAreaTable } from './dosage';
import { projectRoutes } from './coverage';
import { buildGraph, distanceMatrix, nearestNode, planLoop, shortestPath, type Segment } from './route-plan';
import { PATROL_RULES, type PatrolRules } from './rules';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

export const SuggestInputSchema = z.object({
  teamId: rowId('巡逻队编号'),
  /** The shift; default: the first shift of the team's first route. */
  shift: z.object({ start: HHMM, end: HHMM }).optional(),
  mode: z.enum(['walk', 'drive']).default('drive'),
  /** The end of the hotspot window (China day). */
  to: dayText('截止日期'),
  cellM: metres('网格边长', { min: 100, max: 2000 }).default(500),
});
export type SuggestInput = z.input<typeof SuggestInputSchema>;

export interface SuggestedStop { order: number; id: number; label: string; lon: number; lat: number; arriveMinute: number; weight: number; incidentsInShift: number; onPlannedRoute: boolean }
export interface LeftOut { id: number; label: string; lon: number; lat: number; weight: number; reason: string }

export interface Suggestion {
  team: { id: number; name: string };
  shift: { start: string; end: string; minutes: number; hours: number[] };
  mode: 'walk' | 'drive';
  base: { lon: number; lat: number; source: string };
  stops: SuggestedStop[];
  path: [number, number][];
  minutes: { travel: number; stops: number; total: number };
  weight: { collected: number; available: number; share: number | null };
  leftOut: LeftOut[];
  graph: { nodes: number; links: number; segments: number; reachM: number };
  method: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The hours of day a shift touches (China time), and its length in minutes (across midnight too). */
export function shiftHours(start: string, end: string): { hours: number[]; minutes: number } {
  const s = minutesOf(start);
  let e = minutesOf(end);
  if (e <= s) e += 24 * 60;
  const hours: number[] = [];
  for (let h = Math.floor(s / 60); h * 60 < e; h++) hours.push(h % 24);
  return { hours, minutes: e - s };
}

export async function suggestRoute(tx: Tx, input: SuggestInput, rules: PatrolRules = PATROL_RULES): Promise<Suggestion> {
  const o = SuggestInputSchema.parse(input);
  const scope = townshipsOf(tx);
  const team = await maybeOne<{ id: number; name: string; base: [number, number] | null; route_start: [number, number] | null; centre: [number, number] | null; schedule: { start: string; end: string }[] | null }>(
    `SELECT t.id, t.name,
            CASE WHEN t.base IS NOT NULL THEN jsonb_build_array(ST_X(t.base), ST_Y(t.base)) END AS base,
            (SELECT jsonb_build_array(ST_X(ST_StartPoint(r.geom)), ST_Y(ST_StartPoint(r.geom))) FROM patrol_routes r WHERE r.team_id = t.id ORDER BY r.id LIMIT 1) AS route_start,
            (SELECT jsonb_build_array(ST_X(a.centre), ST_Y(a.centre)) FROM admin_areas a WHERE a.code = t.township_code AND a.centre IS NOT NULL) AS centre,
            (SELECT r.schedule FROM patrol_routes r WHERE r.team_id = t.id ORDER BY r.id LIMIT 1) AS schedule
     FROM patrol_teams t WHERE t.id = $1 AND ($2::text[] IS NULL OR t.township_code = ANY ($2::text[]))`,
    [o.teamId, scope], 'reading the patrol team', tx,
  );
  if (!team) throw new UserError(`No patrol team ${o.teamId} in scope.`, `没有编号为 ${o.teamId} 的巡逻队(或不在您的辖区内)。`);
  const baseAt = team.base ?? team.route_start ?? team.centre;
  if (!baseAt) throw new UserError(`Team ${team.name} has no base, route or township centre to start from.`, `巡逻队“${team.name}”没有驻地、路线或所属乡镇位置,无法规划路线。`);
  const baseSource = team.base ? '巡逻队驻地' : team.route_start ? '首条巡逻路线起点' : '所属乡镇驻地';
  const shift = o.shift ?? team.schedule?.[0];
  if (!shift) throw new UserError(`Team ${team.name} has no shift: give one.`, `巡逻队“${team.name}”没有排班:请选择班次时间。`);
  const { hours, minutes } = shiftHours(shift.start, shift.end);
  const speedMps = (o.mode === 'walk' ? rules.suggest.walkKmh : rules.suggest.driveKmh) / 3.6;
  const limitS = minutes * 60;
  const reachM = Math.min(20_000, (limitS * speedMps) / 2);
  const stopS = rules.suggest.stopMinutes * 60;

  const hot = await loadAreas(tx, AreaSourceSchema.parse({ kind: 'hotspots', to: o.to, cellM: o.cellM }), o.to);
  return scratch(tx, async () => {
    const srid = await utmSrid(tx, await countyArea(tx));
    const { x: bx, y: by } = await one<{ x: number; y: number }>('SELECT ST_X(p) AS x, ST_Y(p) AS y FROM ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), $3::int) p', [baseAt[0], baseAt[1], srid], 'projecting the base', tx);
    // hotspots within reach (straight line), their incidents by hour, and whether a planned route passes
    await makeAreaTable(tx, hot.areas, rules.dosage.radiusM);
    await projectRoutes(tx, srid);
    const near = await many<{ id: string; x: number; y: number; on_route: boolean }>(
      `SELECT a.id, ST_X(c) AS x, ST_Y(c) AS y,
              EXISTS (SELECT 1 FROM cover_routes r WHERE ST_DWithin(r.g, c, $3::float8)) AS on_route
       FROM patrol_areas a, LATERAL ST_Transform(ST_Centroid(a.geom), $1::int) c
       WHERE ST_DWithin(c, ST_SetSRID(ST_MakePoint($4, $5), $1::int), $2::float8)`,
      [srid, reachM, rules.coverage.withinM, bx, by], 'finding hotspots within reach', tx,
    );
    const to = new Date(`${o.to}T00:00:00+08:00`);
    const byHour = await areaIncidentHours(tx, new Date(to.getTime() - rules.koper.incidentLookbackDays * 86_400_000), to);
    const inShift = new Map([...byHour].map(([id, counts]) => [id, hours.reduce((t, h) => t + counts[h]!, 0)]));
    const byId = new Map(hot.areas.map((a) => [a.id, a]));
    const weighted = near.map((n) => {
      const incidents = inShift.get(Number(n.id)) ?? 0;
      return { id: Number(n.id), x: n.x, y: n.y, onRoute: n.on_route, incidents, weight: n.on_route ? incidents / 2 : incidents };
    }).filter((c) => c.weight > 0).sort((a, b) => b.weight - a.weight);
    const chosen = weighted.slice(0, rules.suggest.maxCandidates);
    const leftOut: LeftOut[] = weighted.slice(rules.suggest.maxCandidates).map((c) => ({ id: c.id, label: byId.get(c.id)!.label, lon: byId.get(c.id)!.lon, lat: byId.get(c.id)!.lat, weight: c.weight, reason: `候选数超过 ${rules.suggest.maxCandidates} 个,未参与规划` }));

    // the road graph within reach of the base
    const segs = await many<Segment>(sql('patrol/road-segments.sql'), [srid, bx, by, reachM + 500, rules.suggest.maxRoadSegments + 1], 'reading the road network', tx);
    if (segs.length > rules.suggest.maxRoadSegments) throw new UserError(`More than ${rules.suggest.maxRoadSegments} road segments within reach.`, `可达范围内道路过多(超过 ${rules.suggest.maxRoadSegments} 段):请缩短班次或改为步巡。`);
    const g = buildGraph(segs);
    const baseNode = nearestNode(g, bx, by);
    if (!baseNode) throw new UserError('No road within reach of the base.', '驻地附近没有道路数据:请先导入道路。');
    const comp = g.graph.getNode(baseNode.id)!.data.component;
    const SNAP_M = 300;
    const snapped: { c: (typeof chosen)[number]; node: number }[] = [];
    for (const c of chosen) {
      const n = nearestNode(g, c.x, c.y, comp);
      const a = byId.get(c.id)!;
      if (!n || n.m > SNAP_M) leftOut.push({ id: c.id, label: a.label, lon: a.lon, lat: a.lat, weight: c.weight, reason: `${SNAP_M} 米内没有与驻地连通的道路` });
      else snapped.push({ c, node: n.id });
    }
    const ids = [baseNode.id, ...snapped.map((s) => s.node)];
    const cost = distanceMatrix(g, ids).map((row) => row.map((m) => m / speedMps));
    const plan = planLoop({ cost, weight: [0, ...snapped.map((s) => s.c.weight)], stopS, limitS });
    const order = [0, ...plan.order, 0];
    const path: [number, number][] = [];
    const stops: SuggestedStop[] = [];
    let clock = 0;
    for (let k = 1; k < order.length; k++) {
      const leg = shortestPath(g, ids[order[k - 1]!]!, ids[order[k]!]!)!;
      for (const [i, id] of leg.nodes.entries()) {
        if (i === 0 && path.length) continue;
        const d = g.graph.getNode(id)!.data;
        path.push([Math.round(d.lon * 1e6) / 1e6, Math.round(d.lat * 1e6) / 1e6]);
      }
      clock += cost[order[k - 1]!]![order[k]!]!;
      if (k < order.length - 1) {
        const s = snapped[order[k]! - 1]!;
        const a = byId.get(s.c.id)!;
        stops.push({ order: stops.length + 1, id: s.c.id, label: a.label, lon: a.lon, lat: a.lat, arriveMinute: Math.round(clock / 60), weight: s.c.weight, incidentsInShift: s.c.incidents, onPlannedRoute: s.c.onRoute });
        clock += stopS;
      }
    }
    const visited = new Set(plan.order);
    snapped.forEach((s, i) => {
      if (visited.has(i + 1)) return;
      const a = byId.get(s.c.id)!;
      leftOut.push({ id: s.c.id, label: a.label, lon: a.lon, lat: a.lat, weight: s.c.weight, reason: '班次时长内无法到达并停留' });
    });
    const available = weighted.reduce((t, c) => t + c.weight, 0);
    return {
      team: { id: team.id, name: team.name },
      shift: { start: shift.start, end: shift.end, minutes, hours },
      mode: o.mode,
      base: { lon: baseAt[0], lat: baseAt[1], source: baseSource },
      stops,
      path,
      minutes: { travel: Math.round(plan.travelS / 60), stops: Math.round((stops.length * stopS) / 60), total: Math.round(plan.totalS / 60) },
      weight: { collected: plan.weight, available, share: available ? plan.weight / available : null },
      leftOut: leftOut.sort((a, b) => b.weight - a.weight),
      graph: { nodes: g.nodes, links: g.links, segments: segs.length, reachM: Math.round(reachM) },
      method: `从${baseSource}出发并返回,${o.mode === 'walk' ? `步巡 ${rules.suggest.walkKmh}` : `车巡 ${rules.suggest.driveKmh}`} km/h,每个热点停留 ${rules.suggest.stopMinutes} 分钟(Koper 曲线)。热点权重 = 近 ${rules.koper.incidentLookbackDays} 天内班次时段(${hours.join('、')} 时)在热点 ${rules.dosage.radiusM} 米内发生的案事件数;已在计划路线 ${rules.coverage.withinM} 米内的热点按一半计。贪心插入后 2-opt 优化,再做替换搜索。`,
    };
  });
}
