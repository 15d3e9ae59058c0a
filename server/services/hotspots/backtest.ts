// Hotspot prediction back-test: predict from incidents before train-end, score against
// incidents in [train-end, test-end). Cells are a square fishnet over the convex hull of
// all incidents in the file. Methods:
//   counts       incidents per cell in the training period
//   kde          quartic kernel density of the training incidents (bandwidth rule below)
//   gistar       Gi* z-score of the training counts (distance band 2 × cell, self included)
//   recency-kde  quartic KDE with each incident weighted exp(-age / 90 days) — recent
//                incidents count more (the repeat and near-repeat effect)
//   recency-counts  incidents per cell weighted exp(-age / 365 days): places stay hot for
//                years, but last year's incidents say more than those of three years ago
// Hit rate at a% = share of test incidents in the top a% of cells by score (ties by cell
// id); PAI = hit rate / area share of those cells.
// Bandwidth rule (the spatial variant of Silverman's rule, as ArcGIS uses it):
//   h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-1/5), SD the standard distance and Dm the median
//   distance to the mean centre of the training incidents; never below one cell.
import fs from 'node:fs';
import type pg from 'pg';
import { many, one, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import type { MappingFile } from '../../import/mapping';
import { createCells, utmSrid } from '../area/study-area';
import { giStar } from './gistar';
import { kernelDensity } from './kde';
import { countPoints, createPoints, loadInput } from './hotspots';
import { HotspotInputError } from '../../errors';

export const AREA_SHARES = [1, 5, 10] as const;
const RECENCY_DAYS = 90;
const RECENCY_COUNT_DAYS = 365;

export interface BacktestOptions {
  input: string;
  mapping?: MappingFile;
  trainEnd: Date;
  testEnd: Date;
  cellM: number;
  scoresFile?: string;
}

export interface MethodResult {
  name: string;
  pai: Record<string, number>;
  hitRate: Record<string, number>;
}

export interface BacktestResult {
  method: { cells: number; cellM: number; metricSrid: number; trainIncidents: number; testIncidents: number; bandwidthM: number; recencyDays: number; skippedRows: number; studyArea: string };
  methods: MethodResult[];
}

export async function runBacktest(tx: Tx, o: BacktestOptions): Promise<BacktestResult> {
  if (!(o.cellM > 0 && o.cellM <= 20_000)) throw new HotspotInputError(`The cell size must be between 0 and 20,000 m, got ${o.cellM}.`, `网格边长须大于 0 且不超过 20000 米(当前为 ${o.cellM})。`);
  if (!(o.trainEnd < o.testEnd)) throw new HotspotInputError('--train-end must be before --test-end.', '训练期的结束日期必须早于检验期的结束日期。');
  return scratch(tx, () => backtest(tx, o));
}

async function backtest(c: pg.PoolClient, o: BacktestOptions): Promise<BacktestResult> {
  await createPoints(c);
  const skipped = await loadInput(c, o.input, o.mapping);
  await c.query('DELETE FROM hotspot_points WHERE t IS NULL OR t >= $1', [o.testEnd]);
  const area = await one<{ wkt: string | null }>('SELECT ST_AsEWKT(ST_ConvexHull(ST_Collect(geom))) AS wkt FROM hotspot_points', [], 'finding the study area', c);
  if (!area.wkt) throw new HotspotInputError('The input has no incidents with a time and a position before --test-end.', '文件中在检验期结束前没有同时带时间和位置的案事件:无法回测。');
  const srid = await utmSrid(c, area.wkt);
  await createCells(c, 'square', o.cellM, area.wkt, srid);
  await countPoints(c, 'n', srid, undefined, o.trainEnd, o.cellM);
  await countPoints(c, 'n_test', srid, o.trainEnd, o.testEnd, o.cellM);
  await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
  await c.query('ANALYZE hotspot_cells');

  const totals = await one<{ train: number; test: number; cells: number }>('SELECT sum(n)::int AS train, sum(n_test)::int AS test, count(*)::int AS cells FROM hotspot_cells', [], 'counting', c);
  if (totals.train === 0 || totals.test === 0) throw new HotspotInputError(`No incidents ${totals.train === 0 ? 'before --train-end' : 'between --train-end and --test-end'}: nothing to back-test.`, `${totals.train === 0 ? '训练期内' : '检验期内'}没有案事件:无法回测,请调整起止日期。`);
  const { h } = await one<{ h: number }>(sql('hotspots/bandwidth.sql'), [srid, o.trainEnd, o.cellM], 'choosing the KDE bandwidth', c);

  const cells = await many<{ id: number; n: number; n_test: number; lon: number; lat: number }>(
    'SELECT id, n, n_test, ST_X(ST_Transform(pt, 4326)) AS lon, ST_Y(ST_Transform(pt, 4326)) AS lat FROM hotspot_cells ORDER BY id', [], 'reading cells', c,
  );
  const kde = (recency: number) => kernelDensity(c, h, srid, undefined, o.trainEnd, recency);
  const gi = new Map((await giStar(c, { kind: 'distance', metres: 2 * o.cellM }, o.cellM)).map((r) => [r.id, r.z ?? 0]));
  const scores: Record<string, Map<number, number>> = {
    counts: new Map(cells.map((x) => [x.id, x.n])),
    kde: await kde(0),
    gistar: gi,
    'recency-kde': await kde(RECENCY_DAYS),
    'recency-counts': new Map(
      (await many<{ id: number; w: number }>(
        `SELECT h.id, coalesce(sum(exp(-extract(epoch FROM ($2::timestamptz - p.t)) / 86400.0 / $3::float8)), 0) AS w
         FROM hotspot_cells h LEFT JOIN hotspot_points p ON p.t < $2 AND ST_Intersects(h.geom, ST_Transform(p.geom, $1::int))
         GROUP BY h.id`,
        [srid, o.trainEnd, RECENCY_COUNT_DAYS], 'weighting counts by recency', c,
      )).map((r) => [r.id, r.w]),
    ),
  };

  const methods: MethodResult[] = Object.entries(scores).map(([name, score]) => {
    const ranked = [...cells].sort((a, b) => (score.get(b.id) ?? 0) - (score.get(a.id) ?? 0) || a.id - b.id);
    const pai: Record<string, number> = {};
    const hitRate: Record<string, number> = {};
    for (const share of AREA_SHARES) {
      const k = Math.max(1, Math.round((share / 100) * cells.length));
      const hits = ranked.slice(0, k).reduce((a, x) => a + x.n_test, 0);
      hitRate[share] = round(hits / totals.test);
      pai[share] = round(hits / totals.test / (k / cells.length));
    }
    return { name, pai, hitRate };
  });

  if (o.scoresFile) {
    const lines = ['method,cellId,lon,lat,score'];
    for (const [name, score] of Object.entries(scores)) for (const x of cells) lines.push(`${name},${x.id},${x.lon.toFixed(7)},${x.lat.toFixed(7)},${score.get(x.id) ?? 0}`);
    fs.writeFileSync(o.scoresFile, lines.join('\n') + '\n');
  }
  return {
    method: {
      cells: totals.cells, cellM: o.cellM, metricSrid: srid, trainIncidents: totals.train, testIncidents: totals.test, bandwidthM: Math.round(h),
      recencyDays: RECENCY_DAYS, skippedRows: skipped, studyArea: 'convex hull of all incidents before --test-end',
    },
    methods,
  };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
