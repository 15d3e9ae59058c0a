// The app as `npm start` runs it, in a child process on a free port, for the benchmarks that
// measure it from outside (load, screen-soak): its address, its pid (for its memory), stop().
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { buildIfStale } from '../scripts/build-app';
import { freePort } from '../scripts/free-port';

export interface AppProcess {
  base: string;
  pid: number;
  stop(): Promise<void>;
}

/** The database: DATABASE_URL if set, else the embedded folder `pgliteDir` (a demo county seeded on first use). */
export async function startApp(env: Record<string, string>, pgliteDir: string): Promise<AppProcess> {
  buildIfStale(process.cwd(), (s) => console.error(s));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: String(port) };
  if (!process.env.DATABASE_URL) childEnv.PGLITE_DIR = process.env.PGLITE_DIR ?? pgliteDir;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    for (const deadline = Date.now() + 600_000; ; await new Promise((r) => setTimeout(r, 1000))) {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it answered`);
      if (Date.now() > deadline) throw new Error('the server did not answer within 10 minutes');
      if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { base, pid: child.pid!, stop };
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN; // the process is gone
  }
}
