// The route suggester's graph and loop planner against answers found otherwise: shortest
// paths on a hand-built street grid equal the Manhattan distances, and on small networks
// the planned loop collects exactly the weight of the best loop found by brute force over
// every subset and order of the candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { buildGraph, distanceMatrix, nearestNode, planLoop, shortestPath, type Segment } from '../../server/services/patrol/route-plan';

/** A street grid of n × n crossings `step` metres apart (metric and fake lon/lat alike). */
function gridSegments(n: number, step: number, drop: (i: number, j: number, dir: 'h' | 'v') => boolean = () => false): Segment[] {
  const out: Segment[] = [];
  const seg = (x1: number, y1: number, x2: number, y2: number): Segment => ({ x1, y1, x2, y2, lon1: x1 / 1e5, lat1: y1 / 1e5, lon2: x2 / 1e5, lat2: y2 / 1e5 });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i + 1 < n && !drop(i, j, 'h')) out.push(seg(i * step, j * step, (i + 1) * step, j * step));
      if (j + 1 < n && !drop(i, j, 'v')) out.push(seg(i * step, j * step, i * step, (j + 1) * step));
    }
  }
  return out;
}

test('road graph: vertices shared by segments join; shortest paths are the street distances', () => {
  const g = buildGraph(gridSegments(5, 100));
  assert.equal(g.nodes, 25);
  assert.equal(g.links, 40);
  const a = nearestNode(g, 0, 0)!.id;
  const b = nearestNode(g, 400, 300)!.id;
  assert.equal(shortestPath(g, a, b)!.m, 700);
  // a missing street lengthens the way around
  const cut = buildGraph(gridSegments(3, 100, (i, j, d) => d === 'h' && j === 0 && i === 0));
  const p = shortestPath(cut, nearestNode(cut, 0, 0)!.id, nearestNode(cut, 100, 0)!.id)!;
  assert.equal(p.m, 300);
  assert.equal(p.nodes.length, 4);
});

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** The best loop by brute force: most weight, then least time. */
function bruteForce(cost: number[][], weight: number[], stopS: number, limitS: number): { weight: number; totalS: number } {
  const n = weight.length - 1;
  let best = { weight: 0, totalS: 0 };
  for (let mask = 1; mask < 1 << n; mask++) {
    const chosen = Array.from({ length: n }, (_, i) => i + 1).filter((i) => mask & (1 << (i - 1)));
    const w = chosen.reduce((a, i) => a + weight[i]!, 0);
    if (w < best.weight - 1e-9) continue;
    let t = Infinity;
    for (const p of permutations(chosen)) {
      const tour = [0, ...p, 0];
      let s = chosen.length * stopS;
      for (let k = 1; k < tour.length; k++) s += cost[tour[k - 1]!]![tour[k]!]!;
      t = Math.min(t, s);
    }
    if (t <= limitS && (w > best.weight + 1e-9 || t < best.totalS)) best = { weight: w, totalS: t };
  }
  return best;
}

test('the planned loop equals the brute-force optimum on 40 small networks', () => {
  const rng = seedrandom('route-plan');
  let nonTrivial = 0;
  for (let k = 0; k < 40; k++) {
    // a 6 × 6 street grid with a few streets missing, a base and 7 weighted candidates
    const g = buildGraph(gridSegments(6, 100, () => rng() < 0.12));
    const base = nearestNode(g, 0, 0)!.id;
    const comp = g.graph.getNode(base)!.data.component;
    const cands = Array.from({ length: 7 }, () => nearestNode(g, Math.floor(rng() * 6) * 100, Math.floor(rng() * 6) * 100, comp)!.id);
    const ids = [base, ...cands];
    const speed = 1.25; // m/s, on foot
    const cost = distanceMatrix(g, ids).map((row) => row.map((m) => m / speed));
    const weight = [0, ...cands.map(() => 1 + Math.floor(rng() * 20))];
    const stopS = 120;
    const limitS = 600 + rng() * 1800;
    const plan = planLoop({ cost, weight, stopS, limitS });
    const best = bruteForce(cost, weight, stopS, limitS);
    assert.ok(plan.totalS <= limitS + 1e-6, `network ${k}: within the shift`);
    assert.equal(plan.weight, best.weight, `network ${k}: weight ${plan.weight} against the optimum ${best.weight}`);
    if (best.weight > 0 && best.weight < weight.reduce((a, b) => a + b, 0)) nonTrivial++;
  }
  assert.ok(nonTrivial >= 20, `most networks force a choice (${nonTrivial} of 40)`);
});
