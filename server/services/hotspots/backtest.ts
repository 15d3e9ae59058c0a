// Hotspot prediction back-test: predict from incidents of [train-start, train-end), score
// against incidents in [train-end, test-end). The study area is a square fishnet over the
// convex hull of all incidents before test-end: by default every cell touching the hull;
// `studyArea: 'centre'` keeps only cells whose centre lies inside it (as spatstat-style
// references do: fewer cells, a somewhat higher PAI). The methods are those of
// server/services/forecast/methods.ts. Hit rate at a% = share of test incidents in the
// top a% of cells by score (ties by cell id); PAI = hit rate / area share of those cells.
//
// SQL does what it is good at once: loading the file, the hull, the UTM zone, the cells,
// and projecting every incident (one statement, no geometry transformed inside a join).
// The surfaces and forecasts then run in memory on the cells' integer (i, j), so even
// nested validation costs no round trips.
import fs from 'node:fs';
import type pg from 'pg';
import { many, one } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import type { MappingFile } from '../../import/mapping';
import { createCells, utmSrid } from '../area/study-area';
import { createPoints, loadInput } from './hotspots';
import { HotspotInputError } from '../../errors';
import { countCells, fishnet, incidents, pai, slice, toDays, type Fishnet, type Incidents } from '../forecast/grid';
import { forecastAt, METHOD_NAMES, RECENCY_KDE_DAYS, runMethod, type MethodName } from '../forecast/methods';
import { chooseMethod, type Choice } from '../forecast/select';
import type { SeppFit } from '../forecast/sepp';

export const AREA_SHARES = [1, 5, 10] as const;

export type StudyArea = 'touch' | 'centre';

export interface BacktestOptions {
  input: string;
  mapping?: MappingFile;
  /** omitted: from the first incident */
  trainStart?: Date;
  trainEnd: Date;
  testEnd: Date;
  cellM: number;
  studyArea?: StudyArea;
  /** the methods to run (default all); `choose: false` skips the validation that picks the best */
  methods?: MethodName[];
  choose?: boolean;
  scoresFile?: string;
}

export interface MethodResult {
  name: MethodName;
  pai: Record<string, number>;
  hitRate: Record<string, number>;
  /** mean PAI at 5 % over the validation folds inside the training period */
  validationPai: number | null;
  params: Record<string, number | string> | null;
  seconds: number;
}

export interface BacktestResult {
  method: {
    cells: number; cellM: number; metricSrid: number; trainIncidents: number; testIncidents: number; bandwidthM: number; recencyDays: number; skippedRows: number;
    studyArea: string; trainStart: string; trainEnd: string; testEnd: string; incidentsOutsideCells: number;
  };
  methods: MethodResult[];
  best: (Omit<Choice, 'validation'> & { pai: Record<string, number> }) | null;
  seconds: { load: number; methods: number; choose: number };
}

export async function runBacktest(tx: Tx, o: BacktestOptions): Promise<BacktestResult> {
  if (!(o.cellM > 0 && o.cellM <= 20_000)) throw new HotspotInputError(`The cell size must be between 0 and 20,000 m, got ${o.cellM}.`, `网格边长须大于 0 且不超过 20000 米(当前为 ${o.cellM})。`);
  if (!(o.trainEnd < o.testEnd)) throw new HotspotInputError('--train-end must be before --test-end.', '训练期的结束日期必须早于检验期的结束日期。');
  if (o.trainStart && !(o.trainStart < o.trainEnd)) throw new HotspotInputError('--train-start must be before --train-end.', '训练期的开始日期必须早于训练期的结束日期。');
  return scratch(tx, () => backtest(tx, o));
}

/** The study area's cells and the projected incidents before test-end, read from the file through the database once. */
export async function backtestData(c: pg.PoolClient, o: Pick<BacktestOptions, 'input' | 'mapping' | 'trainStart' | 'testEnd' | 'cellM' | 'studyArea'>): Promise<{ grid: Fishnet; points: Incidents; srid: number; skipped: number; centres: Array<{ lon: number; lat: number }> }> {
  await createPoints(c);
  const skipped = await loadInput(c, o.input, o.mapping);
  await c.query('DELETE FROM hotspot_points WHERE t IS NULL OR t >= $1 OR ($2::timestamptz IS NOT NULL AND t < $2)', [o.testEnd, o.trainStart ?? null]);
  const area = await one<{ wkt: string | null }>('SELECT ST_AsEWKT(ST_ConvexHull(ST_Collect(geom))) AS wkt FROM hotspot_points', [], 'finding the study area', c);
  if (!area.wkt) throw new HotspotInputError('The input has no incidents with a time and a position before --test-end.', '文件中在检验期结束前没有同时带时间和位置的案事件:无法回测。');
  const srid = await utmSrid(c, area.wkt);
  await createCells(c, 'square', o.cellM, area.wkt, srid);
  if (o.studyArea === 'centre') await c.query('DELETE FROM hotspot_cells WHERE NOT ST_Intersects(pt, ST_Transform($1::geometry, $2::int))', [area.wkt, srid]);
  const cells = await many<{ i: number; j: number; lon: number; lat: number }>(
    'SELECT i, j, ST_X(w) AS lon, ST_Y(w) AS lat FROM (SELECT id, i, j, ST_Transform(pt, 4326) AS w FROM hotspot_cells) c ORDER BY id', [], 'reading the cells', c,
  );
  if (!cells.length) throw new HotspotInputError('No cell of the study area has its centre inside the incidents\' hull: use a smaller --cell or --study-area touch.', '没有网格中心落在案事件范围内:请减小网格边长,或改用 touch 研究区。');
  const grid = fishnet(o.cellM, cells);
  const rows = await many<{ x: number; y: number; t: number }>(
    'SELECT ST_X(q) AS x, ST_Y(q) AS y, extract(epoch FROM t)::float8 / 86400 AS t FROM (SELECT ST_Transform(geom, $1::int) AS q, t FROM hotspot_points) p',
    [srid], 'projecting the incidents', c,
  );
  return { grid, points: incidents(grid, rows), srid, skipped, centres: cells.map(({ lon, lat }) => ({ lon, lat })) };
}

