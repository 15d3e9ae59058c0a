// backtest-250: the whole hotspot back-test (8 methods, the best chosen by rolling-origin
// validation) at 250 m cells on the shared Chicago sample and on a 100,000-incident
// synthetic city, each timed in the same run against the plain count of the same file
// (load, cells, counts, PAI: `methods: ['counts']`, no validation), and against R spatstat
// on the same split (counts and two quartic kernel densities, scripts/reference/
// backtest-spatstat.R) when Rscript with spatstat is installed. Targets: under 30 s and
// within 2 × of R spatstat.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { getDatabase } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { benchScope, lap, r3 } from './lap';
import { runBacktest, type BacktestOptions } from '../server/services/hotspots/backtest';
import { readMappingFile } from '../server/import/mapping';

const CHICAGO = path.resolve('..', 'shared', 'data', 'crime', 'chicago_crimes_2017_2019_sample.csv');

/** A city of `n` incidents over 2022-01 .. 2024-09 around the demo county seat: hotspots of many sizes, a background, near-repeats. */
function syntheticCity(file: string, n: number): void {
  const rnd = seedrandom('backtest-250');
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const lon0 = 116.65, lat0 = 26.26;
  const mLon = 1 / (111_320 * Math.cos((lat0 * Math.PI) / 180));
  const mLat = 1 / 110_574;
  const hot = Array.from({ length: 300 }, () => ({ x: gauss() * 6000, y: gauss() * 6000, s: 80 + rnd() * 500, w: Math.exp(gauss() * 1.2) }));
  const total = hot.reduce((a, h) => a + h.w, 0);
  const start = Date.UTC(2022, 0, 1);
  const span = Date.UTC(2024, 9, 1) - start;
  const lines = ['time,lon,lat'];
  const put = (x: number, y: number, t: number) => {
    const d = new Date(t + 8 * 3_600_000).toISOString();
    lines.push(`${d.slice(0, 10)} ${d.slice(11, 19)},${(lon0 + x * mLon).toFixed(6)},${(lat0 + y * mLat).toFixed(6)}`);
  };
  while (lines.length <= n) {
    const u = rnd();
    const t = start + rnd() * span;
    let x: number, y: number;
    if (u < 0.25) { x = (rnd() - 0.5) * 30_000; y = (rnd() - 0.5) * 30_000; }
    else {
      let pick = rnd() * total;
      const h = hot.find((q) => (pick -= q.w) <= 0) ?? hot[0]!;
      x = h.x + gauss() * h.s; y = h.y + gauss() * h.s;
    }
    put(x, y, t);
    // a near repeat now and then: within 200 m and a fortnight
    if (rnd() < 0.1 && lines.length <= n) put(x + gauss() * 100, y + gauss() * 100, t + rnd() * 14 * 86_400_000);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function spatstat(file: string, cols: [string, string, string], offset: number, trainEnd: string, testEnd: string, epsg: number): Record<string, unknown> | null {
  try {
    const t = performance.now();
    const out = execFileSync('Rscript', ['scripts/reference/backtest-spatstat.R', file, ...cols, String(offset), trainEnd, testEnd, '250', String(epsg)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { wallSeconds: r3((performance.now() - t) / 1000), ...JSON.parse(out.trim().split('\n').pop()!) };
  } catch {
    return null;
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { incidents: { type: 'string', default: '100000' } } });
  const db = await getDatabase();
  await migrate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-250-'));
  const city = path.join(dir, 'city.csv');
  syntheticCity(city, Number(values.incidents));
  const sets: Array<{ name: string; o: BacktestOptions; r: () => Record<string, unknown> | null }> = [];
  if (fs.existsSync(CHICAGO)) {
    const mapping = readMappingFile('geodata/mappings/chicago-crimes.json');
    sets.push({
      name: 'chicago sample', o: { input: CHICAGO, mapping, trainEnd: new Date('2019-01-01T00:00:00-06:00'), testEnd: new Date('2019-10-01T00:00:00-06:00'), cellM: 250 },
      r: () => spatstat(CHICAGO, ['date', 'longitude', 'latitude'], -6, '2019-01-01', '2019-10-01', 32616),
    });
  }
  sets.push({
    name: `synthetic city (${values.incidents} incidents)`, o: { input: city, trainEnd: new Date('2024-01-01T00:00:00+08:00'), testEnd: new Date('2024-10-01T00:00:00+08:00'), cellM: 250 },
    r: () => spatstat(city, ['time', 'lon', 'lat'], 8, '2024-01-01', '2024-10-01', 32650),
  });
  const results: Record<string, unknown>[] = [];
  try {
    for (const s of sets) {
      const [plain, tPlain] = await lap(() => benchScope('backtest-250', (tx) => runBacktest(tx, { ...s.o, methods: ['counts'], choose: false })));
      const [full, tFull] = await lap(() => benchScope('backtest-250', (tx) => runBacktest(tx, s.o)));
      const r = s.r();
      results.push({
        data: s.name, cells: full.method.cells, trainIncidents: full.method.trainIncidents, testIncidents: full.method.testIncidents,
        seconds: { plainCount: r3(tPlain), backtest: r3(tFull), stages: full.seconds },
        ratioToPlainCount: r3(tFull / tPlain),
        spatstat: r, ratioToSpatstat: r ? r3(tFull / (r.wallSeconds as number)) : null,
        pai5: Object.fromEntries(full.methods.map((m) => [m.name, m.pai[5]])),
        best: full.best?.method ?? null, bestReason: full.best?.reason ?? null,
        countsPaiSame: plain.methods[0]!.pai[5] === full.methods[0]!.pai[5],
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { engine: db.kind, results, target: 'the whole back-test under 30 s and within 2 × of R spatstat on the same split' };
}
