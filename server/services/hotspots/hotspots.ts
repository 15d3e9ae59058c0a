// Hotspot analysis end to end: the incidents (from the database, filtered by time window
// and category, or from a CSV file), the study area's cells (square fishnet, hexagons
// or management grids, in the area's UTM zone), counts per cell, and Gi* with FDR.
// All spatial work is SQL on temporary tables inside one transaction.
import type pg from 'pg';
import type { Geometry as GeoJsonGeometry } from 'geojson';
import { many, one } from '../../db/index';
import { scratch, townshipsOf, type Tx } from '../../db/scope';
import { bulkInsert, pointEwkt, type BulkValue } from '../../db/bulk';
import { lookupCode } from '../../import/dictionaries';
import { openSource } from '../../import/readers';
import { resolveMapping, type MappingFile } from '../../import/mapping';
import { LAYERS } from '../../import/layers';
import { isBlank, parseNumber, parseTime, text } from '../../import/values';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { giStar, hotspotClass, type HotspotClass, type Neighbours } from './gistar';
import { HotspotInputError } from '../../errors';
import { checkCells, checkPairs, checkWindow, LIMITS, neighboursPerCell } from '../../limits';
import { chinaTimeText } from '../../../lib/china-time';

export type CellShape = 'square' | 'hex' | 'grid';

export interface HotspotOptions {
  shape: CellShape;
  /** Cell size in metres (edge of a square, edge-to-edge of a hexagon); ignored for grids. */
  cellM: number;
  neighbours: Neighbours;
  from?: Date;
  to?: Date;
  /** Incident category codes (database) or raw category values (CSV input). */
  categories?: string[];
  /** A CSV (or any importable file) of incidents instead of the database. */
  input?: string;
  mapping?: MappingFile;
  fdr?: boolean;
  /** Also return each cell's polygon (WGS-84 GeoJSON) for drawing. */
  withGeometry?: boolean;
}

export interface HotspotCell {
  id: number;
  code: string | null;
  lon: number;
  lat: number;
  count: number;
  population: number | null;
  ratePer1000: number | null;
  z: number | null;
  p: number | null;
  pFdr: number | null;
  class: HotspotClass;
  polygon?: GeoJsonGeometry;
}

export interface HotspotResult {
  method: {
    statistic: string;
    weights: string;
    neighbours: Neighbours;
    shape: CellShape;
    cellM: number | null;
    metricSrid: number;
    fdr: boolean;
    classes: string;
    from: string | null;
    to: string | null;
    categories: string[] | null;
    source: string;
    incidents: number;
    skippedRows: number;
    cells: number;
    note: string | null;
  };
  cells: HotspotCell[];
}


/** Validates options that do not need the database; throws HotspotInputError with one sentence. */
export function checkOptions(o: HotspotOptions): void {
  const { cellM, distanceM, knn } = LIMITS;
  if (o.shape !== 'grid' && !(o.cellM >= cellM.min && o.cellM <= cellM.max)) throw new HotspotInputError(`The cell size must be from ${cellM.min} to ${cellM.max} m, got ${o.cellM}.`, `网格边长须在 ${cellM.min} 到 ${cellM.max} 米之间(当前为 ${o.cellM})。`);
  if (o.neighbours.kind === 'distance' && !(o.neighbours.metres >= distanceM.min && o.neighbours.metres <= distanceM.max)) throw new HotspotInputError(`The distance band must be from ${distanceM.min} to ${distanceM.max} m, got ${o.neighbours.metres}.`, `邻域距离须在 ${distanceM.min} 到 ${distanceM.max} 米之间(当前为 ${o.neighbours.metres})。`);
  if (o.neighbours.kind === 'knn' && !(Number.isInteger(o.neighbours.k) && o.neighbours.k >= knn.min && o.neighbours.k <= knn.max)) throw new HotspotInputError(`k must be a whole number from ${knn.min} to ${knn.max}, got ${o.neighbours.k}.`, `近邻个数必须是 ${knn.min} 到 ${knn.max} 之间的整数(当前为 ${o.neighbours.k})。`);
  checkWindow(o.from, o.to);
  if (o.shape === 'grid' && o.input) throw new HotspotInputError('Management grid cells exist only for the database\'s county: use --shape square or hex with --input.', '管理网格只适用于本县数据库中的案事件:分析外部文件时请选择正方形或六边形网格。');
  if (!o.input) {
    for (const c of o.categories ?? []) {
      if (!lookupCode('incidentCategory', c)) throw new HotspotInputError(`Unknown incident category "${c}": use a code such as criminal.theft or a name such as 盗窃.`, `未知的案件类别“${c}”:请从案件类别中选择,例如“盗窃”。`);
    }
  }
}

