// Benchmark harness: `npm run bench -- <name> [options]` prints one JSON object. Every
// benchmark measures against a baseline in the same run (the machines are shared and
// noisy), so ratios are what to compare between runs, not seconds.
import { closeDatabase } from '../server/db/index';
import { ConfigError } from '../server/env';

type Bench = (args: string[]) => Promise<Record<string, unknown>>;

const BENCHMARKS: Record<string, () => Promise<Bench>> = {
  'seed-1m': async () => (await import('./seed-1m')).run,
  'import-incidents-1m': async () => (await import('./import-incidents-1m')).run,
  'hotspots-1m': async () => (await import('./hotspots-1m')).run,
  'coverage-county': async () => (await import('./coverage-county')).run,
  'recommend-100': async () => (await import('./recommend-100')).run,
  'scope-overhead': async () => (await import('./scope-overhead')).run,
  'analysis-latency': async () => (await import('./analysis-latency')).run,
  'map-view-1m': async () => (await import('./map-view-1m')).run,
  bundle: async () => (await import('./bundle')).run,
  load: async () => (await import('./load')).run,
  'screen-soak': async () => (await import('./screen-soak')).run,
  'dosage-30d': async () => (await import('./dosage-30d')).run,
  'backtest-250': async () => (await import('./backtest-250')).run,
};

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load) {
    console.error(`Usage: npm run bench -- <name>\nBenchmarks: ${Object.keys(BENCHMARKS).join(', ')}`);
    return 2;
  }
  try {
    const result = await (await load())(args);
    console.log(JSON.stringify({ benchmark: name, at: new Date().toISOString(), ...result }, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await closeDatabase().catch(() => {});
  }
}

process.exitCode = await main();
