// The study area that analyses build cells over: the county's boundary, its UTM zone, and
// the temporary table hotspot_cells (fishnet, hexagons or management grids) in that zone.
// Shared by hotspots, KDE, emerging, targets, evaluation, back-test and coverage.
import type pg from 'pg';
import { one } from '../../db/index';
import { type CellShape } from '../hotspots/hotspots';
import { HotspotInputError } from '../../errors';

/** The county's boundary as EWKT; a HotspotInputError when the database has none (`alternative`: what else the user can do, e.g. 'use --input'). */
export async function countyArea(c: pg.PoolClient, alternative?: string): Promise<string> {
  const area = await one<{ wkt: string | null }>(`SELECT ST_AsEWKT(ST_Union(geom)) AS wkt FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL`, [], 'finding the county', c);
  if (!area.wkt) throw new HotspotInputError(`The database holds no county boundary to build cells over: import one (admin layer)${alternative ? ` or ${alternative}` : ''}.`, '数据库中没有县界,无法划分网格:请先导入行政区划(含县界)。');
  return area.wkt;
}

/** The UTM zone (EPSG:326xx/327xx) of a geometry's centroid. */
export async function utmSrid(c: pg.PoolClient, wkt: string): Promise<number> {
  const { srid } = await one<{ srid: number }>(
    `SELECT (CASE WHEN ST_Y(ST_Centroid(g)) >= 0 THEN 32600 ELSE 32700 END + floor((ST_X(ST_Centroid(g)) + 180) / 6)::int + 1) AS srid FROM (SELECT $1::geometry AS g) a`,
    [wkt], 'choosing the metric projection', c,
  );
  return srid;
}

/** The temporary table hotspot_cells: cells in the metric projection where they touch the area. */
export async function createCells(c: pg.PoolClient, shape: CellShape, cellM: number, areaWkt: string, srid: number): Promise<void> {
  await c.query('CREATE TEMP TABLE hotspot_cells (id bigint PRIMARY KEY, code text, i integer, j integer, geom geometry, pt geometry, n float8 NOT NULL DEFAULT 0, n_test float8 NOT NULL DEFAULT 0, population integer) ON COMMIT DROP');
  if (shape === 'grid') {
    await c.query(
      `INSERT INTO hotspot_cells (id, code, geom, pt, population)
       SELECT row_number() OVER (ORDER BY code), code, ST_Transform(geom, $1::int), ST_Transform(ST_PointOnSurface(geom), $1::int), population FROM grids`,
      [srid],
    );
  } else {
    const fn = shape === 'hex' ? 'ST_HexagonGrid' : 'ST_SquareGrid';
    await c.query(
      `WITH area AS (SELECT ST_Transform($2::geometry, $3::int) AS g)
       INSERT INTO hotspot_cells (id, code, i, j, geom, pt)
       SELECT row_number() OVER (ORDER BY c.j, c.i), c.i || ':' || c.j, c.i, c.j, c.geom, ST_Centroid(c.geom)
       FROM area, ${fn}($1::float8, area.g) AS c WHERE ST_Intersects(c.geom, area.g)`,
      [cellM, areaWkt, srid],
    );
  }
  await c.query('CREATE INDEX ON hotspot_cells USING gist (geom)');
  if (shape === 'square') await c.query('CREATE INDEX ON hotspot_cells (i, j)');
}
