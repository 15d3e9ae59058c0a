// The county's hotspot forecast for the planner: the incidents of the last `historyDays`
// before `asOf` (the categories, the caller's townships), the county's square fishnet, and
// the method the rolling-origin validation chooses inside that history (select.ts) —
// the same choice the back-test makes on a file. Each cell's score becomes its expected
// incidents over the coming `horizonDays`: its share of the surface × the history's daily
// rate × the horizon. Cells with nothing expected are left out.
import type { Geometry } from 'geojson';
import { many, one } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { createPoints, loadIncidents } from '../hotspots/hotspots';
import { BREAK_QUANTILES, cellShapes, quantileBreaks } from '../hotspots/kde';
import { HotspotInputError } from '../../errors';
import { checkCells, LIMITS } from '../../limits';
import { DAY_MS, fishnet, incidents, toDays } from './grid';
import { forecastAt, runMethod, type MethodName } from './methods';
import { chooseMethod } from './select';

export interface CountyForecastOptions {
  cellM: number;
  horizonDays: number;
  /** the forecast starts here (default now) */
  asOf?: Date;
  historyDays: number;
  categories?: string[];
}

export interface ForecastCell {
  id: number;
  lon: number;
  lat: number;
  /** expected incidents in the cell over the horizon */
  expected: number;
  polygon: Geometry;
}

export interface CountyForecast {
  method: {
    chosen: MethodName;
    reason: string;
    params: Record<string, number | string> | null;
    validation: Record<string, number | null>;
    folds: Array<{ origin: string; end: string }>;
    cellM: number;
    metricSrid: number;
    historyFrom: string;
    asOf: string;
    horizonDays: number;
    incidents: number;
    cells: number;
    breaks: number[];
    breaksRule: string;
  };
  cells: ForecastCell[];
}

/** At most this many incidents feed one forecast: the validation refits every method per fold. */
export const MAX_FORECAST_INCIDENTS = 300_000;

export async function runCountyForecast(tx: Tx, o: CountyForecastOptions): Promise<CountyForecast> {
  return scratch(tx, () => forecast(tx, o));
}

async function forecast(c: Tx, o: CountyForecastOptions): Promise<CountyForecast> {
  const asOf = o.asOf ?? new Date();
  const from = new Date(asOf.getTime() - o.historyDays * DAY_MS);
  const area = await countyArea(c);
  const srid = await utmSrid(c, area);
  const { km2 } = await one<{ km2: number }>('SELECT ST_Area($1::geometry::geography) / 1e6 AS km2', [area], 'measuring the county', c);
  checkCells(km2, 'square', o.cellM, LIMITS.kdeCells);
  // bound the work before any is done: the embedded engine cannot cancel a long statement
  const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [from, asOf], 'counting the incidents', c);
  if (n > MAX_FORECAST_INCIDENTS) throw new HotspotInputError(`${n} incidents in the history (limit ${MAX_FORECAST_INCIDENTS}): shorten the history or choose categories.`, `历史期内有 ${n.toLocaleString('zh-CN')} 起案事件,超过预测上限 ${MAX_FORECAST_INCIDENTS.toLocaleString('zh-CN')} 起:请缩短历史期或选择案件类别。`);
  await createPoints(c);
  await loadIncidents(c, from, asOf, o.categories);
  await createCells(c, 'square', o.cellM, area, srid);
  const cellRows = await many<{ i: number; j: number }>('SELECT i, j FROM hotspot_cells ORDER BY id', [], 'reading the cells', c);
  const grid = fishnet(o.cellM, cellRows);
  const rows = await many<{ x: number; y: number; t: number }>(
    'SELECT ST_X(q) AS x, ST_Y(q) AS y, extract(epoch FROM t)::float8 / 86400 AS t FROM (SELECT ST_Transform(geom, $1::int) AS q, t FROM hotspot_points) p',
    [srid], 'projecting the incidents', c,
  );
  const points = incidents(grid, rows);
  const origin = toDays(asOf);
  const f = forecastAt(grid, points, toDays(from), origin, o.horizonDays);
  const choice = chooseMethod(f);
  const scored = runMethod(choice.method, f);
  const base = {
    chosen: choice.method, reason: choice.reason, params: scored.params ?? null, validation: choice.validation, folds: choice.folds,
    cellM: o.cellM, metricSrid: srid, historyFrom: from.toISOString(), asOf: asOf.toISOString(), horizonDays: o.horizonDays,
    incidents: rows.length, cells: grid.n, breaksRule: `quantiles ${BREAK_QUANTILES.map((q) => `${q * 100} %`).join(', ')} of the cells with incidents expected`,
  };
  // gistar's z can be negative: the surface is shifted to start at 0 before it becomes shares
  let low = Infinity;
  for (const v of scored.score) low = Math.min(low, v);
  const shift = choice.method === 'gistar' && low < 0 ? -low : 0;
  let total = 0;
  for (const v of scored.score) total += v + shift;
  const expectedAll = (rows.length / o.historyDays) * o.horizonDays;
  const kept: Array<{ id: number; expected: number }> = [];
  if (total > 0) scored.score.forEach((v, k) => { const e = ((v + shift) / total) * expectedAll; if (e > 1e-6) kept.push({ id: k + 1, expected: e }); });
  if (!kept.length) return { method: { ...base, breaks: [] }, cells: [] };
  const where = await cellShapes(c, kept.map((d) => d.id));
  const breaks = quantileBreaks(kept.map((d) => d.expected));
  return {
    method: { ...base, breaks },
    cells: kept.map((d) => {
      const w = where.get(d.id)!;
      return { id: d.id, lon: round(w.lon, 6), lat: round(w.lat, 6), expected: round(d.expected, 4), polygon: w.polygon };
    }),
  };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
