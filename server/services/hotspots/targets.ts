// Rectification targeting (治安重点地区排查整治): an explainable composite score per cell of
// a square fishnet over the county. Each factor is scaled by the county's highest value
// among the cells that had incidents in the last year (0–1, so ten times the incidents is
// ten times the factor: the size of a difference counts, not only its order), weighted, and
// summed; every target lists the factors that set it apart, largest contribution first.
//   density       incidents expected in the coming 90 days, by the forecast method the
//                 rolling-origin validation chooses on the last two years (forecast/county.ts)
//   trend         evidence of a rise: (last 90 days − the 90 before) / √(their sum), when positive
//   gistar        Gi* z-score of the last year's counts (distance band 2.5 cells), when the cell
//                 is a significant hot spot after the FDR correction; else 0
//   cameraGap     incidents of the last year outside every online camera's view (coverage audit views)
//   hazards       hazard points and forest-fire zones in the cell
//   places        key places in the cell
//   patrolDeficit incidents per hour of patrol presence in the cell over the last 14 days
//                 (the patrol dosage: server/services/patrol/dosage.ts presenceOfCells)
// A factor is named as a main factor only when it sets the cell apart: its value is at least
// half the county's highest, or in the top 5 % of cells with incidents (and above 0).
import { z } from 'zod';
import { many, one, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { giStar, hotspotClass, CLASS_LABELS } from './gistar';
import { refreshViews } from '../coverage/fov';
import { RULES } from '../coverage/rules';
import { HotspotInputError } from '../../errors';
import { checkCells, LIMITS } from '../../limits';
import { presenceOfCells } from '../patrol/dosage';
import { surfaceOnCells } from '../forecast/county';
import { placesOf, type PlaceName } from '../area/place-names';

export const FACTORS = ['density', 'trend', 'gistar', 'cameraGap', 'hazards', 'places', 'patrolDeficit'] as const;
export type Factor = (typeof FACTORS)[number];

export const DEFAULT_WEIGHTS: Record<Factor, number> = { density: 0.3, trend: 0.15, gistar: 0.2, cameraGap: 0.15, hazards: 0.05, places: 0.1, patrolDeficit: 0.05 };

export const FACTOR_LABELS: Record<Factor, string> = {
  density: '案件密度', trend: '上升趋势', gistar: '统计热点', cameraGap: '监控缺口', hazards: '隐患暴露', places: '重点场所', patrolDeficit: '巡防不足',
};

export const WeightsSchema = z
  .object(Object.fromEntries(FACTORS.map((f) => [f, z.number().min(0).max(10).optional()])) as Record<Factor, z.ZodOptional<z.ZodNumber>>)
  .strict();

export interface TargetFactor {
  factor: Factor;
  label: string;
  value: number;
  /** the value over the county's highest among cells with incidents, 0–1 */
  scaled: number;
  /** percentile rank among cells with incidents, 0–1 (ties share their mean rank) */
  rank: number;
  contribution: number;
  /** the factor sets the cell apart (SETS_APART): named among the main factors */
  standsOut: boolean;
}

export interface Target {
  rank: number;
  cellId: number;
  lon: number;
  lat: number;
  score: number;
  hotspotClass: string;
  place: PlaceName;
  factors: TargetFactor[];
  reason: string;
}

/** A factor sets a cell apart at this share of the county's highest value, or in this top share of cells. */
export const SETS_APART = { scaled: 0.5, topShare: 0.05 };
/** The density factor's forecast: this horizon from that much history (the planner's forecast defaults). */
export const DENSITY_FORECAST = { horizonDays: 90, historyDays: 730 };

export interface TargetOptions {
  top: number;
  cellM?: number;
  weights?: Partial<Record<Factor, number>>;
}

export async function rankTargets(tx: Tx, o: TargetOptions): Promise<{ method: Record<string, unknown>; targets: Target[] }> {
  const cellM = o.cellM ?? 500;
  if (!(Number.isInteger(o.top) && o.top >= LIMITS.top.min && o.top <= LIMITS.top.max)) throw new HotspotInputError(`--top must be a whole number from 1 to 1000, got ${o.top}.`, `候选整治目标数量须为 1 到 1000 之间的整数(当前为 ${o.top})。`);
  if (!(cellM >= 100 && cellM <= 5000)) throw new HotspotInputError(`The cell size must be from 100 to 5,000 m, got ${cellM}.`, `网格边长须在 100 到 5000 米之间(当前为 ${cellM})。`);
  const weights = { ...DEFAULT_WEIGHTS, ...(o.weights ?? {}) };
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new HotspotInputError('At least one factor needs a weight above 0.', '权重不能全部为 0:至少要有一项因子的权重大于 0。');
  return scratch(tx, async () => {
    const c = tx;
    const ref = await one<{ t: Date | null }>('SELECT max(occurred_at) AS t FROM incidents', [], 'finding the latest incident', c);
    if (!ref.t) throw new HotspotInputError('There are no incidents to rank targets by.', '数据库中没有案事件,无法排出整治目标:请先导入案事件。');
    const area = await countyArea(c);
    const { km2 } = await one<{ km2: number }>('SELECT ST_Area($1::geometry::geography) / 1e6 AS km2', [area], 'measuring the county', c);
    checkCells(km2, 'square', cellM, LIMITS.targetCells); // the cost bound before the work (server/limits.ts)
    const srid = await utmSrid(c, area);
    await createCells(c, 'square', cellM, area, srid);
    await refreshViews(c, srid); // the views must match the cameras; a cache, rebuilt only where stale
    await c.query(sql('hotspots/target-views.sql'), [RULES.effective.statuses]);
    await c.query('CREATE INDEX ON target_views USING gist (geom); ANALYZE target_views');
    const raw = await many<{ id: number; incidents: number; unseen: number; recent: number; previous: number; cameras: number; hazards: number; places: number }>(
      sql('hotspots/target-factors.sql'), [srid, ref.t, cellM], 'measuring the targeting factors', c,
    );
    await c.query('UPDATE hotspot_cells h SET n = r.n FROM unnest($1::bigint[], $2::float8[]) AS r(id, n) WHERE h.id = r.id', [raw.map((r) => r.id), raw.map((r) => r.incidents)]);
    await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
    const gi = new Map((await giStar(c, { kind: 'distance', metres: 2.5 * cellM }, cellM)).map((g) => [g.id, g]));
    const where = new Map((await many<{ id: number; lon: number; lat: number }>('SELECT id, ST_X(ST_Transform(pt, 4326)) AS lon, ST_Y(ST_Transform(pt, 4326)) AS lat FROM hotspot_cells', [], 'reading cells', c)).map((w) => [w.id, w]));

    const active = raw.filter((r) => r.incidents > 0);
    const presence = await presenceOfCells(c, active.map((r) => r.id), new Date(ref.t.getTime() - 14 * 86_400_000), ref.t);
    const surface = await surfaceOnCells(c, srid, { cellM, asOf: ref.t, ...DENSITY_FORECAST });
    const values: Record<Factor, Map<number, number>> = {
      density: new Map(active.map((r) => [r.id, surface.expected[r.id - 1] ?? 0])),
      trend: new Map(active.map((r) => [r.id, riseEvidence(r.recent, r.previous)])),
      gistar: new Map(active.map((r) => {
        const g = gi.get(r.id);
        return [r.id, isHot(hotspotClass(g?.z ?? null, g?.pFdr ?? null)) ? Math.max(0, g!.z!) : 0];
      })),
      cameraGap: new Map(active.map((r) => [r.id, r.unseen])),
      hazards: new Map(active.map((r) => [r.id, r.hazards])),
      places: new Map(active.map((r) => [r.id, r.places])),
      patrolDeficit: new Map(active.map((r) => [r.id, r.incidents / (1 + (presence.get(r.id) ?? 0) / 60)])),
    };
    const ranks = Object.fromEntries(FACTORS.map((f) => [f, percentileRanks(values[f])])) as Record<Factor, Map<number, number>>;
    const scales = Object.fromEntries(FACTORS.map((f) => [f, scaledValues(values[f])])) as Record<Factor, Map<number, number>>;
    const scored = active.map((r) => {
      const factors = FACTORS.map((f) => {
        const value = values[f].get(r.id)!;
        const scaled = scales[f].get(r.id)!;
        const rank = ranks[f].get(r.id)!;
        return {
          factor: f, label: FACTOR_LABELS[f], value: round(value, 3), scaled: round(scaled, 3), rank: round(rank, 3),
          contribution: round((weights[f] / total) * scaled, 4), standsOut: weights[f] > 0 && setsApart(value, scaled, rank),
        };
      }).sort((a, b) => b.contribution - a.contribution);
      return { r, factors, score: factors.reduce((a, f) => a + f.contribution, 0) };
    });
    scored.sort((a, b) => b.score - a.score || a.r.id - b.r.id);
    const top = scored.slice(0, o.top);
    const places = await placesOf(c, top.map(({ r }) => where.get(r.id)!));
    const targets = top.map(({ r, factors, score }, i) => {
      const g = gi.get(r.id);
      const cls = hotspotClass(g?.z ?? null, g?.pFdr ?? null);
      return {
        rank: i + 1, cellId: r.id, lon: round(where.get(r.id)!.lon, 6), lat: round(where.get(r.id)!.lat, 6), score: round(score, 4), hotspotClass: cls,
        place: places[i]!, factors, reason: explain(r, cls, factors, values.density.get(r.id)!),
      };
    });
    return {
      method: {
        cells: raw.length, cellsWithIncidents: active.length, cellM, reference: ref.t.toISOString(), weights,
        scoring: 'each factor scaled by the highest value among cells with incidents in the last year (0–1); score = Σ weight × scaled / Σ weights',
        mainFactors: `named when the value is at least ${SETS_APART.scaled * 100} % of the county's highest or in the top ${SETS_APART.topShare * 100} % of cells with incidents`,
        density: { method: surface.chosen, reason: surface.reason, params: surface.params, horizonDays: DENSITY_FORECAST.horizonDays, historyFrom: surface.historyFrom.toISOString(), incidents: surface.incidents },
      },
      targets,
    };
  });
}

/** Average-rank percentile (ties share their mean rank), 0 for the lowest, 1 for the highest. */
export function percentileRanks(values: Map<number, number>): Map<number, number> {
  const sorted = [...values].sort((a, b) => a[1] - b[1]);
  const out = new Map<number, number>();
  const n = sorted.length;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1]![1] === sorted[i]![1]) j++;
    const rank = n === 1 ? 1 : (i + j) / 2 / (n - 1);
    for (let k = i; k <= j; k++) out.set(sorted[k]![0], rank);
    i = j + 1;
  }
  return out;
}

