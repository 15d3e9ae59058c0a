// Headless Chromium for the printed reports (PDF) and the end-to-end tests: Debian's
// chromium driven by playwright-core, no browser download. Flags keep it off the (closed) network.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-swiftshader', '--use-angle=swiftshader',
    ],
  });
}
