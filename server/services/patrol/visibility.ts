// 见警率 (how often the public sees police). No national formula exists; ours (README
// "Patrol analytics"): the share of (unit × China day × hour of day) cells of a period in
// which one patrol visit stayed at least visibility.minVisitMinutes inside the unit (a
// management grid, or a township where the county has no grids). Visits are each device's
// (server/sql/patrol/device-visits.sql with the units as areas and no radius). Returned per
// unit (the choropleth), per hour of day (the chart, with the incidents' share of each
// hour beside it) and where presence misses the incident peaks: each unit's busiest
// incident hours (visibility.peakHours, from its incidents over the koper lookback, units
// with at least koper.minIncidents) with the share of the period's days patrolled at that
// hour; a miss is a peak hour patrolled on fewer than half the days. `incidents` per unit
// and the chart's incident shares are over the same lookback.
import { z } from 'zod';
import { many } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
import { chinaDay } from '../../../lib/china-time';
import type { Geometry } from '../geojson';
import { areaIncidentHours, deviceVisits, PeriodSchema, type DeviceVisit, type Period } from './dosage';
import { PATROL_RULES, type PatrolRules } from './rules';

export const VisibilityInputSchema = z.object({ period: PeriodSchema, unit: z.enum(['grid', 'township', 'auto']).default('auto') });
export type VisibilityInput = z.input<typeof VisibilityInputSchema>;

export interface UnitVisibility { id: number; code: string; name: string; township: string | null; rate: number; cellsMet: number; cells: number; incidents: number; geometry: Geometry }
export interface PeakMiss { unit: string; code: string; hour: number; incidents: number; presenceShare: number; miss: boolean }

export interface VisibilityResult {
  method: { period: Period; unit: 'grid' | 'township'; minVisitMinutes: number; definition: string; days: number };
  rate: number | null;
  units: UnitVisibility[];
  hours: { hour: number; rate: number; incidentShare: number }[];
  peaks: PeakMiss[];
}

const HOUR = 3_600_000;

/** Met (unit, day, hour) cells from device visits: a visit's overlap with the hour ≥ minMs. Pure. */
export function metCells(visits: readonly DeviceVisit[], fromMs: number, days: number, minMs: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const v of visits) {
    for (let h = Math.floor((v.s - fromMs) / HOUR); h * HOUR + fromMs <= v.e; h++) {
      if (h < 0 || h >= days * 24) continue;
      const start = fromMs + h * HOUR;
      const overlap = Math.min(v.e, start + HOUR) - Math.max(v.s, start);
      if (overlap >= minMs) {
        let set = out.get(v.area);
        if (!set) out.set(v.area, (set = new Set()));
        set.add(h);
      }
    }
  }
  return out;
}

export async function patrolVisibility(tx: Tx, input: VisibilityInput, rules: PatrolRules = PATROL_RULES): Promise<VisibilityResult> {
  const o = VisibilityInputSchema.parse(input);
  const from = chinaDay(o.period.from);
  const to = chinaDay(o.period.to);
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const scope = townshipsOf(tx);
  return scratch(tx, async () => {
    const grids = await many<{ n: number }>('SELECT count(*)::int AS n FROM grids WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])', [scope], 'counting grids', tx);
    const unit = o.unit === 'auto' ? (grids[0]!.n > 0 ? 'grid' : 'township') : o.unit;
    await tx.query('DROP TABLE IF EXISTS patrol_areas; CREATE TEMP TABLE patrol_areas (id bigint PRIMARY KEY, geom geometry NOT NULL) ON COMMIT DROP');
    const units = await many<{ id: string; code: string; name: string; township: string | null; geometry: Geometry }>(
      unit === 'grid'
        ? `WITH u AS (INSERT INTO patrol_areas SELECT id, geom FROM grids WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[]) RETURNING id)
           SELECT g.id, g.code, g.name, t.name AS township, ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, 0.00005), 6)::jsonb AS geometry
           FROM grids g JOIN u USING (id) LEFT JOIN admin_areas t ON t.code = g.township_code ORDER BY g.code`
        : `WITH u AS (INSERT INTO patrol_areas SELECT id, geom FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL AND ($1::text[] IS NULL OR code = ANY ($1::text[])) RETURNING id)
           SELECT a.id, a.code, a.name, a.name AS township, ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, 0.0002), 6)::jsonb AS geometry
           FROM admin_areas a JOIN u USING (id) ORDER BY a.code`,
      [scope], 'reading the units of 见警率', tx,
    );
    await tx.query('CREATE INDEX ON patrol_areas USING gist (geom); ANALYZE patrol_areas');
    const visits = await deviceVisits(tx, from, to, rules);
    // the units' incident hours over the Koper lookback (a week holds too few incidents per grid to show a peak)
    const incidents = await areaIncidentHours(tx, new Date(to.getTime() - rules.koper.incidentLookbackDays * 86_400_000), to);
    const met = metCells(visits, from.getTime(), days, rules.visibility.minVisitMinutes * 60_000);
    const cells = days * 24;
    const out: UnitVisibility[] = units.map((u) => {
      const id = Number(u.id);
      const m = met.get(id)?.size ?? 0;
      return { id, code: u.code, name: u.name, township: u.township, rate: cells ? m / cells : 0, cellsMet: m, cells, incidents: (incidents.get(id) ?? []).reduce((a, b) => a + b, 0), geometry: u.geometry };
    });
    const totalIncidents = out.reduce((a, u) => a + u.incidents, 0);
    const hours = Array.from({ length: 24 }, (_, hour) => {
      let n = 0;
      for (const set of met.values()) for (const h of set) if (h % 24 === hour) n++;
      const inc = [...incidents.values()].reduce((a, c) => a + c[hour]!, 0);
      return { hour, rate: units.length && days ? n / (units.length * days) : 0, incidentShare: totalIncidents ? inc / totalIncidents : 0 };
    });
    const peaks: PeakMiss[] = [];
    for (const u of out) {
      const counts = incidents.get(u.id);
      if (!counts || u.incidents < rules.koper.minIncidents) continue;
      const top = counts.map((n, hour) => ({ n, hour })).filter((x) => x.n > 0).sort((a, b) => b.n - a.n || a.hour - b.hour).slice(0, rules.visibility.peakHours);
      const set = met.get(u.id) ?? new Set<number>();
      for (const t of top) {
        let d = 0;
        for (let day = 0; day < days; day++) if (set.has(day * 24 + t.hour)) d++;
        const share = days ? d / days : 0;
        peaks.push({ unit: u.name, code: u.code, hour: t.hour, incidents: t.n, presenceShare: share, miss: share < 0.5 });
      }
    }
    peaks.sort((a, b) => Number(b.miss) - Number(a.miss) || b.incidents - a.incidents || a.presenceShare - b.presenceShare);
    const allCells = out.reduce((a, u) => a + u.cells, 0);
    return {
      method: {
        period: o.period, unit, minVisitMinutes: rules.visibility.minVisitMinutes, days,
        definition: `见警率 = (${unit === 'grid' ? '网格' : '乡镇'} × 日 × 小时) 单元中至少有一次巡逻停留 ${rules.visibility.minVisitMinutes} 分钟及以上的比例`,
      },
      rate: allCells ? out.reduce((a, u) => a + u.cellsMet, 0) / allCells : null,
      units: out,
      hours,
      peaks,
    };
  });
}
