// Hazards that follow the terrain: geological hazard points on steep slopes near where
// people live, fire key units at the places that hold crowds or chemicals, forest-fire
// zones on high wooded ground, and high-rises in the county seat.
import type { Rng } from './random';
import type { NameBook } from './names';
import type { XY } from './frame';
import type { AdminSkeleton, Township } from './admin';
import type { Place } from './places';
import type { Terrain } from './terrain';

export interface HazardPoint {
  hazardType: string;
  name: string;
  township: Township;
  riskLevel: 1 | 2 | 3 | 4;
  threatenedHouseholds: number;
  threatenedPeople: number;
  monitorName: string | null;
  monitorPhone: string | null;
  onAlert: boolean;
  /** A point, or a polygon ring (closed) for forest-fire zones. */
  at: XY | null;
  ring: XY[] | null;
}

export interface HighRise {
  name: string;
  township: Township;
  at: XY;
  heightM: number;
  floors: number;
  fireFacilityStatus: 'normal' | 'defective' | 'unknown';
  halfSize: number;
}

const GEO_TYPES: [string, string, number][] = [
  ['landslide', '滑坡', 45], ['rockfall', '崩塌', 25], ['debris_flow', '泥石流', 10], ['ground_collapse', '地面塌陷', 5], ['flash_flood', '山洪', 10], ['unstable_rock', '危岩', 5],
];
const STEEP_SLOPE_DEG = 18;
const FIRE_UNIT_TYPES = new Set(['hospital', 'mall', 'hotel', 'entertainment', 'hazchem', 'school', 'station', 'market', 'internet_cafe', 'petrol_station']);
const ESTATES = ['花园', '名苑', '华府', '家园', '公馆', '雅居', '新城', '国际'];

export function makeHazards(rng: Rng, names: NameBook, admin: AdminSkeleton, terrain: Terrain, places: Place[], params: { geological: number; fireUnits: number; forestZones: number }): HazardPoint[] {
  const hazards: HazardPoint[] = [];
  const villages = admin.townships.flatMap((t) => t.villages.filter((v) => !v.isCommunity));
  const weights = GEO_TYPES.map(([, , w]) => w);
  // Geological hazards: steep ground within a few km of a village (people are threatened).
  for (let guard = 0; hazards.length < params.geological && guard < 400_000; guard++) {
    const v = rng.pick(villages);
    const at: XY = [v.centre[0] + rng.normal() * 1500, v.centre[1] + rng.normal() * 1500];
    const loc = admin.locate(at);
    if (!loc) continue;
    const slope = terrain.slopeDeg(at);
    if (slope < STEEP_SLOPE_DEG || !rng.chance(Math.min(1, (slope - STEEP_SLOPE_DEG) / 15 + 0.2))) continue;
    const [code, label] = GEO_TYPES[rng.weighted(weights)]!;
    const households = rng.int(1, slope > 30 ? 60 : 25);
    const riskLevel = households > 40 ? 1 : households > 20 ? 2 : households > 8 ? 3 : 4;
    hazards.push({
      hazardType: code, name: `${loc.village.name}${names.placeStem().slice(1)}${label}隐患点`, township: loc.township, riskLevel,
      threatenedHouseholds: households, threatenedPeople: Math.round(households * rng.uniform(2.5, 3.8)),
      monitorName: rng.chance(0.97) ? names.person() : null, monitorPhone: names.phone(), onAlert: rng.chance(0.06), at, ring: null,
    });
  }
  // Fire key units (消防重点单位) at crowded and hazardous places.
  const candidates = rng.shuffle(places.filter((p) => FIRE_UNIT_TYPES.has(p.placeType)));
  for (const p of candidates.slice(0, params.fireUnits)) {
    hazards.push({ hazardType: 'fire_key_unit', name: p.name, township: p.township, riskLevel: p.placeType === 'hazchem' || p.placeType === 'petrol_station' ? 1 : rng.chance(0.3) ? 2 : 3, threatenedHouseholds: 0, threatenedPeople: rng.int(50, 2000), monitorName: names.person(), monitorPhone: names.phone(), onAlert: rng.chance(0.03), at: p.at, ring: null });
  }
  // Forest-fire zones: irregular blobs on high ground.
  let zones = 0;
  for (let guard = 0; zones < params.forestZones && guard < 50_000; guard++) {
    const c: XY = [rng.uniform(-1, 1) * 26_000, rng.uniform(-1, 1) * 26_000];
    const loc = admin.locate(c);
    if (!loc || terrain.elevation(c) < 700) continue;
    const r0 = rng.uniform(1200, 3500);
    const ring: XY[] = [];
    const phase = rng.uniform(0, 6);
    for (let i = 0; i < 48; i++) {
      const a = (i / 48) * 2 * Math.PI;
      const r = r0 * (1 + 0.25 * Math.sin(3 * a + phase) + 0.1 * Math.sin(7 * a));
      const p: XY = [c[0] + Math.sin(a) * r, c[1] + Math.cos(a) * r];
      ring.push(p); // clipped to the county when loaded
    }
    ring.push(ring[0]!);
    zones++;
    hazards.push({ hazardType: 'forest_fire_zone', name: `${loc.township.name}${names.placeStem()}林区森林火险区`, township: loc.township, riskLevel: rng.chance(0.3) ? 1 : 2, threatenedHouseholds: rng.int(0, 40), threatenedPeople: rng.int(0, 120), monitorName: names.person(), monitorPhone: names.phone(), onAlert: rng.chance(0.1), at: null, ring });
  }
  return hazards;
}

export function makeHighRises(rng: Rng, names: NameBook, admin: AdminSkeleton, count: number): HighRise[] {
  const out: HighRise[] = [];
  const seat = admin.seat;
  for (let guard = 0; out.length < count && guard < 10_000; guard++) {
    const at: XY = [seat.centre[0] + rng.normal() * 900, seat.centre[1] + rng.normal() * 700];
    if (admin.locate(at)?.township !== seat || out.some((h) => Math.hypot(h.at[0] - at[0], h.at[1] - at[1]) < 90)) continue;
    const floors = rng.int(10, 33);
    const draw = rng.random();
    out.push({ name: `${names.placeStem()}${rng.pick(ESTATES)}${rng.int(1, 12)}号楼`, township: seat, at, heightM: Math.round(floors * 3 * 10 + 15) / 10, floors, fireFacilityStatus: draw < 0.8 ? 'normal' : draw < 0.95 ? 'defective' : 'unknown', halfSize: rng.uniform(12, 22) });
  }
  return out;
}
