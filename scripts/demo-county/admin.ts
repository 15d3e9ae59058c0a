// The administrative skeleton of the demo county: the county outline, township seats,
// villages/communities and grid seeds. Boundaries are the Voronoi cells of these seeds
// (computed in PostGIS at load time, in plain lon/lat like `locate` below), clipped to
// the parent area; `locate` therefore assigns any point to exactly the township, village
// and grid whose polygon contains it.
import type { Rng } from './random';
import { NameBook } from './names';
import { Frame, insideRing, type XY } from './frame';
import type { Terrain } from './terrain';
import { createNoise2D } from 'simplex-noise';

export interface DemoParams {
  name: string;
  codePrefix: string;
  centre: [number, number];
  metricSrid: number;
  radiusKm: number;
  townships: number;
  seatCommunities: number;
  villagesPerTownship: [number, number];
  seatGridsPerCommunity: [number, number];
  villageGrids: [number, number];
  places: number;
  cameras: number;
  cameraDefectShare: number;
  geologicalHazards: number;
  fireKeyUnits: number;
  forestFireZones: number;
  highRises: number;
  patrolTeams: number;
  patrolRoutes: number;
  trackDays: number;
  incidents: number;
  incidentYears: number;
  endDate: string;
}

export interface Township {
  code: string;
  name: string;
  centre: XY;
  lonLat: [number, number];
  isSeat: boolean;
  population: number;
  households: number;
  villages: Village[];
}

export interface Village {
  code: string;
  name: string;
  townshipCode: string;
  centre: XY;
  lonLat: [number, number];
  isCommunity: boolean;
  population: number;
  households: number;
  grids: GridSeed[];
}

export interface GridSeed {
  code: string;
  name: string;
  villageCode: string;
  townshipCode: string;
  seed: XY;
  lonLat: [number, number];
  population: number;
  households: number;
  workerName: string;
  workerPhone: string;
}

export interface AdminSkeleton {
  countyCode: string;
  countyName: string;
  ring: XY[]; // closed, metres
  ringLonLat: [number, number][];
  seat: Township;
  townships: Township[];
  population: number;
  /** Township, village and grid of a point, or null outside the county. */
  locate(p: XY): { township: Township; village: Village; grid: GridSeed } | null;
  inside(p: XY): boolean;
}

const PEOPLE_PER_HOUSEHOLD = 2.9;
const TOWNSHIP_MIN_SPACING_M = 8000;
const SEAT_URBAN_RADIUS_M = 2600;

function nearest<T>(items: readonly T[], lonLat: (t: T) => [number, number], p: [number, number]): T {
  let best: T | undefined;
  let bestD = Infinity;
  for (const item of items) {
    const q = lonLat(item);
    const d = (q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = item;
    }
  }
  if (best === undefined) throw new Error('nearest() of an empty list');
  return best;
}

