// Kernel density surface of the county's incidents for the map: a quartic (biweight)
// kernel evaluated at the centre of every cell of a square fishnet in the county's UTM
// zone, from the incidents of a time window and categories. The bandwidth is the
// planner's, or the spatial variant of Silverman's rule (ArcGIS's default, in
// sql/hotspots/bandwidth.sql). Densities are incidents per km²; the legend's class
// breaks are quantiles of the non-zero cells.
import type pg from 'pg';
import type { Geometry } from 'geojson';
import { many, one, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { createPoints, loadIncidents } from './hotspots';
import { HotspotInputError } from '../../errors';
import { checkCells, checkKernel, checkWindow, LIMITS } from '../../limits';
import { chinaTimeText } from '../../../lib/china-time';

export interface KdeOptions {
  cellM: number;
  /** Metres; omitted: the spatial Silverman rule. */
  bandwidthM?: number;
  from?: Date;
  to?: Date;
  categories?: string[];
}

export interface KdeCell {
  id: number;
  lon: number;
  lat: number;
  /** incidents per km² */
  density: number;
  polygon: Geometry;
}

export interface KdeResult {
  method: {
    kernel: string;
    bandwidthM: number | null;
    bandwidthRule: string;
    cellM: number;
    metricSrid: number;
    units: string;
    from: string | null;
    to: string | null;
    categories: string[] | null;
    incidents: number;
    cells: number;
    breaks: number[];
    breaksRule: string;
    note: string | null;
  };
  /** Cells with a density above 0 (the rest of the county is 0). */
  cells: KdeCell[];
}

export const BREAK_QUANTILES = [0.5, 0.75, 0.9, 0.975];

export async function runKde(tx: Tx, o: KdeOptions): Promise<KdeResult> {
  const { kdeCellM: cm, bandwidthM: bw } = LIMITS;
  if (!(o.cellM >= cm.min && o.cellM <= cm.max)) throw new HotspotInputError(`The cell size must be from ${cm.min} to ${cm.max} m, got ${o.cellM}.`, `网格边长须在 ${cm.min} 到 ${cm.max} 米之间(当前为 ${o.cellM})。`);
  if (o.bandwidthM !== undefined && !(o.bandwidthM >= Math.max(o.cellM, bw.min) && o.bandwidthM <= bw.max)) throw new HotspotInputError(`The bandwidth must be from one cell (${o.cellM} m) to ${bw.max} m, got ${o.bandwidthM}.`, `核密度带宽须在一个网格边长(${o.cellM} 米)到 ${bw.max} 米之间(当前为 ${o.bandwidthM})。`);
  checkWindow(o.from, o.to);
  return scratch(tx, () => kde(tx, o));
}

async function kde(c: Tx, o: KdeOptions): Promise<KdeResult> {
  await createPoints(c);
  await loadIncidents(c, o.from, o.to, o.categories);
  const area = await countyArea(c);
  const srid = await utmSrid(c, area);
  const { km2 } = await one<{ km2: number }>('SELECT ST_Area($1::geometry::geography) / 1e6 AS km2', [area], 'measuring the county', c);
  checkCells(km2, 'square', o.cellM, LIMITS.kdeCells);
  await createCells(c, 'square', o.cellM, area, srid);
  await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
  const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM hotspot_points', [], 'counting the incidents', c);
  const { cells: cellCount } = await one<{ cells: number }>('SELECT count(*)::int AS cells FROM hotspot_cells', [], 'counting cells', c);
  const method = {
    kernel: 'quartic (biweight): K(d) = 3/(πh²)·(1 − d²/h²)² for d < h, summed over incidents at each cell centre',
    bandwidthRule: o.bandwidthM ? 'set by the planner' : 'spatial Silverman rule: h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−1/5), at least one cell',
    cellM: o.cellM, metricSrid: srid, units: 'incidents per km²',
    from: o.from?.toISOString() ?? null, to: o.to?.toISOString() ?? null, categories: o.categories?.length ? o.categories : null,
    incidents: n, cells: cellCount, breaksRule: `quantiles ${BREAK_QUANTILES.map((q) => `${q * 100} %`).join(', ')} of the non-zero cells`,
  };
  if (n === 0) return { method: { ...method, bandwidthM: null, breaks: [], note: 'No incidents in the time window and categories: the surface is 0 everywhere.' }, cells: [] };
  const h = o.bandwidthM ?? (await one<{ h: number }>(sql('hotspots/bandwidth.sql'), [srid, null, o.cellM], 'choosing the KDE bandwidth', c)).h;
  checkKernel(n, h, o.cellM, cellCount);
  const densities = await kernelDensity(c, h, srid);
  const nonZero = [...densities].filter(([, d]) => d > 0).map(([id, density]) => ({ id, density }));
  const where = await cellShapes(c, nonZero.map((d) => d.id));
  const breaks = quantileBreaks(nonZero.map((d) => d.density));
  return {
    method: { ...method, bandwidthM: Math.round(h), breaks, note: null },
    cells: nonZero.map((d) => {
      const w = where.get(d.id)!;
      return { id: d.id, lon: round(w.lon, 6), lat: round(w.lat, 6), density: round(d.density, 4), polygon: w.polygon };
    }),
  };
}

/** The centre (WGS-84) and polygon of the hotspot_cells with these ids, by id. */
export async function cellShapes(c: pg.PoolClient, ids: number[]): Promise<Map<number, { id: number; lon: number; lat: number; polygon: Geometry }>> {
  return new Map(
    (await many<{ id: number; lon: number; lat: number; polygon: Geometry }>(
      `SELECT id, ST_X(ST_Transform(pt, 4326)) AS lon, ST_Y(ST_Transform(pt, 4326)) AS lat, ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::jsonb AS polygon
       FROM hotspot_cells WHERE id = ANY($1::bigint[])`,
      [ids], 'reading the cells', c,
    )).map((w) => [w.id, w]),
  );
}

/** The legend's class breaks: the BREAK_QUANTILES of the (non-zero) values. */
export function quantileBreaks(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  return BREAK_QUANTILES.map((q) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 4));
}

/**
 * Quartic kernel density (incidents per km²) at the centre of every cell of hotspot_cells
 * from the points of hotspot_points in [from, to), optionally weighted by recency
 * (exp(−age in days / recencyDays), age back from `to`). The points are projected once
 * into an indexed temporary table, so each cell finds its points within h by the index.
 */
export async function kernelDensity(c: pg.PoolClient, h: number, srid: number, from?: Date, to?: Date, recencyDays = 0): Promise<Map<number, number>> {
  if (recencyDays > 0 && !to) throw new Error('recency weighting needs the end of the window');
  await c.query('CREATE TEMP TABLE IF NOT EXISTS hotspot_kde_points (g geometry, w float8) ON COMMIT DROP');
  await c.query('TRUNCATE hotspot_kde_points');
  await c.query(sql('hotspots/kde-points.sql'), [srid, from ?? null, to ?? null, recencyDays]);
  await c.query('CREATE INDEX IF NOT EXISTS hotspot_kde_points_g ON hotspot_kde_points USING gist (g)');
  await c.query('ANALYZE hotspot_kde_points');
  const rows = await many<{ id: number; density: number }>(sql('hotspots/kde.sql'), [h], 'computing kernel density', c);
  return new Map(rows.map((r) => [r.id, r.density]));
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
