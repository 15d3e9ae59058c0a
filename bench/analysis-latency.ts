// What the rest of the server feels while the heaviest allowed analysis runs: health, a
// base-map layer (cached) and an uncached small read, sampled every 250 ms during the
// analysis, against the same calls on an idle server in the same run; the main thread's
// event-loop delay during the analysis (PGlite runs in its own thread); and what a
// repeated identical analysis costs (cache) against computing it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createCaller } from '../server/root';
import { getDatabase, one } from '../server/db/index';
import { withScope } from '../server/db/scope';
import { systemActor } from '../server/context';
import { checkHealth } from '../server/services/health/check';
import { analysisState, clearAnalysisCache } from '../server/analysis-queue';
import { lap, r3 } from './lap';

const ms = (s: number) => Math.round(s * 1000);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, medianMs: ms(s[Math.floor(s.length / 2)] ?? 0), maxMs: ms(s[s.length - 1] ?? 0) };
};

export async function run(): Promise<Record<string, unknown>> {
  const actor = systemActor('bench analysis-latency', ['admin', 'analyst']);
  const db = await getDatabase();
  const c = createCaller({ databaseKind: db.kind, actor });
  const small = () => withScope(actor, { attempted: 'a small read', readOnly: true }, (tx) => one(`SELECT count(*)::int AS n FROM grids`, [], 'a small read', tx));
  const probes: Record<string, () => Promise<unknown>> = { health: () => checkHealth(), basemap: () => c.basemap.county(), smallRead: small };

  clearAnalysisCache();
  await c.basemap.county();
  const idle: Record<string, number[]> = { health: [], basemap: [], smallRead: [] };
  for (let i = 0; i < 10; i++) for (const [k, f] of Object.entries(probes)) idle[k]!.push((await lap(f))[1]);

  // the widest band the bound allows at 500 m cells
  const refusal = await c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: 20_000 } }).catch((e: Error) => e.message);
  const widest = Number(/不超过 (\d+) 米/.exec(String(refusal))?.[1] ?? 2000);
  const busy: Record<string, number[]> = { health: [], basemap: [], smallRead: [] };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const t0 = performance.now();
  let done = false;
  const heavy = c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: widest } }).finally(() => (done = true));
  while (analysisState().running.length === 0 && !done) await new Promise((r) => setTimeout(r, 10));
  const sampler = (async () => {
    while (!done) {
      for (const k of ['health', 'basemap'] as const) busy[k]!.push((await lap(probes[k]!))[1]);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  // one uncached read: on the embedded engine it waits for the analysis to end
  const [, smallWait] = await lap(small);
  const result = await heavy;
  const analysisS = (performance.now() - t0) / 1000;
  await sampler;
  loop.disable();
  const [, repeatS] = await lap(() => c.hotspots.gistar({ cellM: 500, neighbours: { kind: 'distance', metres: widest } }));
  return {
    database: db.kind,
    analysis: { what: `Gi*, 500 m cells, ${widest} m band (the widest the bound allows)`, cells: result.method.cells, seconds: r3(analysisS) },
    idle: Object.fromEntries(Object.entries(idle).map(([k, v]) => [k, stats(v)])),
    duringAnalysis: { health: stats(busy.health!), basemap: stats(busy.basemap!), uncachedReadWaitedS: r3(smallWait) },
    mainThreadEventLoopDelay: { maxMs: Math.round(loop.max / 1e6), p99Ms: Math.round(loop.percentile(99) / 1e6) },
    cache: { repeatS: r3(repeatS), ratioRepeatToCompute: r3(repeatS / analysisS) },
  };
}
