// Maximal coverage (weighted): choose `budget` options (a camera at a site, facing a
// direction) so that the total weight of the demand they cover together is largest.
// The problem is NP-hard; greedy — each step takes the option with the largest weight of
// demand not yet covered — reaches at least 1 − 1/e of the optimum (Nemhauser, Wolsey &
// Fisher 1978). `lazyGreedy` finds exactly the same picks as `naiveGreedy` faster: a
// gain can only shrink as coverage grows, so an option whose stale gain is below the best
// fresh gain need not be recomputed (Minoux's accelerated greedy). `bruteForce` gives the
// optimum of small instances for tests.

export interface Instance {
  /** Weight of each demand unit. */
  weights: Float64Array;
  /** For each option, the demand units it covers (indices into `weights`). */
  sets: Int32Array[];
}

export interface Pick { option: number; gain: number }

function gainOf(set: Int32Array, weights: Float64Array, covered: Uint8Array): number {
  let g = 0;
  for (let i = 0; i < set.length; i++) if (!covered[set[i]!]) g += weights[set[i]!]!;
  return g;
}

function cover(set: Int32Array, covered: Uint8Array): void {
  for (let i = 0; i < set.length; i++) covered[set[i]!] = 1;
}

/** Recomputes every option's gain at every step. Ties go to the lower option index. Stops early when nothing more can be gained. */
export function naiveGreedy(inst: Instance, budget: number): Pick[] {
  const covered = new Uint8Array(inst.weights.length);
  const taken = new Uint8Array(inst.sets.length);
  const picks: Pick[] = [];
  while (picks.length < budget) {
    let best = -1;
    let bestGain = 0;
    for (let o = 0; o < inst.sets.length; o++) {
      if (taken[o]) continue;
      const g = gainOf(inst.sets[o]!, inst.weights, covered);
      if (g > bestGain) {
        best = o;
        bestGain = g;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    cover(inst.sets[best]!, covered);
    picks.push({ option: best, gain: bestGain });
  }
  return picks;
}

/** Lazy (accelerated) greedy with a binary max-heap on (stale gain, −index): the same picks as `naiveGreedy`. */
export function lazyGreedy(inst: Instance, budget: number): Pick[] {
  const covered = new Uint8Array(inst.weights.length);
  const n = inst.sets.length;
  const heapGain = new Float64Array(n);
  const heapOpt = new Int32Array(n);
  let size = 0;
  const before = (a: number, b: number) => heapGain[a]! > heapGain[b]! || (heapGain[a] === heapGain[b] && heapOpt[a]! < heapOpt[b]!);
  const swap = (a: number, b: number) => {
    const g = heapGain[a]!; heapGain[a] = heapGain[b]!; heapGain[b] = g;
    const o = heapOpt[a]!; heapOpt[a] = heapOpt[b]!; heapOpt[b] = o;
  };
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(i, p)) break;
      swap(i, p);
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && before(l, m)) m = l;
      if (r < size && before(r, m)) m = r;
      if (m === i) break;
      swap(i, m);
      i = m;
    }
  };
  for (let o = 0; o < n; o++) {
    const g = gainOf(inst.sets[o]!, inst.weights, covered);
    if (g <= 0) continue;
    heapGain[size] = g;
    heapOpt[size] = o;
    up(size++);
  }
  const picks: Pick[] = [];
  while (picks.length < budget && size > 0) {
    const o = heapOpt[0]!;
    const fresh = gainOf(inst.sets[o]!, inst.weights, covered);
    // remove the top
    size--;
    if (size > 0) {
      heapGain[0] = heapGain[size]!;
      heapOpt[0] = heapOpt[size]!;
      down(0);
    }
    if (fresh <= 0) continue;
    // still at least as good as every other option's upper bound (ties: lower index)?
    if (size === 0 || fresh > heapGain[0]! || (fresh === heapGain[0] && o < heapOpt[0]!)) {
      cover(inst.sets[o]!, covered);
      picks.push({ option: o, gain: fresh });
    } else {
      heapGain[size] = fresh;
      heapOpt[size] = o;
      up(size++);
    }
  }
  return picks;
}

/** The weight covered by a set of options together. */
export function coveredWeight(inst: Instance, options: number[]): number {
  const covered = new Uint8Array(inst.weights.length);
  for (const o of options) cover(inst.sets[o]!, covered);
  let w = 0;
  for (let i = 0; i < covered.length; i++) if (covered[i]) w += inst.weights[i]!;
  return w;
}

/** The exact optimum by enumerating every combination of `budget` options (small instances only). */
export function bruteForce(inst: Instance, budget: number): { options: number[]; value: number } {
  const n = inst.sets.length;
  const k = Math.min(budget, n);
  let best = { options: [] as number[], value: 0 };
  const chosen: number[] = [];
  const walk = (start: number) => {
    if (chosen.length === k) {
      const v = coveredWeight(inst, chosen);
      if (v > best.value) best = { options: [...chosen], value: v };
      return;
    }
    for (let o = start; o <= n - (k - chosen.length); o++) {
      chosen.push(o);
      walk(o + 1);
      chosen.pop();
    }
  };
  walk(0);
  return best;
}
