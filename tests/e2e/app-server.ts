// Builds the app if needed and starts it as `npm start` does, on a free port, against the
// test database; stops it again. Shared by the end-to-end tests.
import net from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildIfStale } from '../../scripts/build-app';

export interface AppServer {
  base: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForHealth(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function startAppServer(): Promise<AppServer> {
  buildIfStale(process.cwd(), (s) => console.error(s));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHealth(`${base}/api/health`, 180_000);
  return {
    base,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
