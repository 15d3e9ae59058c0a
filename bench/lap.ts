// Benchmark helpers. `lap` times one awaited step of a benchmark: its result and the seconds it took.
import { systemActor } from '../server/context';
import { withScope, type Tx } from '../server/db/scope';

export async function lap<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

/** Rounds to 3 decimals for the printed report. */
export const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Runs a benchmark in ONE transaction that is rolled back at the end, with no statement
 * timeout, as a county-wide system actor: it leaves no trace.
 */
export function benchScope<T>(name: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withScope(systemActor(`bench ${name}`), { attempted: `running the ${name} benchmark`, readOnly: true, timeoutMs: 0 }, fn);
}
