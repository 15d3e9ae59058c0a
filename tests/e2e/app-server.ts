// Builds the app if needed and starts it as `npm start` does, on a free port, against the
// test database; stops it again. Shared by the end-to-end tests.
import fs from 'node:fs';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, launchBrowser } from './browser';
import { spawn, type ChildProcess } from 'node:child_process';
import { buildIfStale } from '../../scripts/build-app';
import { freePort } from '../../scripts/free-port';

export interface AppServer {
  base: string;
  stop(): Promise<void>;
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

/** `env`: extra variables for the app's process (e.g. a small UPLOAD_MAX_BYTES). The demo's simulator is off unless `env` turns it on: the other tests read a fixed county. */
export async function startAppServer(env: Record<string, string> = {}, fixedPort?: number): Promise<AppServer> {
  buildIfStale(process.cwd(), (s) => console.error(s));
  const port = fixedPort ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, SIMULATOR: 'off', ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForHealth(`${base}/api/health`, 300_000); // a first start may build the app
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

/** Why the browser tests cannot run here (no Chromium), or false. Under CI=true a missing browser is an error. */
export const missingBrowser: string | false = !fs.existsSync(CHROMIUM_PATH) && `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`;
if (missingBrowser && process.env.CI) throw new Error(`End-to-end tests need ${missingBrowser}`);

/** Starts the app and a browser before the file's tests and stops both after them. */
export function appAndBrowser(): { server?: AppServer; browser?: Browser } {
  const ctx: { server?: AppServer; browser?: Browser } = {};
  before(async () => {
    if (missingBrowser) return;
    ctx.server = await startAppServer();
    ctx.browser = await launchBrowser();
  }, { timeout: 600_000 });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.stop();
  });
  return ctx;
}
