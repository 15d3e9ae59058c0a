// The county's hotspot forecast for the planner: the incidents of the last `historyDays`
// before `asOf` (the categories, the caller's townships), the county's square fishnet, and
// the method the rolling-origin validation chooses inside that history (select.ts) —
// the same choice the back-test makes on a file. Each cell's score becomes its expected
// incidents over the coming `horizonDays`: its share of the surface × the history's daily
// rate × the horizon. Cells with nothing expected are left out.
import type { Geometry } from 'geojson';
import { many, one } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
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
  const area = await countyArea(c);
  const srid = await utmSrid(c, area);
  const { km2 } = await one<{ km2: number }>('SELECT ST_Area($1::geometry::geography) / 1e6 AS km2', [area], 'measuring the county', c);
  checkCells(km2, 'square', o.cellM, LIMITS.kdeCells);
  await boundHistory(c, o, asOf);
  await createCells(c, 'square', o.cellM, area, srid);
  const s = await surfaceOnCells(c, srid, { ...o, asOf });
  const base = {
    chosen: s.chosen, reason: s.reason, params: s.params, validation: s.validation, folds: s.folds,
    cellM: o.cellM, metricSrid: srid, historyFrom: s.historyFrom.toISOString(), asOf: asOf.toISOString(), horizonDays: o.horizonDays,
    incidents: s.incidents, cells: s.expected.length, breaksRule: `quantiles ${BREAK_QUANTILES.map((q) => `${q * 100} %`).join(', ')} of the cells with incidents expected`,
  };
  const kept: Array<{ id: number; expected: number }> = [];
  s.expected.forEach((e, k) => { if (e > 1e-6) kept.push({ id: k + 1, expected: e }); });
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

/** Bounds the work before any is done: the embedded engine cannot cancel a long statement. */
async function boundHistory(c: Tx, o: { historyDays: number }, asOf: Date): Promise<void> {
  const from = new Date(asOf.getTime() - o.historyDays * DAY_MS);
  const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [from, asOf], 'counting the incidents', c);
  if (n > MAX_FORECAST_INCIDENTS) throw new HotspotInputError(`${n} incidents in the history (limit ${MAX_FORECAST_INCIDENTS}): shorten the history or choose categories.`, `历史期内有 ${n.toLocaleString('zh-CN')} 起案事件,超过预测上限 ${MAX_FORECAST_INCIDENTS.toLocaleString('zh-CN')} 起:请缩短历史期或选择案件类别。`);
}

/** The chosen method's surface over the cells of hotspot_cells, as expected incidents per cell. */
export interface Surface {
  chosen: MethodName;
  reason: string;
  params: Record<string, number | string> | null;
  validation: Record<string, number | null>;
  folds: Array<{ origin: string; end: string }>;
  historyFrom: Date;
  incidents: number;
  /** expected incidents over the horizon, by cell index (cell id − 1) */
  expected: Float64Array;
}

// The validation refits every method on every fold (seconds to tens of seconds): the surface
// is kept per data version, scope and question, so a planner re-weighting targets waits once.
const surfaces = new Map<string, Surface>();
const MAX_SURFACES = 8;

/**
 * The forecast surface on the square cells already in hotspot_cells (metric SRID `srid`,
 * cells of `o.cellM`): the incidents of the `historyDays` before `asOf` (the caller's
 * townships, the categories), the method chosen by rolling-origin validation, and each
 * cell's expected incidents over `horizonDays` (its share of the surface × the history's
 * daily rate × the horizon). Used by the planner's forecast layer and the targeting score.
 */
export async function surfaceOnCells(c: Tx, srid: number, o: CountyForecastOptions & { asOf: Date }): Promise<Surface> {
  const from = new Date(o.asOf.getTime() - o.historyDays * DAY_MS);
  const cellRows = await many<{ i: number; j: number }>('SELECT i, j FROM hotspot_cells ORDER BY id', [], 'reading the cells', c);
  // the history's fingerprint: count, last id and a checksum of times and positions (the data
  // version would not do: the coverage views' refresh before targeting moves it every run)
  const { print } = await one<{ print: string }>(
    `SELECT concat_ws('|', count(*), max(id), round(sum(extract(epoch FROM occurred_at) / 86400 + ST_X(geom) * 1e4 + ST_Y(geom) * 1e3)::numeric, 4)) AS print
     FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND ($3::text[] IS NULL OR township_code = ANY($3))`,
    [from, o.asOf, townshipsOf(c)], 'fingerprinting the history', c,
  );
  const key = JSON.stringify([print, townshipsOf(c), srid, o.cellM, cellRows.length, cellRows[0] ?? null, o.asOf.getTime(), o.historyDays, o.horizonDays, [...(o.categories ?? [])].sort()]);
  const hit = surfaces.get(key);
  if (hit) return hit;
  await boundHistory(c, o, o.asOf);
  await c.query('DROP TABLE IF EXISTS pg_temp.hotspot_points');
  await createPoints(c);
  await loadIncidents(c, from, o.asOf, o.categories);
  const grid = fishnet(o.cellM, cellRows);
  const rows = await many<{ x: number; y: number; t: number }>(
    'SELECT ST_X(q) AS x, ST_Y(q) AS y, extract(epoch FROM t)::float8 / 86400 AS t FROM (SELECT ST_Transform(geom, $1::int) AS q, t FROM hotspot_points) p',
    [srid], 'projecting the incidents', c,
  );
  const points = incidents(grid, rows);
  const f = forecastAt(grid, points, toDays(from), toDays(o.asOf), o.horizonDays);
  const choice = chooseMethod(f);
  const scored = runMethod(choice.method, f);
  // gistar's z can be negative: the surface is shifted to start at 0 before it becomes shares
  let low = Infinity;
  for (const x of scored.score) low = Math.min(low, x);
  const shift = choice.method === 'gistar' && low < 0 ? -low : 0;
  let total = 0;
  for (const x of scored.score) total += x + shift;
  const expectedAll = (rows.length / o.historyDays) * o.horizonDays;
  const expected = new Float64Array(grid.n);
  if (total > 0) scored.score.forEach((x, k) => { expected[k] = ((x + shift) / total) * expectedAll; });
  const surface: Surface = {
    chosen: choice.method, reason: choice.reason, params: scored.params ?? null, validation: choice.validation, folds: choice.folds,
    historyFrom: from, incidents: rows.length, expected,
  };
  surfaces.set(key, surface);
  while (surfaces.size > MAX_SURFACES) surfaces.delete(surfaces.keys().next().value!);
  return surface;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