async function backtest(c: pg.PoolClient, o: BacktestOptions): Promise<BacktestResult> {
  const t0 = performance.now();
  const { grid, points, srid, skipped, centres } = await backtestData(c, o);
  const start = o.trainStart ? toDays(o.trainStart) : (points.t[0] ?? 0);
  const origin = toDays(o.trainEnd);
  const end = toDays(o.testEnd);
  const actual = countCells(grid, slice(points, origin, end));
  const train = slice(points, start, origin);
  const trainIn = train.cell.reduce((a, v) => a + (v >= 0 ? 1 : 0), 0);
  const testIn = actual.reduce((a, v) => a + v, 0);
  if (trainIn === 0 || testIn === 0) throw new HotspotInputError(`No incidents ${trainIn === 0 ? 'before --train-end' : 'between --train-end and --test-end'} in the study area: nothing to back-test.`, `${trainIn === 0 ? '训练期内' : '检验期内'}没有案事件:无法回测,请调整起止日期。`);
  const t1 = performance.now();

  const cache = new Map<string, SeppFit>();
  const forecast = forecastAt(grid, points, start, origin, end - origin, cache);
  const names = o.methods ?? METHOD_NAMES;
  const scores = new Map<MethodName, Float64Array>();
  const methods: MethodResult[] = names.map((name) => {
    const s = performance.now();
    const r = runMethod(name, forecast);
    scores.set(name, r.score);
    const p: Record<string, number> = {};
    const h: Record<string, number> = {};
    for (const share of AREA_SHARES) {
      const x = pai(r.score, actual, share);
      p[share] = round(x.pai);
      h[share] = round(x.hitRate);
    }
    return { name, pai: p, hitRate: h, validationPai: null, params: r.params ?? null, seconds: round((performance.now() - s) / 1000) };
  });
  const t2 = performance.now();
  let best: BacktestResult['best'] = null;
  if (o.choose !== false) {
    // validation reads only `forecast` (history cut at train-end): never the test window
    const choice = chooseMethod(forecast, names);
    for (const m of methods) m.validationPai = choice.validation[m.name] === null ? null : round(choice.validation[m.name]!);
    const { validation: _v, ...rest } = choice;
    best = { ...rest, pai: methods.find((m) => m.name === choice.method)!.pai };
  }
  const t3 = performance.now();

  if (o.scoresFile) {
    const lines = ['method,cellId,lon,lat,score'];
    for (const [name, score] of scores) centres.forEach((x, k) => lines.push(`${name},${k + 1},${x.lon.toFixed(7)},${x.lat.toFixed(7)},${score[k]}`));
    fs.writeFileSync(o.scoresFile, lines.join('\n') + '\n');
  }
  const kde = methods.find((m) => m.name === 'kde');
  return {
    method: {
      cells: grid.n, cellM: o.cellM, metricSrid: srid, trainIncidents: trainIn, testIncidents: testIn,
      bandwidthM: Number(kde?.params?.bandwidthM ?? 0), recencyDays: RECENCY_KDE_DAYS, skippedRows: skipped,
      studyArea: o.studyArea === 'centre'
        ? `the ${grid.n} cells of ${o.cellM} m whose centre lies inside the convex hull of all incidents of the file before --test-end`
        : `the ${grid.n} cells of ${o.cellM} m that touch the convex hull of all incidents of the file before --test-end (--study-area centre keeps only cells whose centre lies inside)`,
      trainStart: new Date(start * 86_400_000).toISOString(), trainEnd: o.trainEnd.toISOString(), testEnd: o.testEnd.toISOString(),
      incidentsOutsideCells: points.cell.reduce((a, v) => a + (v < 0 ? 1 : 0), 0),
    },
    methods,
    best,
    seconds: { load: round((t1 - t0) / 1000), methods: round((t2 - t1) / 1000), choose: round((t3 - t2) / 1000) },
  };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;
