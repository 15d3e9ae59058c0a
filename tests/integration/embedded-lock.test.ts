// The embedded database is opened by one process at a time: others connect through it,
// a stale lock is taken over, data persists across starts, and bad configuration stops
// the CLI with one sentence.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { readLock } from '../../server/db/embedded';

interface Run { code: number; stdout: string; stderr: string }

function run(script: string, args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const OPEN = 'tests/fixtures/open-db.ts';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-lock-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('two processes opening one fresh folder: one serves it, the other connects through it', { timeout: 180_000 }, async () => {
  const env = { PGLITE_DIR: tmp, DATABASE_URL: undefined, HOLD_MS: '4000' };
  const [a, b] = await Promise.all([run(OPEN, [], env), run(OPEN, [], env)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const reports = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
  assert.deepEqual(reports.map((r) => r.owner).sort(), [false, true]);
  assert.equal(readLock(tmp), null, 'the owner removed its lock on exit');
});

test('a second start reuses the data of the first', { timeout: 120_000 }, async () => {
  const r = await run(OPEN, [], { PGLITE_DIR: tmp, DATABASE_URL: undefined });
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.owner, true);
  assert.equal(report.markers, 3, 'two rows from the first start plus its own');
});

test('a lock left by a dead process is taken over', { timeout: 120_000 }, async () => {
  fs.writeFileSync(path.join(tmp, 'server.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, state: 'ready', host: '127.0.0.1', port: 1, startedAt: new Date().toISOString() }));
  const r = await run(OPEN, [], { PGLITE_DIR: tmp, DATABASE_URL: undefined });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).owner, true);
});

test('the CLI run while the test database is served uses the running server', { skip: Boolean(process.env.DATABASE_URL) && 'runs on the embedded database only' }, async () => {
  const dir = process.env.PGLITE_DIR!;
  const before = readLock(dir);
  assert.ok(before && before.state === 'ready', 'the test runner serves the embedded test database');
  const r = await run('scripts/cli.ts', ['stats', '--json'], {});
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).townships >= 15);
  assert.deepEqual(readLock(dir), before, 'the lock still belongs to the same serving process');
});

function oneSentence(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() && !/nodedir|npm warn/.test(l));
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
  return lines[0]!;
}

test('an unreachable DATABASE_URL stops the CLI and the server with one clear sentence', async () => {
  for (const script of ['scripts/cli.ts', 'scripts/start.ts']) {
    const r = await run(script, script.endsWith('cli.ts') ? ['stats'] : [], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/pingan', PORT: '1' });
    assert.equal(r.code, 1);
    assert.match(oneSentence(r.stderr), /^Cannot reach the PostgreSQL server at 127\.0\.0\.1:1\/pingan .*DATABASE_URL/);
  }
});

test('a corrupt PGLITE_DIR stops the CLI with one clear sentence and no lock left behind', async () => {
  const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-corrupt-'));
  fs.mkdirSync(path.join(bad, 'pgdata'));
  fs.writeFileSync(path.join(bad, 'pgdata', 'PG_VERSION'), 'not a version\n');
  fs.writeFileSync(path.join(bad, 'pgdata', 'postgresql.conf'), '\u0000\u0001garbage');
  const r = await run('scripts/cli.ts', ['stats'], { PGLITE_DIR: bad, DATABASE_URL: undefined });
  assert.equal(r.code, 1);
  assert.match(oneSentence(r.stderr), /embedded database folder .* cannot be opened .*PGLITE_DIR/);
  assert.equal(readLock(bad), null);
  fs.rmSync(bad, { recursive: true, force: true });
});

test('a PGLITE_DIR that is a file stops the CLI with one clear sentence', async () => {
  const file = path.join(tmp, 'not-a-folder');
  fs.writeFileSync(file, 'x');
  const r = await run('scripts/cli.ts', ['stats'], { PGLITE_DIR: file, DATABASE_URL: undefined });
  assert.equal(r.code, 1);
  assert.match(oneSentence(r.stderr), /PGLITE_DIR .* (is not a folder|cannot be created)/);
});
