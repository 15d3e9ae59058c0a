// Builds the Next.js app when the build is missing or older than its sources. Used by
// `npm start` and by the end-to-end tests.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError } from '../server/env';

const SOURCES = ['app', 'server', 'geodata', 'proxy.ts', 'next.config.js', 'package.json', 'tsconfig.json'];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), st.mtimeMs);
}

/** Returns true when it built. */
export function buildIfStale(root = process.cwd(), log: (s: string) => void = console.log): boolean {
  const built = fs.statSync(path.join(root, '.next', 'BUILD_ID'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changed = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (built >= changed) return false;
  log(built ? 'Sources changed since the last build: rebuilding…' : 'Building the app (first start)…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new ConfigError('The app failed to build (see the output above): fix the error and start again.');
  return true;
}
