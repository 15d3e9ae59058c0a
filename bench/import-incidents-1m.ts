// import-incidents-1m: a 1,000,000-row incidents CSV (Chinese headers, China time,
// Chinese category names, WGS-84) through `cli import` in a child process, against
// `psql \copy` of the same rows already prepared in the table's own format, into the
// same incidents table, in the same run. Reports rows/s of each, their ratio (target
// ≥ 0.5) and the import process's peak RSS (target < 300 MB). Rows are tagged
// external_id 'bench-…' and deleted afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { spawn, spawnSync } from 'node:child_process';
import { getDatabase } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { copyLine } from '../server/db/bulk';
import incidentCategories from '../geodata/dictionaries/incident-categories.json';
import { generateCounty } from '../scripts/demo-county/index';
import { incidentBatches } from '../scripts/demo-county/incidents';

const NAMES = Object.fromEntries(incidentCategories.map((c) => [c.code, c.name]));
const localTime = (d: Date) => new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 19).replace('T', ' ');

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  const db = await getDatabase();
  if (db.kind !== 'postgres') throw new Error('import-incidents-1m compares against psql \\copy: set DATABASE_URL to a PostgreSQL + PostGIS server.');
  await migrate();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-import-bench-'));
  const csvFile = path.join(tmp, 'incidents.csv');
  const copyFile = path.join(tmp, 'incidents.copy');
  const county = generateCounty('bench');
  const world = { admin: county.admin, frame: county.frame, net: county.net, places: county.places, hazards: county.hazards, end: county.end, years: 2 };
  const csv = fs.createWriteStream(csvFile);
  const copy = fs.createWriteStream(copyFile);
  csv.write('编号,发生时间,类别,来源,状态,简要案情,经度,纬度\n');
  for (const batch of incidentBatches('bench', world, rows, 20_000)) {
    const a = batch.map((r) => `bench-${r.externalId},${localTime(r.occurredAt)},${NAMES[r.categoryCode]},${r.source},${r.status},${r.summary},${r.lonLat[0]},${r.lonLat[1]}\n`).join('');
    const b = batch.map((r) => copyLine([`bench-${r.externalId}`, r.occurredAt, r.categoryCode, r.source, 'ordinary', r.status, r.summary, r.townshipCode, r.gridCode, `SRID=4326;POINT(${r.lonLat[0]} ${r.lonLat[1]})`, 'EPSG:4326'])).join('');
    if (!csv.write(a)) await once(csv, 'drain');
    if (!copy.write(b)) await once(copy, 'drain');
  }
  csv.end();
  copy.end();
  await Promise.all([once(csv, 'finish'), once(copy, 'finish')]);
  const cleanup = () => db.pool.query(`DELETE FROM incidents WHERE external_id LIKE 'bench-%'`);
  await cleanup();
  try {
    // Baseline: psql \copy of the prepared rows.
    let t = performance.now();
    const columns = 'external_id, occurred_at, category_code, source, severity, status, summary, township_code, grid_code, geom, source_crs';
    const psql = spawnSync('psql', [process.env.DATABASE_URL!, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy incidents (${columns}) from '${copyFile}'`], { encoding: 'utf8' });
    if (psql.status !== 0) throw new Error(`psql \\copy failed: ${psql.stderr}`);
    const copySeconds = (performance.now() - t) / 1000;
    await cleanup();
    await db.pool.query('VACUUM ANALYZE incidents');

    // The import, as a data officer runs it.
    t = performance.now();
    // Exactly as a data officer runs it: `npm run cli` (with its heap limit).
    const child = spawn('npm', ['run', '-s', 'cli', '--', 'import', 'incidents', csvFile, '--json'], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const [code] = await once(child, 'exit');
    const importSeconds = (performance.now() - t) / 1000;
    if (code !== 0) throw new Error(`import exited with ${code}: ${out.slice(0, 500)}`);
    const report = JSON.parse(out);
    return {
      engine: db.kind,
      rows,
      csvMB: Math.round(fs.statSync(csvFile).size / 1e5) / 10,
      import: { seconds: round(importSeconds), rowsPerSec: Math.round(rows / importSeconds), accepted: report.accepted, rejected: report.rejected, peakRssMB: report.peakRssMB, stages: report.stages },
      psqlCopy: { seconds: round(copySeconds), rowsPerSec: Math.round(rows / copySeconds) },
      ratio: round(copySeconds / importSeconds),
      target: 'ratio ≥ 0.5, import peak RSS < 300 MB',
    };
  } finally {
    await cleanup();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
