// The road graph and the loop planner of route suggestions (巡逻路线建议), apart from the
// database so they can be tested against brute force and pgRouting.
//   Graph: road segments in the county's metric projection; a node per distinct vertex
//   (rounded to 0.5 m), an undirected link per segment weighted by its length (ngraph.graph;
//   paths by ngraph.path's A* with the straight-line heuristic).
//   Loop: from the base and back, visiting candidates (each with a weight and a stop of
//   stopS seconds) within limitS seconds, maximising the weight: greedy insertion by weight
//   per added second, then 2-opt on the order, then swaps of a visited candidate for a
//   heavier one left out, repeated until nothing improves.
import createGraph, { type Graph } from 'ngraph.graph';
import { aStar } from 'ngraph.path';

export interface Segment { x1: number; y1: number; x2: number; y2: number; lon1: number; lat1: number; lon2: number; lat2: number }
export interface NodeData { x: number; y: number; lon: number; lat: number; component: number }
export interface RoadGraph { graph: Graph<NodeData, { m: number }>; nodes: number; links: number }

const key = (x: number, y: number) => `${Math.round(x * 2)}:${Math.round(y * 2)}`;

export function buildGraph(segments: readonly Segment[]): RoadGraph {
  const graph = createGraph<NodeData, { m: number }>();
  const ids = new Map<string, number>();
  const node = (x: number, y: number, lon: number, lat: number) => {
    const k = key(x, y);
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size;
      ids.set(k, id);
      graph.addNode(id, { x, y, lon, lat, component: -1 });
    }
    return id;
  };
  let links = 0;
  for (const s of segments) {
    const a = node(s.x1, s.y1, s.lon1, s.lat1);
    const b = node(s.x2, s.y2, s.lon2, s.lat2);
    if (a === b) continue;
    const m = Math.hypot(s.x2 - s.x1, s.y2 - s.y1);
    const existing = graph.getLink(a, b) ?? graph.getLink(b, a);
    if (existing) {
      if (m < existing.data.m) existing.data.m = m;
      continue;
    }
    graph.addLink(a, b, { m });
    links++;
  }
  // connected components, so candidates snap only to nodes the base can reach
  let comp = 0;
  graph.forEachNode((n) => {
    if (n.data.component >= 0) return;
    const stack = [n.id];
    n.data.component = comp;
    while (stack.length) {
      const id = stack.pop()!;
      graph.forEachLinkedNode(id, (o) => {
        if (o.data.component < 0) {
          o.data.component = comp;
          stack.push(o.id);
        }
      });
    }
    comp++;
  });
  return { graph, nodes: ids.size, links };
}

/** The node nearest to (x, y), among the nodes of `component` when given. */
export function nearestNode(g: RoadGraph, x: number, y: number, component?: number): { id: number; m: number } | null {
  let best: { id: number; m: number } | null = null;
  g.graph.forEachNode((n) => {
    if (component !== undefined && n.data.component !== component) return;
    const m = Math.hypot(n.data.x - x, n.data.y - y);
    if (!best || m < best.m) best = { id: Number(n.id), m };
  });
  return best;
}

/** Shortest road path between two nodes: its node ids (from → to) and length in metres. */
export function shortestPath(g: RoadGraph, from: number, to: number): { nodes: number[]; m: number } | null {
  if (from === to) return { nodes: [from], m: 0 };
  const finder = aStar<NodeData, { m: number }>(g.graph, {
    distance: (_a, _b, link) => link.data.m,
    heuristic: (a, b) => Math.hypot(a.data.x - b.data.x, a.data.y - b.data.y),
  });
  const path = finder.find(from, to); // ngraph.path returns the path from `to` back to `from`
  if (!path.length) return null;
  const nodes = path.map((n) => Number(n.id)).reverse();
  let m = 0;
  for (let i = 1; i < nodes.length; i++) {
    const l = g.graph.getLink(nodes[i - 1]!, nodes[i]!) ?? g.graph.getLink(nodes[i]!, nodes[i - 1]!);
    m += l!.data.m;
  }
  return { nodes, m };
}

/** Metres between every pair of `ids` by road (Infinity where no path). Symmetric. */
export function distanceMatrix(g: RoadGraph, ids: readonly number[]): number[][] {
  const n = ids.length;
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = shortestPath(g, ids[i]!, ids[j]!);
      d[i]![j] = d[j]![i] = p ? p.m : Infinity;
    }
  }
  return d;
}

export interface LoopInput {
  /** Travel seconds between points; index 0 is the base, 1..n the candidates. */
  cost: number[][];
  /** Weight of candidate i at index i (index 0, the base, is ignored). */
  weight: number[];
  stopS: number;
  limitS: number;
}

export interface Loop { order: number[]; weight: number; travelS: number; totalS: number }

function travel(cost: number[][], tour: readonly number[]): number {
  let t = 0;
  for (let i = 1; i < tour.length; i++) t += cost[tour[i - 1]!]![tour[i]!]!;
  return t;
}

