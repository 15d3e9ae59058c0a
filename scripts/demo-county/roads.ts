// The road network of the demo county, from the national road along the valley down to
// village roads, plus the street grid of the county seat. Roads bend by midpoint
// displacement; everything outside the county outline is cut off.
import type { Rng } from './random';
import type { NameBook } from './names';
import { dist, lerp, type XY } from './frame';
import type { AdminSkeleton } from './admin';
import type { Terrain } from './terrain';

export type RoadClass = 'national' | 'provincial' | 'county' | 'township' | 'village' | 'urban';

export interface Road {
  name: string;
  roadClass: RoadClass;
  points: XY[];
}

export interface RoadNetwork {
  roads: Road[];
  /** Street crossings of the seat's grid, with the headings of the streets meeting there. */
  intersections: { at: XY; headings: number[] }[];
  /** The rotation (degrees) and half-extent (metres) of the seat's street grid. */
  seatGrid: { angleDeg: number; halfWidth: number; halfHeight: number; spacing: number };
}

const MAX_SEGMENT_M = 180;
const SEAT_GRID_SPACING_M = 340;

/** A bent line from a to b: recursive midpoint displacement, proportional to length. */
export function bend(rng: Rng, a: XY, b: XY, roughness: number): XY[] {
  const out: XY[] = [a];
  const rec = (p: XY, q: XY, depth: number) => {
    const len = dist(p, q);
    if (len <= MAX_SEGMENT_M || depth > 12) {
      out.push(q);
      return;
    }
    const m = lerp(p, q, 0.5);
    const off = rng.normal() * len * roughness;
    const nx = -(q[1] - p[1]) / len;
    const ny = (q[0] - p[0]) / len;
    const mid: XY = [m[0] + nx * off, m[1] + ny * off];
    rec(p, mid, depth + 1);
    rec(mid, q, depth + 1);
  };
  rec(a, b, 0);
  return out;
}

/** Keeps the runs of a polyline that lie inside the county. */
function clip(points: XY[], inside: (p: XY) => boolean): XY[][] {
  const runs: XY[][] = [];
  let run: XY[] = [];
  for (const p of points) {
    if (inside(p)) run.push(p);
    else {
      if (run.length >= 2) runs.push(run);
      run = [];
    }
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

export function makeRoads(rng: Rng, names: NameBook, admin: AdminSkeleton, terrain: Terrain): RoadNetwork {
  const roads: Road[] = [];
  const add = (name: string, roadClass: RoadClass, points: XY[]) => {
    for (const run of clip(points, admin.inside)) roads.push({ name, roadClass, points: run });
  };
  const seat = admin.seat.centre;
  const far = 40_000;

  // National road: follows the river valley through the seat, edge to edge.
  const river = terrain.river;
  const valley: XY[] = river.filter((_, i) => i % 6 === 0).map(([x, y]) => [x, y + 250]);
  const national: XY[] = [];
  for (let i = 1; i < valley.length; i++) national.push(...bend(rng, valley[i - 1]!, valley[i]!, 0.04).slice(i === 1 ? 0 : 1));
  add('G235国道', 'national', national);

  // Provincial roads: two crossing the county through the seat.
  const provincial: [string, number][] = [['S216省道', 20], ['S309省道', 125]];
  for (const [name, deg] of provincial) {
    const a = (deg * Math.PI) / 180;
    const p: XY = [seat[0] - Math.sin(a) * far, seat[1] - Math.cos(a) * far];
    const q: XY = [seat[0] + Math.sin(a) * far, seat[1] + Math.cos(a) * far];
    add(name, 'provincial', [...bend(rng, p, seat, 0.06), ...bend(rng, seat, q, 0.06).slice(1)]);
  }

  // County roads: the seat to each township seat, and a ring between neighbouring townships.
  let countyNo = 801;
  const others = admin.townships.filter((t) => !t.isSeat);
  for (const t of others) {
    add(`X${countyNo++}县道(城关至${t.name})`, 'county', bend(rng, seat, t.centre, 0.09));
  }
  const byAngle = [...others].sort(
    (a, b) => Math.atan2(a.centre[0] - seat[0], a.centre[1] - seat[1]) - Math.atan2(b.centre[0] - seat[0], b.centre[1] - seat[1]),
  );
  byAngle.forEach((t, i) => {
    const u = byAngle[(i + 1) % byAngle.length]!;
    if (dist(t.centre, u.centre) < 22_000 && rng.chance(0.6)) {
      add(`X${countyNo++}县道(${t.name}至${u.name})`, 'county', bend(rng, t.centre, u.centre, 0.1));
    }
  });

  // Township roads: each township seat to its villages. Village roads: spurs from each village.
  let townshipNo = 101;
  let villageNo = 1;
  for (const t of admin.townships) {
    for (const v of t.villages) {
      if (t.isSeat && v.isCommunity) continue; // served by the street grid
      add(`Y${townshipNo++}乡道(${t.name}至${v.name})`, 'township', bend(rng, t.centre, v.centre, 0.07));
      const spurs = rng.int(2, 4);
      for (let s = 0; s < spurs; s++) {
        const a = rng.uniform(0, 2 * Math.PI);
        const len = rng.uniform(900, 2600);
        const end: XY = [v.centre[0] + Math.sin(a) * len, v.centre[1] + Math.cos(a) * len];
        add(`C${String(villageNo++).padStart(3, '0')}村道(${v.name})`, 'village', bend(rng, v.centre, end, 0.06));
      }
    }
  }

  // The seat's street grid, turned to follow the valley.
  const angleDeg = 14;
  const halfWidth = 2300;
  const halfHeight = 1700;
  const rot = (u: number, v: number): XY => {
    const a = (angleDeg * Math.PI) / 180;
    return [seat[0] + u * Math.cos(a) - v * Math.sin(a), seat[1] + u * Math.sin(a) + v * Math.cos(a)];
  };
  let street = 0;
  const us: number[] = [];
  const vs: number[] = [];
  for (let u = -halfWidth; u <= halfWidth + 1; u += SEAT_GRID_SPACING_M) us.push(u);
  for (let v = -halfHeight; v <= halfHeight + 1; v += SEAT_GRID_SPACING_M) vs.push(v);
  for (const v of vs) add(names.street(street++), 'urban', bend(rng, rot(-halfWidth, v), rot(halfWidth, v), 0.004));
  for (const u of us) add(names.street(street++), 'urban', bend(rng, rot(u, -halfHeight), rot(u, halfHeight), 0.004));
  const eastWest = (90 - angleDeg + 360) % 360;
  const northSouth = (360 - angleDeg) % 360;
  const intersections = us.flatMap((u) =>
    vs.map((v) => ({ at: rot(u, v), headings: [eastWest, (eastWest + 180) % 360, northSouth, (northSouth + 180) % 360] })),
  );

  return { roads, intersections, seatGrid: { angleDeg, halfWidth, halfHeight, spacing: SEAT_GRID_SPACING_M } };
}