/** Each value over the highest (0 when the highest is not above 0); negative values count as 0. */
export function scaledValues(values: Map<number, number>): Map<number, number> {
  let top = 0;
  for (const v of values.values()) top = Math.max(top, v);
  return new Map([...values].map(([k, v]) => [k, top > 0 ? Math.max(0, v) / top : 0]));
}

/** The evidence of a rise from `previous` to `recent` counts: a Poisson z, 0 when not a rise. */
export function riseEvidence(recent: number, previous: number): number {
  return recent > previous ? (recent - previous) / Math.sqrt(recent + previous) : 0;
}

/** Whether a factor sets a cell apart (SETS_APART). */
export function setsApart(value: number, scaled: number, rank: number): boolean {
  return value > 0 && (scaled >= SETS_APART.scaled || rank >= 1 - SETS_APART.topShare);
}

const isHot = (cls: string) => cls.startsWith('hot');

function explain(r: { incidents: number; unseen: number; recent: number; previous: number; cameras: number; places: number; hazards: number }, cls: string, factors: TargetFactor[], expected: number): string {
  const parts = [`近一年案事件 ${r.incidents} 起`, `近 90 天 ${r.recent} 起(前 90 天 ${r.previous} 起)`, `预测未来 ${DENSITY_FORECAST.horizonDays} 天约 ${expected.toFixed(1)} 起`];
  if (cls !== 'none') parts.push(CLASS_LABELS[cls as keyof typeof CLASS_LABELS]);
  parts.push(r.cameras === 0 ? '无在线摄像机' : `在线摄像机 ${r.cameras} 台`);
  if (r.incidents > 0) parts.push(`视野外案事件 ${r.unseen} 起`);
  if (r.places) parts.push(`重点场所 ${r.places} 处`);
  if (r.hazards) parts.push(`隐患 ${r.hazards} 处`);
  const main = factors.filter((f) => f.standsOut).slice(0, 3);
  return `${parts.join(';')}。${main.length ? `主要因素:${main.map((f) => f.label).join('、')}` : '无单项因素突出,各项综合靠前'}`;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
