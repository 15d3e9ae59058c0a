// Incidents (案事件) with real hotspot structure: clusters around markets, stations and
// night-life that start, grow, fade or flare; a population-driven background; traffic
// accidents along roads; petitions at government offices; forest fires in the dry
// seasons. Times follow daily, weekly and seasonal rhythms; thefts and burglaries bring
// near repeats. Streamed in batches so that a million rows never sit in memory.
import incidentCategories from '../../geodata/dictionaries/incident-categories.json';
import { Rng, WeightedTable } from './random';
import { alongPolyline, polylineLength, type Frame, type XY } from './frame';
import type { AdminSkeleton } from './admin';
import type { RoadNetwork } from './roads';
import type { Place } from './places';
import type { HazardPoint } from './hazards';

export interface IncidentRow {
  externalId: string;
  occurredAt: Date;
  categoryCode: string;
  source: '110' | 'grid' | '12345' | 'other';
  severity: 'ordinary' | 'major';
  status: 'received' | 'dispatched' | 'handling' | 'closed' | 'supervised';
  summary: string;
  townshipCode: string;
  gridCode: string;
  lonLat: [number, number];
}

type Trend = 'stable' | 'emerging' | 'intensifying' | 'diminishing' | 'sporadic';
type Rhythm = 'day' | 'night' | 'commute' | 'burglary' | 'office';

interface HotspotSource {
  centre: XY;
  sigmaM: number;
  weight: number;
  trend: Trend;
  /** Start (emerging) as a fraction of the period, or active months (sporadic). */
  trendParam: number;
  activeMonths: Set<number>;
  categories: [string, number][];
}

const DAY_MS = 86_400_000;
const LOCAL_UTC_OFFSET_MS = 8 * 3_600_000;
const NEAR_REPEAT_P = 0.12;

// Hour-of-day weights (local time) for each rhythm.
const HOURS: Record<Rhythm, number[]> = {
  day: [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 7, 6, 5, 4, 3, 2, 1.5, 1],
  night: [6, 5, 3, 1.5, 0.5, 0.3, 0.3, 0.3, 0.5, 0.7, 1, 1, 1.5, 1.2, 1, 1, 1.2, 1.6, 2.5, 4, 6, 8, 9, 8],
  commute: [0.5, 0.3, 0.3, 0.3, 0.5, 1, 3, 7, 8, 4, 3, 3, 4, 3, 3, 3.5, 5, 8, 8, 5, 3, 2, 1.5, 1],
  burglary: [3, 4, 5, 5, 4, 2, 1, 1, 1.5, 3, 4, 4, 3, 3.5, 4, 3, 2, 1.5, 1, 1, 1, 1.5, 2, 2.5],
  office: [0, 0, 0, 0, 0, 0, 0, 0.3, 3, 8, 9, 7, 2, 3, 8, 9, 7, 3, 0.5, 0, 0, 0, 0, 0],
};
const RHYTHM_OF: Record<string, Rhythm> = {
  'criminal.theft': 'day', 'criminal.robbery': 'night', 'criminal.fraud': 'day', 'criminal.assault': 'night', 'criminal.burglary': 'burglary',
  'public_order.fight': 'night', 'public_order.gambling': 'night', 'public_order.disturbance': 'night', 'public_order.drunk': 'night',
  'dispute.neighbour': 'day', 'dispute.family': 'night', 'dispute.land': 'day', 'dispute.labour': 'office',
  'fire.building': 'day', 'fire.forest': 'day', 'traffic.injury': 'commute', 'traffic.property': 'commute',
  'petition.group': 'office', 'petition.individual': 'office',
};
// Summaries use the dictionary's Chinese names, so they match what the UI shows.
const CATEGORY_NAMES: Record<string, string> = Object.fromEntries(incidentCategories.map((c) => [c.code, c.name]));
// What happens around each kind of place, and how strongly it draws incidents.
const PLACE_PROFILES: Record<string, { weight: number; sigma: number; categories: [string, number][] }> = {
  market: { weight: 4, sigma: 90, categories: [['criminal.theft', 6], ['criminal.fraud', 1], ['dispute.neighbour', 2], ['public_order.disturbance', 1]] },
  station: { weight: 4, sigma: 120, categories: [['criminal.theft', 6], ['criminal.robbery', 1.2], ['criminal.fraud', 2], ['public_order.disturbance', 1]] },
  internet_cafe: { weight: 2.5, sigma: 70, categories: [['criminal.theft', 3], ['public_order.fight', 2], ['criminal.robbery', 0.6], ['public_order.disturbance', 1]] },
  entertainment: { weight: 3.5, sigma: 80, categories: [['public_order.fight', 4], ['public_order.drunk', 3], ['criminal.assault', 1.5], ['public_order.gambling', 1.5], ['criminal.theft', 1]] },
  mall: { weight: 2, sigma: 90, categories: [['criminal.theft', 5], ['criminal.fraud', 1.5], ['dispute.labour', 0.5]] },
  hotel: { weight: 1.2, sigma: 60, categories: [['criminal.theft', 2], ['public_order.gambling', 1.5], ['criminal.fraud', 1]] },
  bank: { weight: 1, sigma: 60, categories: [['criminal.fraud', 5], ['criminal.theft', 1]] },
  square: { weight: 1.5, sigma: 120, categories: [['dispute.neighbour', 2], ['public_order.fight', 2], ['criminal.theft', 2]] },
  school: { weight: 0.5, sigma: 120, categories: [['traffic.property', 2], ['public_order.fight', 1], ['criminal.fraud', 1]] },
};
const BACKGROUND_CATEGORIES: [string, number][] = [
  ['dispute.neighbour', 8], ['dispute.family', 6], ['dispute.land', 4], ['dispute.labour', 2], ['criminal.burglary', 5], ['criminal.theft', 5],
  ['criminal.fraud', 4], ['public_order.fight', 2], ['fire.building', 1.2], ['public_order.gambling', 1],
];
const ROAD_CLASS_RISK: Record<string, number> = { national: 5, provincial: 4, county: 2, urban: 3, township: 0.6, village: 0.2 };
const COMPONENTS = { places: 0.44, background: 0.36, roads: 0.15, petitions: 0.03, forest: 0.02 };

