#!/usr/bin/env node
// `npx pingan <command> …`: the command line (scripts/cli.ts) as a real executable, so that
// standard output carries only the command's result (no npm banner: `npx pingan stats
// --json | jq`). It runs the CLI through tsx with the same heap limit as `npm run cli`
// (read from package.json's "cli" script) and, like npm, in the project folder: the
// default embedded database and the SQL files are found there, and relative file paths
// are read from there. Its exit code and signals are the CLI's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const heap = /--max-old-space-size=(\d+)/.exec(pkg.scripts?.cli ?? '')?.[1] ?? '256';
const tsx = import.meta.resolve('tsx');

const child = spawn(process.execPath, [`--max-old-space-size=${heap}`, '--import', tsx, path.join(root, 'scripts', 'cli.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, INIT_CWD: process.env.INIT_CWD ?? process.cwd() },
});
const forward = (signal) => () => child.kill(signal);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
child.on('error', (err) => {
  console.error(`pingan: cannot start the command line: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
