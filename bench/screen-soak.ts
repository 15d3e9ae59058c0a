// The wall left alone: one /screen in headless Chromium at 1920×1080, its themes rotating
// every `--rotate` seconds, the simulator at `--rate` times the county's rate, for
// `--minutes`. Every minute, after a forced garbage collection, the page's JS heap, DOM
// nodes, event listeners, documents, canvases and map layers are read through the DevTools
// protocol (Performance.getMetrics); the end is compared with the sample at 5 minutes (the
// page has warmed up, every theme has been shown). Target: each within 20 % of its 5-minute
// value. Also the server's resident memory. Not part of CI (half an hour).
//
//   npm run bench -- screen-soak [--minutes 30] [--rotate 20] [--rate 10]
import { parseArgs } from 'node:util';
import { launchBrowser } from '../server/browser';
import { DEMO_DISPLAY } from '../server/auth/demo';
import { rssMb, startApp } from './app-process';

interface Sample {
  minute: number;
  heapMb: number;
  nodes: number;
  listeners: number;
  documents: number;
  canvases: number;
  mapLayers: number | null;
  feedItems: number;
  serverRssMb: number;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, strict: true, options: { minutes: { type: 'string' }, rotate: { type: 'string' }, rate: { type: 'string' } } });
  const minutes = Number(values.minutes ?? 30);
  const rotate = Number(values.rotate ?? 20);
  const rate = Number(values.rate ?? 10);
  const app = await startApp({ SIMULATOR: 'on', SIMULATOR_RATE: String(rate) }, '.data/bench-load');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${app.base}/screen?token=${DEMO_DISPLAY.token}&rotate=${rotate}`);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 300_000 });
    // a reload (the heap budget) would lose this; theme changes only replace the URL
    await page.evaluate(() => { (window as unknown as { soakMarker: number }).soakMarker = 1; });
    let reloads = 0;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async (minute: number): Promise<Sample> => {
      if (!(await page.evaluate(() => (window as unknown as { soakMarker?: number }).soakMarker === 1))) {
        reloads++;
        await page.evaluate(() => { (window as unknown as { soakMarker: number }).soakMarker = 1; });
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
      const dom = await page.evaluate(() => {
        const map = (window as unknown as { __pinganMap?: { getStyle(): { layers: unknown[] } } }).__pinganMap;
        return {
          canvases: document.querySelectorAll('canvas').length,
          mapLayers: map ? map.getStyle().layers.length : null,
          feedItems: document.querySelectorAll('[data-incident]').length,
        };
      });
      return {
        minute, heapMb: Math.round((m.JSHeapUsedSize ?? 0) / 1048576 * 10) / 10, nodes: m.Nodes ?? 0, listeners: m.JSEventListeners ?? 0, documents: m.Documents ?? 0,
        ...dom, serverRssMb: rssMb(app.pid),
      };
    };
    const samples: Sample[] = [await sample(0)];
    const t0 = Date.now();
    for (let minute = 1; minute <= minutes; minute++) {
      await page.waitForTimeout(Math.max(0, t0 + minute * 60_000 - Date.now()));
      samples.push(await sample(minute));
      console.error(JSON.stringify(samples[samples.length - 1]));
    }
    const at5 = samples.find((s) => s.minute === Math.min(5, minutes))!;
    const last = samples[samples.length - 1]!;
    const ratio = (k: 'heapMb' | 'nodes' | 'listeners' | 'serverRssMb') => Math.round((last[k] / at5[k]) * 100) / 100;
    // DOM nodes differ by theme (330–425 with the demo's panels): compare the largest of the
    // last five samples with the largest of the first five minutes, which cover every theme
    const maxOf = (xs: Sample[]) => Math.max(...xs.map((x) => x.nodes));
    const early = samples.filter((x) => x.minute >= 1 && x.minute <= 5);
    const ratios = {
      heap: ratio('heapMb'), nodes: ratio('nodes'), listeners: ratio('listeners'), serverRss: ratio('serverRssMb'),
      nodesMaxLast5OverFirst5: Math.round((maxOf(samples.slice(-5)) / maxOf(early.length ? early : [at5])) * 100) / 100,
    };
    return {
      engine: process.env.DATABASE_URL ? 'postgres' : 'embedded',
      minutes, rotateSeconds: rotate, simulatorRate: rate,
      atFiveMinutes: at5, atEnd: last, endOverFiveMinutes: ratios,
      maxHeapMb: Math.max(...samples.map((s) => s.heapMb)),
      reloads,
      pageErrors: errors.length, firstPageErrors: [...new Set(errors)].slice(0, 5),
      targets: {
        heapWithin20Percent: ratios.heap <= 1.2,
        nodesWithin20Percent: ratios.nodesMaxLast5OverFirst5 <= 1.2,
        listenersWithin20Percent: ratios.listeners <= 1.2,
        oneCanvasOneMap: samples.every((s) => s.canvases === samples[0]!.canvases),
      },
      samples,
    };
  } finally {
    await browser.close();
    await app.stop();
  }
}