export interface IncidentWorld {
  admin: AdminSkeleton;
  frame: Frame;
  net: RoadNetwork;
  places: Place[];
  hazards: HazardPoint[];
  end: Date;
  years: number;
}

/** Yields batches of incident rows; the total is `count` plus near repeats, trimmed to `count`. */
export function* incidentBatches(seed: string, world: IncidentWorld, count: number, batchSize: number): Generator<IncidentRow[]> {
  const rng = new Rng(`${seed}:incidents`);
  const { admin, frame, net, places, hazards } = world;
  const periodDays = Math.round(world.years * 365);
  const endMs = Date.UTC(world.end.getUTCFullYear(), world.end.getUTCMonth(), world.end.getUTCDate());
  const startMs = endMs - periodDays * DAY_MS;

  // Hotspot generators from places, each with its own trajectory over the period.
  const generators: HotspotSource[] = [];
  for (const p of places) {
    const profile = PLACE_PROFILES[p.placeType];
    if (!profile) continue;
    const draw = rng.random();
    const trend: Trend = draw < 0.58 ? 'stable' : draw < 0.72 ? 'emerging' : draw < 0.84 ? 'intensifying' : draw < 0.95 ? 'diminishing' : 'sporadic';
    const activeMonths = new Set<number>();
    for (let m = 0; m < periodDays / 30 + 1; m++) if (rng.chance(0.2)) activeMonths.add(m);
    generators.push({
      centre: p.at,
      sigmaM: profile.sigma * rng.uniform(0.7, 1.4),
      weight: profile.weight * rng.uniform(0.4, 1.8) * (p.township.isSeat ? 1.6 : 0.7),
      trend,
      trendParam: rng.uniform(0.45, 0.8),
      activeMonths,
      categories: profile.categories,
    });
  }
  const generatorTable = new WeightedTable(generators.map((g) => g.weight));
  const grids = admin.townships.flatMap((t) => t.villages.flatMap((v) => v.grids.map((g) => ({ g, urban: t.isSeat && v.isCommunity }))));
  const gridTable = new WeightedTable(grids.map(({ g, urban }) => g.population * (urban ? 1.5 : 1)));
  const backgroundTable = new WeightedTable(BACKGROUND_CATEGORIES.map(([, w]) => w));
  const roads = net.roads.map((r) => ({ r, len: polylineLength(r.points) }));
  const roadTable = new WeightedTable(roads.map(({ r, len }) => len * (ROAD_CLASS_RISK[r.roadClass] ?? 1)));
  const offices = places.filter((p) => p.placeType === 'government');
  const forests = hazards.filter((h) => h.hazardType === 'forest_fire_zone' && h.ring);
  const hourTables = Object.fromEntries(Object.entries(HOURS).map(([k, w]) => [k, new WeightedTable(w)])) as Record<Rhythm, WeightedTable>;
  const componentTable = new WeightedTable(Object.values(COMPONENTS));
  const componentNames = Object.keys(COMPONENTS) as (keyof typeof COMPONENTS)[];

  const trendFactor = (g: HotspotSource | null, dayIndex: number) => {
    if (!g) return 1;
    const f = dayIndex / periodDays;
    switch (g.trend) {
      case 'stable': return 1;
      case 'emerging': return f < g.trendParam ? 0.05 : 1.8;
      case 'intensifying': return 0.25 + 1.5 * f;
      case 'diminishing': return 1.6 - 1.45 * f;
      case 'sporadic': return g.activeMonths.has(Math.floor(dayIndex / 30)) ? 2 : 0.1;
    }
  };
  const seasonFactor = (category: string, dayOfYear: number) => {
    if (category === 'fire.forest') return Math.abs(dayOfYear - 95) < 20 || dayOfYear > 330 || dayOfYear < 40 ? 3 : 0.15; // Qingming, winter
    if (category.startsWith('dispute')) return dayOfYear < 50 ? 1.6 : 1; // around Spring Festival
    return 1 + 0.25 * Math.sin((2 * Math.PI * (dayOfYear - 105)) / 365); // summer peak
  };
  const weekFactor = (category: string, weekday: number) => {
    const rhythm = RHYTHM_OF[category]!;
    if (rhythm === 'night') return weekday === 5 || weekday === 6 ? 1.5 : 0.85;
    if (rhythm === 'office') return weekday >= 6 ? 0.05 : 1.2;
    return weekday >= 6 ? 1.1 : 0.97;
  };
  const MAX_FACTOR = 2 * 3 * 1.5; // upper bound of trend × season × week, for rejection sampling

  /** A day in the period, drawn in proportion to the generator's trend and the category's rhythms. */
  const drawTime = (g: HotspotSource | null, category: string): number => {
    for (let k = 0; k < 200; k++) {
      const dayIndex = Math.floor(rng.random() * periodDays);
      const dayMs = startMs + dayIndex * DAY_MS;
      const date = new Date(dayMs);
      const dayOfYear = Math.floor((dayMs - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
      const weekday = ((date.getUTCDay() + 6) % 7) + 1;
      const f = trendFactor(g, dayIndex) * seasonFactor(category, dayOfYear) * weekFactor(category, weekday);
      if (rng.random() * MAX_FACTOR > f) continue;
      const hour = hourTables[RHYTHM_OF[category]!].draw(rng);
      return dayMs + (hour * 60 + rng.random() * 60) * 60_000 - LOCAL_UTC_OFFSET_MS;
    }
    return startMs + rng.random() * periodDays * DAY_MS;
  };
  const pickCategory = (weights: [string, number][]) => weights[rng.weighted(weights.map(([, w]) => w))]![0];

  let made = 0;
  let batch: IncidentRow[] = [];
  const pending: { at: XY; t: number; category: string }[] = [];

  const emit = (at: XY, t: number, category: string): boolean => {
    const where = admin.locate(at);
    if (!where || t < startMs - LOCAL_UTC_OFFSET_MS || t >= endMs - LOCAL_UTC_OFFSET_MS) return false;
    const ageDays = (endMs - t) / DAY_MS;
    const s = rng.random();
    const status: IncidentRow['status'] =
      ageDays > 30 ? (s < 0.97 ? 'closed' : 'supervised') : ageDays > 7 ? (s < 0.8 ? 'closed' : s < 0.92 ? 'handling' : 'supervised') : s < 0.15 ? 'received' : s < 0.35 ? 'dispatched' : s < 0.7 ? 'handling' : 'closed';
    const group = category.split('.')[0]!;
    const source: IncidentRow['source'] = group === 'dispute' ? (rng.chance(0.7) ? 'grid' : '12345') : group === 'petition' ? (rng.chance(0.6) ? '12345' : 'other') : rng.chance(0.9) ? '110' : 'grid';
    made++;
    batch.push({
      externalId: `demo-inc-${String(made).padStart(8, '0')}`,
      occurredAt: new Date(Math.floor(t / 60_000) * 60_000),
      categoryCode: category,
      source,
      severity: rng.chance(category === 'criminal.robbery' || category === 'fire.building' || category === 'petition.group' ? 0.08 : 0.004) ? 'major' : 'ordinary',
      status,
      summary: `${where.village.name}${CATEGORY_NAMES[category]}`,
      townshipCode: where.township.code,
      gridCode: where.grid.code,
      lonLat: frame.toLonLat(at),
    });
    if ((category === 'criminal.theft' || category === 'criminal.burglary') && rng.chance(NEAR_REPEAT_P)) {
      pending.push({ at: [at[0] + rng.normal() * 100, at[1] + rng.normal() * 100], t: t + rng.uniform(1, 10) * DAY_MS, category });
    }
    return true;
  };

  while (made < count) {
    const repeat = pending.pop();
    if (repeat) emit(repeat.at, repeat.t, repeat.category);
    else {
      const component = componentNames[componentTable.draw(rng)]!;
      switch (component) {
        case 'places': {
          const g = generators[generatorTable.draw(rng)]!;
          const category = pickCategory(g.categories);
          emit([g.centre[0] + rng.normal() * g.sigmaM, g.centre[1] + rng.normal() * g.sigmaM], drawTime(g, category), category);
          break;
        }
        case 'background': {
          const { g, urban } = grids[gridTable.draw(rng)]!;
          const category = BACKGROUND_CATEGORIES[backgroundTable.draw(rng)]![0];
          const spread = urban ? 160 : 650;
          const seedXY = frame.toXY(g.lonLat);
          emit([seedXY[0] + rng.normal() * spread, seedXY[1] + rng.normal() * spread], drawTime(null, category), category);
          break;
        }
        case 'roads': {
          const { r, len } = roads[roadTable.draw(rng)]!;
          const { at } = alongPolyline(r.points, rng.random() * len);
          const category = rng.chance(0.3) ? 'traffic.injury' : 'traffic.property';
          emit([at[0] + rng.normal() * 8, at[1] + rng.normal() * 8], drawTime(null, category), category);
          break;
        }
        case 'petitions': {
          const p = offices[Math.floor(rng.random() * offices.length)]!;
          const category = rng.chance(0.15) ? 'petition.group' : 'petition.individual';
          emit([p.at[0] + rng.normal() * 25, p.at[1] + rng.normal() * 25], drawTime(null, category), category);
          break;
        }
        case 'forest': {
          const zone = forests[Math.floor(rng.random() * forests.length)];
          if (!zone?.ring) break;
          const v = zone.ring[Math.floor(rng.random() * (zone.ring.length - 1))]!;
          const c = zone.ring.reduce<XY>((acc, q) => [acc[0] + q[0] / zone.ring!.length, acc[1] + q[1] / zone.ring!.length], [0, 0]);
          const f = rng.random();
          emit([c[0] + (v[0] - c[0]) * f, c[1] + (v[1] - c[1]) * f], drawTime(null, 'fire.forest'), 'fire.forest');
          break;
        }
      }
    }
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
