// hotspots-1m: Gi* over ~50,000 cells of the county from the database's incidents (seed
// it first: `npm run cli -- seed --scale 20` gives 1,000,000), timed in the same run
// against the plain per-cell count of the same incidents in the same cells. Reports the
// stages (points, cells, counts, Gi*), the full analysis, and two ratios: analysis over
// the same-cells count, and analysis over a bare GROUP BY of fishnet indices.
import { parseArgs } from 'node:util';
import { getDatabase, one } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { benchScope, lap, r3 } from './lap';
import { createCells, utmSrid } from '../server/services/area/study-area';
import { countPoints, createPoints } from '../server/services/hotspots/hotspots';
import { giStar } from '../server/services/hotspots/gistar';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { cell: { type: 'string', default: '200' }, distance: { type: 'string', default: '500' } } });
  const cellM = Number(values.cell);
  const distance = Number(values.distance);
  const db = await getDatabase();
  await migrate();
  return benchScope('hotspots-1m', async (c) => {
    const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM incidents', [], 'counting incidents', c);
    const { wkt } = await one<{ wkt: string }>(`SELECT ST_AsEWKT(ST_Union(geom)) AS wkt FROM admin_areas WHERE level = 'county'`, [], 'study area', c);
    const srid = await utmSrid(c, wkt);
    // Baseline: the bare count per fishnet cell, by index arithmetic in the metric projection.
    const [, bare] = await lap(() => c.query(`SELECT floor(ST_X(p) / $1) AS i, floor(ST_Y(p) / $1) AS j, count(*) FROM (SELECT ST_Transform(geom, $2::int) AS p FROM incidents) x GROUP BY 1, 2`, [cellM, srid]));
    const [, points] = await lap(async () => {
      await createPoints(c);
      await c.query('INSERT INTO hotspot_points (t, category, geom) SELECT occurred_at, category_code, geom FROM incidents');
    });
    const [, cells] = await lap(() => createCells(c, 'square', cellM, wkt, srid));
    const [, counts] = await lap(async () => {
      await countPoints(c, 'n', srid, undefined, undefined, cellM);
      await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
      await c.query('ANALYZE hotspot_cells');
    });
    const [rows, gi] = await lap(() => giStar(c, { kind: 'distance', metres: distance }, cellM));
    const countSameCells = points + cells + counts;
    const analysis = countSameCells + gi;
    return {
      engine: db.kind,
      incidents: n,
      cells: rows.length,
      cellM,
      distanceM: distance,
      seconds: { points: r3(points), cells: r3(cells), counts: r3(counts), giStar: r3(gi), analysis: r3(analysis), bareGroupByCount: r3(bare) },
      ratioToSameCellsCount: r3(analysis / countSameCells),
      ratioToBareCount: r3(analysis / bare),
      target: 'analysis ≤ 3 × the plain per-cell count',
    };
  });
}

