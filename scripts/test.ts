// `npm test`: the whole suite. It opens the test database once (DATABASE_URL, else an
// embedded database in .data/test-pglite), migrates it, loads the demo county unless
// the same demo is already there, and keeps serving it while node's test runner runs
// every tests/**/*.test.ts file in child processes that connect to it.
// It type-checks first. Flags: --skip-e2e (no browser tests), --only <substring[,substring…]> (run matching files),
// --e2e <substring[,substring…]> (of the browser tests, only the matching files).
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { closeDatabase, getDatabase, maybeOne } from '../server/db/index';
import { MAINTENANCE, withScope } from '../server/db/scope';
import { migrate } from '../server/db/migrate';
import { demoFingerprint, seedDemoCounty } from './demo-county/index';

export const TEST_SEED = 'test';

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? testFiles(p) : e.name.endsWith('.test.ts') ? [p] : [];
  });
}

async function prepareDatabase(): Promise<string> {
  const db = await getDatabase();
  await migrate();
  const existing = await withScope(MAINTENANCE, { attempted: 'checking the loaded demo county', readOnly: true }, (tx) => maybeOne<{ value: { seed?: string; scale?: number; fingerprint?: string } }>(
    `SELECT value FROM dataset_info WHERE key = 'demo'`, [], 'checking the loaded demo county', tx,
  ));
  const v = existing?.value;
  if (!(v?.seed === TEST_SEED && v.scale === 1 && v.fingerprint === demoFingerprint())) {
    console.log('Loading the demo county into the test database…');
    await seedDemoCounty({ seed: TEST_SEED, onProgress: (s) => console.log(`  ${s}`) });
  }
  return db.kind;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const skipE2e = args.includes('--skip-e2e');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  console.log('Type-checking…');
  const tsc = spawnSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], { stdio: 'inherit' });
  if (tsc.status !== 0) return 1;
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR ??= path.resolve('.data/test-pglite');
  const kind = await prepareDatabase();
  console.log(`Test database ready (${kind}${kind === 'embedded' ? `, ${process.env.PGLITE_DIR}` : ''}).`);

  let files = testFiles(path.resolve('tests')).sort();
  const isE2e = (f: string) => f.includes(`${path.sep}e2e${path.sep}`);
  const e2eOnly = args.includes('--e2e') ? args[args.indexOf('--e2e') + 1]?.split(',') : undefined;
  if (skipE2e) files = files.filter((f) => !isE2e(f));
  if (e2eOnly) files = files.filter((f) => !isE2e(f) || e2eOnly.some((o) => f.includes(o)));
  if (only) files = files.filter((f) => only.split(",").some((o) => f.includes(o))); // comma: any of several
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, PINGAN_TEST_SEED: TEST_SEED },
  });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  return code;
}

main()
  .then(async (code) => {
    await closeDatabase();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(err instanceof Error ? err.message : err);
    await closeDatabase().catch(() => {});
    process.exit(1);
  });
