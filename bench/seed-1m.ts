// seed-1m: loading 1,000,000 demo incidents (generated on the fly, streamed through the
// seeder's bulk loader) against a raw COPY of the very same rows from a prepared file,
// into the same partitioned, indexed incidents table, in the same run. Alternates the
// two twice and keeps each one's best time. Also reports generation alone and peak RSS.
// Both load into a scratch copy of the table (schema bench_seed: same columns, indexes,
// checks, foreign key and yearly partitions), dropped afterwards: the data of the
// database it runs on is not touched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { getDatabase } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { bulkInsert, copyLine } from '../server/db/bulk';
import { generateCounty, incidentColumns, incidentValueBatches } from '../scripts/demo-county/index';

const SEED = 'bench';
const TABLE = 'bench_seed.incidents';

async function createScratchTable(client: pg.PoolClient): Promise<void> {
  await client.query('DROP SCHEMA IF EXISTS bench_seed CASCADE');
  await client.query('CREATE SCHEMA bench_seed');
  await client.query(`CREATE TABLE ${TABLE} (LIKE public.incidents INCLUDING ALL) PARTITION BY RANGE (occurred_at)`);
  await client.query(`ALTER TABLE ${TABLE} ADD FOREIGN KEY (category_code) REFERENCES public.incident_categories (code)`);
  for (let y = 2020; y <= 2035; y++) {
    await client.query(`CREATE TABLE bench_seed.incidents_${y} PARTITION OF ${TABLE} FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`);
  }
  await client.query(`CREATE TABLE bench_seed.incidents_default PARTITION OF ${TABLE} DEFAULT`);
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { rows: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '2' } } });
  const rows = Number(values.rows);
  const rounds = Number(values.rounds);
  const db = await getDatabase();
  await migrate();
  const county = generateCounty(SEED);
  const columns = incidentColumns();
  const columnList = columns.map((c) => c.name).join(', ');

  // Generation alone (no database), for reference.
  let t = performance.now();
  let generated = 0;
  for (const batch of incidentValueBatches(SEED, county, rows)) generated += batch.length;
  const generateSeconds = (performance.now() - t) / 1000;

  // The baseline's input: the same rows as a COPY text file, written once, not timed.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-')), 'incidents.copy');
  const out = fs.createWriteStream(file);
  for (const batch of incidentValueBatches(SEED, county, rows)) {
    if (!out.write(batch.map(copyLine).join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  fs.chmodSync(file, 0o644);
  fs.chmodSync(path.dirname(file), 0o755);
  const fileMB = fs.statSync(file).size / 1e6;

  const client = await db.pool.connect();
  await createScratchTable(client);
  const truncate = () => client.query(`TRUNCATE ${TABLE}`);
  const timings = { copy: [] as number[], seed: [] as number[] };
  let copyMethod = 'none';
  try {
    for (let r = 0; r < rounds; r++) {
      if (db.kind === 'postgres') {
        await truncate();
        t = performance.now();
        try {
          // Server-side COPY from the file: the fastest way PostgreSQL loads rows.
          await client.query(`COPY ${TABLE} (${columnList}) FROM '${file}'`);
          copyMethod = 'COPY FROM file (server side)';
        } catch {
          // Not superuser or not the same machine: stream the file through COPY FROM STDIN.
          await client.query('ROLLBACK').catch(() => {});
          await pipeline(fs.createReadStream(file), client.query(copyFrom(`COPY ${TABLE} (${columnList}) FROM STDIN`)));
          copyMethod = 'COPY FROM STDIN of the file';
        }
        timings.copy.push((performance.now() - t) / 1000);
      }
      await truncate();
      t = performance.now();
      const loaded = await bulkInsert(client, TABLE, columns, incidentValueBatches(SEED, county, rows), db.kind);
      timings.seed.push((performance.now() - t) / 1000);
      if (loaded !== rows) throw new Error(`loaded ${loaded} rows, expected ${rows}`);
    }
  } finally {
    await client.query('DROP SCHEMA IF EXISTS bench_seed CASCADE').catch(() => {});
    client.release();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }

  const best = (xs: number[]) => (xs.length ? Math.min(...xs) : null);
  const seedSeconds = best(timings.seed)!;
  const copySeconds = best(timings.copy);
  return {
    engine: db.kind,
    rows,
    rounds,
    generateOnly: { seconds: round(generateSeconds), rowsPerSec: Math.round(generated / generateSeconds) },
    seed: { seconds: round(seedSeconds), rowsPerSec: Math.round(rows / seedSeconds), all: timings.seed.map(round), method: db.kind === 'postgres' ? 'generate + COPY FROM STDIN stream' : 'generate + batched INSERT … unnest' },
    rawCopy: copySeconds === null ? null : { seconds: round(copySeconds), rowsPerSec: Math.round(rows / copySeconds), all: timings.copy.map(round), method: copyMethod, fileMB: round(fileMB) },
    ratio: copySeconds === null ? null : round(copySeconds / seedSeconds),
    target: 'ratio ≥ 0.5 (seed throughput / raw COPY throughput), peak RSS < 1024 MB',
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