/** Gi* in the caller's transaction, leaving nothing behind in it (temporary tables inside a savepoint). */
export async function runHotspots(c: Tx, o: HotspotOptions): Promise<HotspotResult> {
  checkOptions(o);
  return scratch(c, () => analyse(c, o));
}

/**
 * The cost bounds (server/limits.ts) from the study area alone, before any incident is
 * loaded or any cell made: too many cells, or too many cell pairs, are refused here.
 */
export async function estimateGiStar(c: Tx, o: Pick<HotspotOptions, 'shape' | 'cellM' | 'neighbours'>, area: string, slices = 1): Promise<{ km2: number; cells: number; work: number }> {
  const { km2 } = await one<{ km2: number }>('SELECT ST_Area($1::geometry::geography) / 1e6 AS km2', [area], 'measuring the study area', c);
  if (o.shape !== 'grid') checkCells(km2, o.shape, o.cellM); // from the area alone: a fine cell is refused before any is made
  // the exact number of cells the analysis will make (cells touching the area), without making them
  const { cells } = await one<{ cells: number }>(
    o.shape === 'grid'
      ? 'SELECT count(*)::int AS cells FROM grids'
      : `WITH area AS (SELECT ST_Transform($1::geometry, $3::int) AS g)
         SELECT count(*)::int AS cells FROM area, ${o.shape === 'hex' ? 'ST_HexagonGrid' : 'ST_SquareGrid'}($2::float8, area.g) AS c WHERE ST_Intersects(c.geom, area.g)`,
    o.shape === 'grid' ? [] : [area, o.cellM, await utmSrid(c, area)], 'counting the cells', c,
  );
  const work = checkPairs(cells, neighboursPerCell(o.neighbours, o.shape, o.cellM, km2, cells), o.neighbours, slices);
  return { km2, cells, work };
}