function evaluate(inp: LoopInput, tour: number[]): Loop {
  const travelS = travel(inp.cost, tour);
  const stops = tour.length - 2;
  return { order: tour.slice(1, -1), weight: tour.slice(1, -1).reduce((a, i) => a + inp.weight[i]!, 0), travelS, totalS: travelS + stops * inp.stopS };
}

/** 2-opt: reverse a stretch of the tour while that shortens it. */
function twoOpt(cost: number[][], tour: number[]): number[] {
  let improved = true;
  let t = tour.slice();
  while (improved) {
    improved = false;
    for (let i = 1; i < t.length - 2; i++) {
      for (let j = i + 1; j < t.length - 1; j++) {
        const a = t[i - 1]!, b = t[i]!, c = t[j]!, d = t[j + 1]!;
        if (cost[a]![c]! + cost[b]![d]! < cost[a]![b]! + cost[c]![d]! - 1e-9) {
          t = [...t.slice(0, i), ...t.slice(i, j + 1).reverse(), ...t.slice(j + 1)];
          improved = true;
        }
      }
    }
  }
  return t;
}

/** The cheapest place to insert `c` into the tour: [position, added seconds incl. the stop]. */
function cheapestInsertion(inp: LoopInput, tour: readonly number[], c: number): [number, number] {
  let best: [number, number] = [-1, Infinity];
  for (let i = 0; i < tour.length - 1; i++) {
    const a = tour[i]!, b = tour[i + 1]!;
    const add = inp.cost[a]![c]! + inp.cost[c]![b]! - inp.cost[a]![b]! + inp.stopS;
    if (add < best[1]) best = [i + 1, add];
  }
  return best;
}

function greedyFill(inp: LoopInput, tour: number[]): number[] {
  const t = tour.slice();
  for (;;) {
    const used = new Set(t);
    const time = travel(inp.cost, t) + (t.length - 2) * inp.stopS;
    let pick: { c: number; at: number; ratio: number } | null = null;
    for (let c = 1; c < inp.weight.length; c++) {
      if (used.has(c) || !(inp.weight[c]! > 0)) continue;
      const [at, add] = cheapestInsertion(inp, t, c);
      if (!Number.isFinite(add) || time + add > inp.limitS + 1e-9) continue;
      const ratio = inp.weight[c]! / Math.max(add, 1e-9);
      if (!pick || ratio > pick.ratio) pick = { c, at, ratio };
    }
    if (!pick) return t;
    t.splice(pick.at, 0, pick.c);
  }
}

function better(a: Loop, b: Loop): boolean {
  return a.weight > b.weight + 1e-9 || (Math.abs(a.weight - b.weight) <= 1e-9 && a.totalS < b.totalS - 1e-9);
}

/** Local search from a tour: drop one or two stops, or force in a left-out one, then refill greedily and 2-opt. */
function improve(inp: LoopInput, start: number[]): { tour: number[]; loop: Loop } {
  let tour = start;
  let best = evaluate(inp, tour);
  const fill = (t: number[]) => twoOpt(inp.cost, greedyFill(inp, twoOpt(inp.cost, t)));
  for (let round = 0; round < 100; round++) {
    let next: number[] | null = null;
    const visited = tour.slice(1, -1);
    const tries: number[][] = [];
    for (const [i, v] of visited.entries()) {
      const without = tour.filter((x) => x !== v);
      tries.push(without);
      for (const w of visited.slice(i + 1)) tries.push(without.filter((x) => x !== w));
      for (let u = 1; u < inp.weight.length; u++) {
        if (tour.includes(u) || !(inp.weight[u]! > 0)) continue;
        const [at] = cheapestInsertion(inp, without, u);
        if (at < 0) continue;
        const forced = without.slice();
        forced.splice(at, 0, u);
        tries.push(forced);
      }
    }
    for (const t0 of tries) {
      const t = fill(t0);
      const e = evaluate(inp, t);
      if (e.totalS <= inp.limitS + 1e-9 && better(e, best)) {
        next = t;
        best = e;
      }
    }
    if (!next) break;
    tour = next;
  }
  return { tour, loop: best };
}

/**
 * Greedy insertion then 2-opt, from the empty loop and from every single candidate that
 * fits alone, each followed by the local search; the best loop found.
 */
export function planLoop(inp: LoopInput): Loop {
  const starts: number[][] = [[0, 0]];
  for (let c = 1; c < inp.weight.length; c++) {
    if (inp.weight[c]! > 0 && inp.cost[0]![c]! + inp.cost[c]![0]! + inp.stopS <= inp.limitS) starts.push([0, c, 0]);
  }
  let best: Loop | null = null;
  for (const s of starts) {
    const r = improve(inp, twoOpt(inp.cost, greedyFill(inp, s)));
    if (!best || better(r.loop, best)) best = r.loop;
  }
  return best!;
}
