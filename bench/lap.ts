// Benchmark helpers. `lap` times one awaited step of a benchmark: its result and the seconds it took.
export async function lap<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, (performance.now() - t) / 1000];
}

/** Rounds to 3 decimals for the printed report. */
export const r3 = (x: number) => Math.round(x * 1000) / 1000;