async function analyse(c: Tx, o: HotspotOptions): Promise<HotspotResult> {
  let skipped = 0;
  // the county's cost bounds (server/limits.ts) before any incident is loaded; a file's area is known only later
  const county = o.input ? null : await countyArea(c, 'use --input');
  if (county) await estimateGiStar(c, o, county);
  await createPoints(c);
  if (o.input) skipped = await loadInput(c, o.input, o.mapping);
  else {
    await loadIncidents(c, o.from, o.to, o.categories);
  }
  if (o.input) {
    await c.query(
      `DELETE FROM hotspot_points WHERE ($1::timestamptz IS NOT NULL AND t < $1) OR ($2::timestamptz IS NOT NULL AND t >= $2)
         OR (cardinality($3::text[]) > 0 AND NOT (category = ANY($3)))`,
      [o.from ?? null, o.to ?? null, o.categories ?? []],
    );
  }
  const { n: incidents } = await one<{ n: number }>('SELECT count(*)::int AS n FROM hotspot_points', [], 'counting the incidents in the window', c);

  // The study area: the county (database) or the envelope of the input points.
  const area = o.input
    ? (await one<{ wkt: string | null }>(`SELECT ST_AsEWKT(ST_Envelope(ST_Collect(geom))) AS wkt FROM hotspot_points`, [], 'finding the study area', c)).wkt
    : county;
  if (!area) throw new HotspotInputError('The input file has no usable incident positions.', '文件中没有可用的案事件位置:请检查经纬度列。');
  const srid = await utmSrid(c, area);

  if (o.input) await estimateGiStar(c, o, area);
  await createCells(c, o.shape, o.cellM, area, srid);
  await countPoints(c, 'n', srid, undefined, undefined, o.shape === 'square' ? o.cellM : undefined);
  await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
  await c.query('ANALYZE hotspot_cells');
  const stats = await giStar(c, o.neighbours, o.shape === 'square' ? o.cellM : undefined);
  const cells = await many<{ id: number; code: string | null; lon: number; lat: number; n: number; population: number | null; polygon: GeoJsonGeometry | null }>(
    `SELECT id, code, ST_X(w) AS lon, ST_Y(w) AS lat, n, population,
            CASE WHEN $1::boolean THEN ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::jsonb END AS polygon
     FROM (SELECT *, ST_Transform(pt, 4326) AS w FROM hotspot_cells) c ORDER BY id`,
    [Boolean(o.withGeometry)], 'reading the cells', c,
  );
  const byId = new Map(stats.map((s) => [s.id, s]));
  const fdr = o.fdr ?? true;
  const inCells = cells.reduce((a, x) => a + x.n, 0);
  return {
    method: {
      statistic: 'Getis-Ord Gi* (z-score; the cell itself included)',
      weights: 'binary',
      neighbours: o.neighbours,
      shape: o.shape,
      cellM: o.shape === 'grid' ? null : o.cellM,
      metricSrid: srid,
      fdr,
      classes: `hot/cold at 99/95/90 % on ${fdr ? 'Benjamini–Hochberg adjusted' : 'raw'} two-sided p-values`,
      from: o.from?.toISOString() ?? null,
      to: o.to?.toISOString() ?? null,
      categories: o.categories?.length ? o.categories : null,
      source: o.input ? `file ${o.input}` : 'incidents table',
      incidents,
      skippedRows: skipped,
      cells: cells.length,
      note: incidents === 0 ? 'No incidents in the time window and categories: every cell counts 0 and has no z-score.' : inCells < incidents ? `${incidents - inCells} incidents lie outside the study area's cells.` : null,
    },
    cells: cells.map((x) => {
      const s = byId.get(x.id);
      return {
        id: x.id,
        code: x.code,
        lon: round(x.lon, 7),
        lat: round(x.lat, 7),
        count: x.n,
        population: x.population,
        ratePer1000: x.population ? round((x.n * 1000) / x.population, 4) : null,
        z: s?.z ?? null,
        p: s?.p ?? null,
        pFdr: s?.pFdr ?? null,
        class: hotspotClass(s?.z ?? null, fdr ? (s?.pFdr ?? null) : (s?.p ?? null)),
        ...(x.polygon ? { polygon: x.polygon } : {}),
      };
    }),
  };
}

/**
 * Counts hotspot_points into a column of hotspot_cells, each point in exactly one cell;
 * optionally only points in [from, to). Square cells are found by arithmetic (ST_SquareGrid
 * cell i, j covers [i·size, (i+1)·size) × [j·size, (j+1)·size)); other shapes by a spatial
 * join, taking the first cell by id when a point lies on a shared edge.
 */
export async function countPoints(c: pg.PoolClient, column: 'n' | 'n_test', srid: number, from?: Date, to?: Date, squareM?: number): Promise<void> {
  const window = '($2::timestamptz IS NULL OR p.t >= $2) AND ($3::timestamptz IS NULL OR p.t < $3)';
  if (squareM) {
    await c.query(
      `UPDATE hotspot_cells h SET ${column} = k.n FROM (
         SELECT floor(ST_X(q) / $4::float8)::int AS i, floor(ST_Y(q) / $4::float8)::int AS j, count(*) AS n
         FROM (SELECT ST_Transform(p.geom, $1::int) AS q FROM hotspot_points p WHERE ${window}) x GROUP BY 1, 2) k
       WHERE h.i = k.i AND h.j = k.j`,
      [srid, from ?? null, to ?? null, squareM],
    );
    return;
  }
  await c.query(
    `UPDATE hotspot_cells h SET ${column} = k.n FROM (
       SELECT cell, count(*) AS n FROM (
         SELECT DISTINCT ON (p.pid) p.pid, h2.id AS cell
         -- the points projected once, before the join, so the cells' index serves it
         FROM (SELECT p.pid, ST_Transform(p.geom, $1::int) AS q FROM hotspot_points p WHERE ${window} OFFSET 0) p
         JOIN hotspot_cells h2 ON ST_Intersects(h2.geom, p.q)
         ORDER BY p.pid, h2.id) x GROUP BY cell) k
     WHERE h.id = k.cell`,
    [srid, from ?? null, to ?? null],
  );
}

