// The import and export commands: JSON report and exit codes, an import killed half-way
// leaves the table unchanged, and export → import round-trips positions within 0.1 m.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { inRollback } from '../helpers';
import { many, one } from '../../server/db/index';
import { runImport } from '../../server/import/pipeline';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-cli-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, () => child.kill('SIGKILL'));
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('import --json prints the report; exit code 0 when rows were imported', async () => {
  const file = path.join(dir, 'ok.csv');
  fs.writeFileSync(file, '编号,名称,经度,纬度\nCLI-1,测试点,117.6,25.7\n');
  const r = await cli(['import', 'cameras', file, '--dry-run', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  for (const key of ['accepted', 'rejected', 'warnings', 'errors']) assert.ok(key in report, key);
  assert.equal(report.accepted, 1);
  assert.equal(report.dryRun, true);
});

test('import exits non-zero when nothing was imported, listing every rejected row', async () => {
  const file = path.join(dir, 'bad.csv');
  fs.writeFileSync(file, '编号,名称,经度,纬度\nCLI-2,坏点,东经,25.7\nCLI-3,,117.6,25.7\n');
  const r = await cli(['import', 'cameras', file, '--json']);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.equal(report.accepted, 0);
  assert.deepEqual(report.errors.map((e: { row: number; field: string }) => [e.row, e.field]), [[2, 'lon'], [3, 'name']]);
});

test('import exits non-zero when --max-errors is exceeded, and bad options are usage errors', async () => {
  const file = path.join(dir, 'max.csv');
  fs.writeFileSync(file, ['编号,名称,经度,纬度', ...Array.from({ length: 10 }, (_, i) => `MX-${i},点,${i < 5 ? 'x' : 117.6},25.7`)].join('\n'));
  const r = await cli(['import', 'cameras', file, '--max-errors', '2', '--json']);
  assert.equal(r.code, 1);
  assert.match(JSON.parse(r.stdout).aborted, /more than 2 rows/);
  assert.equal((await inRollback((c) => one<{ n: number }>(`SELECT count(*)::int AS n FROM cameras WHERE external_id LIKE 'MX-%'`, [], 'counting', c))).n, 0);
  const bad = await cli(['import', 'lasers', file]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Unknown layer "lasers"/);
  const crs = await cli(['import', 'cameras', file, '--crs', 'mars']);
  assert.equal(crs.code, 2, 'a UserError exits 2, as usage errors do');
  assert.match(crs.stderr, /Unknown coordinate system "mars"/);
});

test('an import killed half-way (SIGKILL) leaves the table unchanged', { timeout: 300_000 }, async () => {
  const file = path.join(dir, 'big.csv');
  const out = fs.createWriteStream(file);
  out.write('编号,发生时间,类别,经度,纬度\n');
  for (let i = 0; i < 300_000; i++) out.write(`KILL-${i},2026-0${1 + (i % 9)}-1${i % 10} 1${i % 10}:00,盗窃,${117.55 + (i % 1000) / 10000},${25.65 + (i % 997) / 10000}\n`);
  await new Promise((r) => out.end(r));
  const before = await inRollback((c) => one<{ n: number }>('SELECT count(*)::int AS n FROM incidents', [], 'counting incidents', c));
  let killedAt = 0;
  const r = await cli(['import', 'incidents', file], (stderr, kill) => {
    const m = /(\d+) rows read\s*$/.exec(stderr);
    if (m && Number(m[1]) >= 60_000 && !killedAt) {
      killedAt = Number(m[1]);
      kill();
    }
  });
  assert.equal(r.signal, 'SIGKILL', `the import finished before it could be killed:\n${r.stderr}`);
  assert.ok(killedAt >= 60_000 && killedAt < 300_000);
  // The server rolls back the dead connection's transaction; give it a moment.
  let after = -1;
  for (let i = 0; i < 50; i++) {
    after = (await inRollback((c) => one<{ n: number }>('SELECT count(*)::int AS n FROM incidents', [], 'counting incidents', c))).n;
    const partial = (await inRollback((c) => one<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE external_id LIKE 'KILL-%'`, [], 'counting', c))).n;
    if (after === before.n && partial === 0) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(after, before.n);
});

test('export in GCJ-02, then import of that file as GCJ-02, puts every camera back within 0.1 m', { timeout: 120_000 }, async () => {
  const file = path.join(dir, 'cams-gcj.csv');
  const r = await cli(['export', 'cameras', '--format', 'csv', '--crs', 'gcj02', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Exported \d+ rows of cameras/);
  await inRollback(async (c) => {
    const before = await many<{ external_id: string; lon: number; lat: number }>('SELECT external_id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM cameras ORDER BY external_id', [], 'reading', c);
    const report = await runImport(c, { layer: 'cameras', file, crs: 'gcj02' });
    assert.equal(report.rejected, 0, JSON.stringify(report.errors.slice(0, 3)));
    assert.equal(report.updated, before.length);
    const after = await many<{ external_id: string; d: number }>(
      `SELECT c.external_id, ST_Distance(c.geom::geography, ST_SetSRID(ST_MakePoint(b.lon, b.lat), 4326)::geography) AS d
       FROM cameras c JOIN unnest($1::text[], $2::float8[], $3::float8[]) AS b(id, lon, lat) ON b.id = c.external_id`,
      [before.map((b) => b.external_id), before.map((b) => b.lon), before.map((b) => b.lat)], 'comparing', c,
    );
    assert.equal(after.length, before.length);
    const worst = Math.max(...after.map((a) => a.d));
    assert.ok(worst < 0.1, `worst round trip ${worst} m`);
  });
});

test('export writes GeoJSON and XLSX that the importer reads back', { timeout: 120_000 }, async () => {
  for (const format of ['geojson', 'xlsx']) {
    const file = path.join(dir, `hazards.${format}`);
    const r = await cli(['export', 'hazards', '--format', format, '--out', file]);
    assert.equal(r.code, 0, r.stderr);
    await inRollback(async (c) => {
      const report = await runImport(c, { layer: 'hazards', file });
      assert.equal(report.rejected, 0, JSON.stringify(report.errors.slice(0, 3)));
      assert.ok(report.updated >= 300, `${format}: ${report.updated} updated`);
    });
  }
});

// ---------------------------------------------------------------- issue 12: what a new user ran into

test('export --crs gcj02 labels every row sourceCrs GCJ-02 (the system its coordinates are in)', { timeout: 120_000 }, async () => {
  const file = path.join(dir, 'hazards-gcj.csv');
  const r = await cli(['export', 'hazards', '--format', 'csv', '--crs', 'gcj02', '--out', file]);
  assert.equal(r.code, 0, r.stderr);
  const [header, ...lines] = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  const cols = header!.split(',');
  const at = cols.indexOf('sourceCrs');
  assert.ok(at >= 0 && cols.includes('importedCrs'), header);
  assert.ok(lines.length >= 300);
  assert.deepEqual([...new Set(lines.map((l) => l.split(',')[at]))], ['GCJ-02']);
  const gj = await cli(['export', 'hazards', '--crs', 'bd09']);
  assert.equal(gj.code, 0, gj.stderr);
  assert.deepEqual([...new Set(JSON.parse(gj.stdout).features.map((f: { properties: { sourceCrs: string } }) => f.properties.sourceCrs))], ['BD-09']);
});

test('export --format xlsx to a pipe writes the workbook and exits 0; to a terminal it is refused with one sentence', { timeout: 120_000 }, async () => {
  const piped = await new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'export', 'hazards', '--format', 'xlsx'], { env: process.env });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
  });
  assert.equal(piped.code, 0, piped.stderr);
  assert.equal(piped.stdout.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
  const file = path.join(dir, 'piped.xlsx');
  fs.writeFileSync(file, piped.stdout);
  await inRollback(async (c) => {
    const report = await runImport(c, { layer: 'hazards', file });
    assert.equal(report.rejected, 0, JSON.stringify(report.errors.slice(0, 3)));
    assert.ok(report.updated >= 300);
  });
  // a reader that stops early (`| head`): the export ends quietly, not as a "database error"
  const cut = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'export', 'incidents', '--format', 'csv'], { env: process.env });
    let stderr = '';
    child.stdout.once('data', () => child.stdout.destroy());
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  assert.deepEqual(cut, { code: 0, stderr: '' });
  const script = '/usr/bin/script';
  if (!fs.existsSync(script)) return; // no pseudo-terminal tool: the pipe half still ran
  // `script` gives the command a pseudo-terminal as standard output
  const tty = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(script, ['-qec', `${process.execPath} --import tsx scripts/cli.ts export hazards --format xlsx`, '/dev/null'], { env: process.env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
  assert.equal(tty.code, 2, tty.out);
  assert.match(tty.out.trim(), /^XLSX is a binary format and standard output is a terminal: give --out file\.xlsx, or redirect standard output to a file or a pipe\.$/);
});

test('npx pingan stats --json prints only the JSON (no npm banner), with the CLI exit codes', { timeout: 120_000 }, async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('npx', ['--no-install', 'pingan', ...args], { env: process.env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const r = await run(['stats', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('{'), `stdout begins with ${JSON.stringify(r.stdout.slice(0, 40))}`);
  assert.ok(JSON.parse(r.stdout).cameras >= 1);
  const bad = await run(['import', 'lasers', 'x.csv']);
  assert.equal(bad.code, 2);
  // the launcher's heap limit is the `cli` script's
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  assert.equal(pkg.bin.pingan, 'bin/pingan.mjs');
  assert.match(pkg.scripts.cli, /--max-old-space-size=\d+/);
  assert.match(fs.readFileSync('bin/pingan.mjs', 'utf8'), /max-old-space-size/);
});

test('import of a file wholly outside the county exits 2 saying --allow-outside; with it the rows import', { timeout: 120_000 }, async () => {
  const file = path.join(dir, 'far.csv');
  fs.writeFileSync(file, '编号,名称,经度,纬度\nCLI-FAR,杭州,120.5,30.1\n');
  const r = await cli(['import', 'cameras', file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /lie outside the county.*--allow-outside/s);
  const ok = await cli(['import', 'cameras', file, '--allow-outside', '--dry-run', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).accepted, 1);
});