export function makeAdmin(params: DemoParams, rng: Rng, names: NameBook, frame: Frame, terrain: Terrain): AdminSkeleton {
  // County outline: a star-shaped noisy ring scaled to the target area.
  const outline = createNoise2D(() => rng.random());
  const VERTICES = 360;
  const raw: XY[] = [];
  for (let i = 0; i < VERTICES; i++) {
    const t = (i / VERTICES) * 2 * Math.PI;
    const r = 1 + 0.2 * outline(Math.cos(t) * 1.1, Math.sin(t) * 1.1) + 0.05 * outline(4 * Math.cos(t) + 9, 4 * Math.sin(t));
    raw.push([Math.sin(t) * r, Math.cos(t) * r]);
  }
  const unitArea = Math.abs(raw.reduce((acc, p, i) => {
    const q = raw[(i + 1) % raw.length]!;
    return acc + p[0] * q[1] - q[0] * p[1];
  }, 0)) / 2;
  const scale = Math.sqrt((Math.PI * (params.radiusKm * 1000) ** 2) / unitArea);
  // Snap to the 1e-7° grid the database stores, so point-in-ring tests agree with PostGIS.
  const ringLonLat = raw.map(([x, y]) => frame.toLonLat([x * scale, y * scale]));
  ringLonLat.push(ringLonLat[0]!);
  const ring = ringLonLat.map((p) => frame.toXY(p));
  const inside = (p: XY) => insideRing(p, ring);

  const code = (n: string) => n.padEnd(12, '0');
  const countyCode = code(params.codePrefix);

  // Township seats: the county seat on the river, the others spread out, preferring valleys.
  const seatXY: XY = [0, terrain.river.reduce((best, p) => (Math.abs(p[0]) < Math.abs(best[0]) ? p : best))[1] + 350];
  const centres: XY[] = [seatXY];
  for (let guard = 0; centres.length < params.townships && guard < 20_000; guard++) {
    let best: XY | null = null;
    for (let k = 0; k < 8; k++) {
      const c: XY = [rng.uniform(-1, 1) * params.radiusKm * 1100, rng.uniform(-1, 1) * params.radiusKm * 1100];
      if (!inside(c) || centres.some((o) => Math.hypot(o[0] - c[0], o[1] - c[1]) < TOWNSHIP_MIN_SPACING_M)) continue;
      if (!best || terrain.elevation(c) < terrain.elevation(best)) best = c;
    }
    if (best) centres.push(best);
  }
  if (centres.length < params.townships) throw new Error(`could only place ${centres.length} township seats`);

  const townships: Township[] = centres.map((c, i) => {
    const isSeat = i === 0;
    const stem = isSeat ? '城关' : names.placeStem();
    const suffix = isSeat ? '镇' : rng.chance(0.7) ? '镇' : '乡';
    // Statistical codes: 1xx for towns, 2xx for townships (GB/T 10114 practice).
    const serial = suffix === '镇' ? 100 + i : 200 + i;
    return {
      code: code(params.codePrefix + String(serial).padStart(3, '0')),
      name: stem + suffix,
      centre: c,
      lonLat: frame.toLonLat(c),
      isSeat,
      population: 0,
      households: 0,
      villages: [],
    };
  });
  const seat = townships[0]!;
  const townshipOf = (p: XY) => nearest(townships, (t) => t.lonLat, frame.toLonLat(p));

  // Villages and communities, each placed inside its township's cell.
  for (const t of townships) {
    const wanted: { community: boolean }[] = [];
    if (t.isSeat) {
      for (let i = 0; i < params.seatCommunities; i++) wanted.push({ community: true });
      for (let i = 0; i < 8; i++) wanted.push({ community: false });
    } else {
      const n = rng.int(params.villagesPerTownship[0], params.villagesPerTownship[1]);
      for (let i = 0; i < n; i++) wanted.push({ community: i === 0 });
    }
    const spots: XY[] = [];
    for (const w of wanted) {
      const spacing = w.community && t.isSeat ? 450 : 1400;
      const spread = w.community ? (t.isSeat ? SEAT_URBAN_RADIUS_M : 700) : 7000;
      let placed: XY | null = null;
      for (let k = 0; k < 400 && !placed; k++) {
        const r = w.community && t.isSeat ? Math.sqrt(rng.random()) * spread : Math.abs(rng.normal()) * spread * 0.5 + (w.community ? 0 : 1200);
        const a = rng.uniform(0, 2 * Math.PI);
        const c: XY = [t.centre[0] + r * Math.sin(a), t.centre[1] + r * Math.cos(a)];
        if (!inside(c) || townshipOf(c) !== t) continue;
        if (!w.community && t.isSeat && Math.hypot(c[0] - t.centre[0], c[1] - t.centre[1]) < SEAT_URBAN_RADIUS_M + 500) continue;
        if (spots.some((o) => Math.hypot(o[0] - c[0], o[1] - c[1]) < spacing)) continue;
        placed = c;
      }
      if (!placed) continue;
      spots.push(placed);
      const idx = t.villages.length + 1;
      const isCommunity = w.community;
      // 0xx = 居委会 (community), 2xx = 村委会 (village)
      const serial = isCommunity ? idx : 200 + idx;
      const stem = names.placeStem();
      const population = isCommunity ? (t.isSeat ? rng.int(3000, 6500) : rng.int(1500, 3000)) : rng.int(600, 2600);
      t.villages.push({
        code: t.code.slice(0, 9) + String(serial).padStart(3, '0'),
        name: stem + (isCommunity ? '社区' : '村'),
        townshipCode: t.code,
        centre: placed,
        lonLat: frame.toLonLat(placed),
        isCommunity,
        population,
        households: Math.round(population / PEOPLE_PER_HOUSEHOLD),
        grids: [],
      });
    }
  }

  const villageOf = (t: Township, p: XY) => nearest(t.villages, (v) => v.lonLat, frame.toLonLat(p));

  // Grid seeds inside each village's cell; the village's first grid sits at its centre.
  for (const t of townships) {
    for (const v of t.villages) {
      const [lo, hi] = t.isSeat && v.isCommunity ? params.seatGridsPerCommunity : params.villageGrids;
      const n = rng.int(lo, hi);
      const seeds: XY[] = [v.centre];
      const spread = t.isSeat && v.isCommunity ? 350 : 1800;
      for (let k = 0; seeds.length < n && k < 400; k++) {
        const c: XY = [v.centre[0] + rng.normal() * spread, v.centre[1] + rng.normal() * spread];
        if (!inside(c) || townshipOf(c) !== t || villageOf(t, c) !== v) continue;
        if (seeds.some((o) => Math.hypot(o[0] - c[0], o[1] - c[1]) < spread * 0.4)) continue;
        seeds.push(c);
      }
      const shares = seeds.map(() => rng.uniform(0.6, 1.4));
      const shareSum = shares.reduce((a, b) => a + b, 0);
      seeds.forEach((s, i) => {
        const population = Math.round((v.population * shares[i]!) / shareSum);
        v.grids.push({
          code: `${v.code}${String(i + 1).padStart(2, '0')}`,
          name: `${v.name}第${i + 1}网格`,
          villageCode: v.code,
          townshipCode: t.code,
          seed: s,
          lonLat: frame.toLonLat(s),
          population,
          households: Math.round(population / PEOPLE_PER_HOUSEHOLD),
          workerName: names.person(),
          workerPhone: names.phone(),
        });
      });
    }
    t.population = t.villages.reduce((a, v) => a + v.population, 0);
    t.households = t.villages.reduce((a, v) => a + v.households, 0);
  }

  const locate = (p: XY) => {
    if (!inside(p)) return null;
    const township = townshipOf(p);
    const village = villageOf(township, p);
    const grid = nearest(village.grids, (g) => g.lonLat, frame.toLonLat(p));
    return { township, village, grid };
  };

  return {
    countyCode,
    countyName: params.name,
    ring,
    ringLonLat,
    seat,
    townships,
    population: townships.reduce((a, t) => a + t.population, 0),
    locate,
    inside,
  };
}