export async function createPoints(c: pg.PoolClient): Promise<void> {
  await c.query('CREATE TEMP TABLE hotspot_points (pid bigserial, t timestamptz, category text, geom geometry(Point, 4326)) ON COMMIT DROP');
}

/** Copies the database's incidents of [from, to) in the categories (codes or names; a parent takes its children) into hotspot_points. */
export async function loadIncidents(c: Tx, from?: Date, to?: Date, categories?: string[]): Promise<void> {
  const codes = (categories ?? []).map((x) => {
    const code = lookupCode('incidentCategory', x);
    if (!code) throw new HotspotInputError(`Unknown incident category "${x}": use a code such as criminal.theft or a name such as 盗窃.`, `未知的案件类别“${x}”:请从案件类别中选择,例如“盗窃”。`);
    return code;
  });
  await c.query(
    `INSERT INTO hotspot_points (t, category, geom)
     SELECT occurred_at, category_code, geom FROM incidents
     WHERE ($1::timestamptz IS NULL OR occurred_at >= $1) AND ($2::timestamptz IS NULL OR occurred_at < $2)
       AND (cardinality($3::text[]) = 0 OR category_code = ANY($3) OR category_code LIKE ANY (SELECT x || '.%' FROM unnest($3::text[]) x))
       AND ($4::text[] IS NULL OR township_code = ANY($4))  -- as row-level security does; for the embedded engine (README)`,
    [from ?? null, to ?? null, codes, townshipsOf(c)],
  );
}

/** Loads incident points from a file (time, lon, lat, category by the import aliases or a mapping); returns the rows skipped. */
export async function loadInput(c: pg.PoolClient, input: string, mapping?: MappingFile): Promise<number> {
  const source = await openSource(input, { columns: mapping?.columns, encoding: mapping?.encoding });
  let skipped = 0;
  let fields: Record<string, string | null> | null = null;
  const offset = mapping?.utcOffsetHours ?? 8;
  async function* batches(): AsyncGenerator<BulkValue[][]> {
    let batch: BulkValue[][] = [];
    for await (const r of source.records) {
      fields ??= resolveMapping(Object.keys(r.fields), LAYERS.incidents, mapping ?? {}).fields;
      const get = (name: string) => (fields![name] ? r.fields[fields![name]!] : undefined);
      let lon: number | null = null;
      let lat: number | null = null;
      if (r.geometry?.type === 'Point') [lon, lat] = r.geometry.coordinates as [number, number];
      else {
        const x = parseNumber(get('lon'));
        const y = parseNumber(get('lat'));
        if (x.ok && y.ok) [lon, lat] = [x.value, y.value];
      }
      const t = isBlank(get('time')) ? null : parseTime(get('time'), offset);
      if (lon === null || lat === null || !(Math.abs(lon) <= 180 && Math.abs(lat) <= 90) || (t && !t.ok)) {
        skipped++;
        continue;
      }
      batch.push([t && t.ok ? t.value : null, isBlank(get('category')) ? null : text(get('category')), pointEwkt(lon, lat)]);
      if (batch.length >= 20_000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  await bulkInsert(c, 'hotspot_points', [{ name: 't', type: 'timestamptz' }, { name: 'category', type: 'text' }, { name: 'geom', type: 'geometry' }], batches());
  return skipped;
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
