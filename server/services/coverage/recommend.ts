// 补点: where the next N cameras should go. Demand is what effective cameras do not yet
// cover (road sample points, key-place entrances, hazard points), weighted by risk (road
// class, incidents nearby, Gi* hotspot cells, place and hazard weights); candidate sites
// are road intersections, key-place entrances and planner-drawn sites; a camera of the
// chosen type at a site is one option (a fixed camera: one option per direction). Greedy
// maximal coverage picks the options (greedy.ts), each with its marginal gain, and the
// result is compared with a baseline: the same number of cameras at the intersections
// with the most incidents. The rules are geodata/coverage.json `recommend`.
import type { Geometry } from 'geojson';
import { many, sql } from '../../db/index';
import { prepare, profiled } from './figures';
import { scratch, type Tx } from '../../db/scope';
import { coveredWeight, lazyGreedy, naiveGreedy, type Instance, type Pick } from './greedy';
import { RULES } from './rules';
import { CoverageInputError } from '../../errors';

export type RecommendType = 'fixed' | 'dome' | 'ptz';

export interface RecommendOptions {
  budget: number;
  type?: RecommendType;
  within?: string;
  /** Keep the prepared tables (rec_site, rec_demand, …) in the caller's transaction afterwards (the benchmark's naive reference reuses them). */
  keepTables?: boolean;
  /** 'lazy' (default) or 'naive' (recompute every gain at every step; for the benchmark). */
  algorithm?: 'lazy' | 'naive';
  /** Return the instance (options, weights) too, for tests. */
  withInstance?: boolean;
}

export interface Recommendation {
  rank: number;
  siteId: number;
  kind: 'intersection' | 'entrance' | 'drawn';
  label: string | null;
  lon: number;
  lat: number;
  azimuthDeg: number | null;
  gain: number;
  cumulative: number;
  cumulativeShare: number | null;
  newRoadM: number;
  newPlaces: number;
  newHazards: number;
  incidentsNearby: number;
  view: Geometry;
}

export interface RecommendResult {
  method: { note: string; type: RecommendType; fovDeg: number; rangeM: number; effectiveRangeM: number; directions: number; roadSampleM: number; algorithm: string; hotspotWindow: { from: string; to: string } | null };
  candidates: { sites: number; intersections: number; entrances: number; drawn: number; options: number };
  demand: { units: number; roadSamples: number; places: number; hazards: number; totalWeight: number };
  picks: Recommendation[];
  total: { weight: number; share: number | null };
  baseline: { rule: string; picks: Recommendation[]; weight: number; share: number | null };
  /** Greedy weight ÷ baseline weight. */
  ratioToBaseline: number | null;
  notes: string[];
  timings: { prepareMs: number; pairsMs: number; greedyMs: number };
  instance?: Instance & { optionSite: number[]; optionAzimuth: (number | null)[] };
}

/** The placement recommendation, in the caller's transaction (a read: rolled back). */
export async function recommend(tx: Tx, o: RecommendOptions): Promise<RecommendResult> {
  const type = o.type ?? 'dome';
  if (!['fixed', 'dome', 'ptz'].includes(type)) throw new CoverageInputError(`The camera type must be fixed, dome or ptz; got "${type}".`, `摄像机类型只能是 枪机、球机 或 云台(收到“${type}”)。`);
  if (!Number.isInteger(o.budget) || o.budget < 1) throw new CoverageInputError(`The budget must be a whole number of cameras, at least 1; got ${o.budget}.`, `补点数量须为不小于 1 的整数(当前为 ${o.budget})。`);
  return o.keepTables ? run(tx, o, type) : scratch(tx, () => run(tx, o, type));
}

async function run(c0: Tx, o: RecommendOptions, type: RecommendType): Promise<RecommendResult> {
  const c = process.env.COVERAGE_PROFILE ? profiled(c0) : c0;
  const r = RULES.recommend;
  const camera = r.cameraTypes[type];
  const effRange = camera.rangeM * RULES.view.rangeFactor[type];
  const circle = type !== 'fixed' || camera.fovDeg >= 360;
  const directions = circle ? 1 : camera.directions ?? 8;

  const t0 = performance.now();
  const { area, srid, win } = await prepare(c, o.within, true);
  await c.query(sql('coverage/recommend-tables.sql'));
  await c.query(sql('coverage/recommend-road-samples.sql'), [r.roadSampleM]);
  await c.query(sql('coverage/recommend-places-hazards.sql'), [area, srid]);
  await c.query('CREATE INDEX ON rec_demand USING gist (g)');
  await c.query(sql('coverage/recommend-drop-covered.sql'));
  await c.query('ANALYZE rec_demand');
  await c.query('ANALYZE cov_incident');
  await c.query(sql('coverage/recommend-weights.sql'), [r.roadSampleWeight, JSON.stringify(r.roadClassWeight), r.placeWeight, JSON.stringify(r.hazardWeightPerLevel)]);
  await c.query(sql('coverage/recommend-demand-incidents.sql'), [r.incidentRadiusM]);
  await c.query(sql('coverage/recommend-demand-hot.sql'));
  await c.query(sql('coverage/recommend-weights-road.sql'), [r.incidentWeight, JSON.stringify({ 'hot-99': r.hotspotFactor.hot99, 'hot-95': r.hotspotFactor.hot95, 'hot-90': r.hotspotFactor.hot90 })]);
  await c.query(sql('coverage/recommend-sites.sql'), [area, srid, r.minSiteSpacingM]);
  await c.query('CREATE INDEX ON rec_site USING gist (g)');
  await c.query(sql('coverage/recommend-site-facts.sql'), [srid]);
  await c.query('ANALYZE rec_demand');
  await c.query('ANALYZE rec_site');

  const sites = await many<{ id: number; kind: Recommendation['kind']; label: string | null; lon: number; lat: number; incidents: number }>(
    'SELECT id, kind, label, ST_X(geom) AS lon, ST_Y(geom) AS lat, incidents FROM rec_site ORDER BY id', [], 'listing the candidate sites', c,
  );
  if (o.budget > sites.length) throw new CoverageInputError(`The budget of ${o.budget} cameras is more than the ${sites.length} candidate sites in the study area: lower it, or draw more candidate sites.`, `补点数量 ${o.budget} 超过研究区内可选的候选点位数 ${sites.length}:请减少补点数量,或在地图上增加候选点位。`);
  const demand = await many<{ id: number; kind: string; weight: number; road: boolean }>('SELECT id, kind, weight, kind = \'road\' AS road FROM rec_demand ORDER BY id', [], 'reading the demand', c);
  const prepareMs = performance.now() - t0;

  // options and their coverage sets, from the (site, demand, azimuth) pairs
  const t1 = performance.now();
  const pairs = await c.query({ text: sql('coverage/recommend-pairs.sql'), values: [effRange], rowMode: 'array' });
  const demandIndex = new Map(demand.map((d, i) => [d.id, i]));
  const siteIndex = new Map(sites.map((s, i) => [s.id, i]));
  const optionSite: number[] = [];
  const optionAzimuth: (number | null)[] = [];
  const members: number[][] = [];
  for (let s = 0; s < sites.length; s++) {
    for (let k = 0; k < directions; k++) {
      optionSite.push(s);
      optionAzimuth.push(circle ? null : (360 * k) / directions);
      members.push([]);
    }
  }
  const half = camera.fovDeg / 2;
  for (const [site, dem, az] of pairs.rows as [number, number, number | null][]) {
    const s = siteIndex.get(site)!;
    const d = demandIndex.get(dem)!;
    for (let k = 0; k < directions; k++) {
      if (!circle && az !== null) {
        const diff = Math.abs(((az - (360 * k) / directions + 540) % 360) - 180);
        if (diff > half) continue;
      }
      members[s * directions + k]!.push(d);
    }
  }
  const inst: Instance = { weights: Float64Array.from(demand, (d) => d.weight), sets: members.map((m) => Int32Array.from(m)) };
  const pairsMs = performance.now() - t1;

  const t2 = performance.now();
  const picked = (o.algorithm === 'naive' ? naiveGreedy : lazyGreedy)(inst, o.budget);
  const greedyMs = performance.now() - t2;

  // baseline: the intersections with the most incidents within 100 m, each camera facing
  // the direction that covers most there
  const busiest = sites.map((s, i) => ({ ...s, i })).filter((s) => s.kind === 'intersection').sort((a, b) => b.incidents - a.incidents || a.id - b.id).slice(0, o.budget);
  const baselineOptions = busiest.map((s) => {
    let best = s.i * directions;
    for (let k = 1; k < directions; k++) if (coveredWeight(inst, [s.i * directions + k]) > coveredWeight(inst, [best])) best = s.i * directions + k;
    return best;
  });
  const baselinePicks: Pick[] = [];
  {
    const sofar: number[] = [];
    for (const opt of baselineOptions) {
      const before = coveredWeight(inst, sofar);
      sofar.push(opt);
      baselinePicks.push({ option: opt, gain: coveredWeight(inst, sofar) - before });
    }
  }

  const totalWeight = inst.weights.reduce((a, w) => a + w, 0);
  const describe = async (list: Pick[]): Promise<Recommendation[]> => {
    const covered = new Uint8Array(demand.length);
    let cumulative = 0;
    const out: Recommendation[] = [];
    for (const [i, p] of list.entries()) {
      const site = sites[optionSite[p.option]!]!;
      let road = 0, placesN = 0, hazardsN = 0;
      for (const d of inst.sets[p.option]!) {
        if (covered[d]) continue;
        covered[d] = 1;
        const k = demand[d]!.kind;
        if (k === 'road') road += r.roadSampleM;
        else if (k === 'place') placesN++;
        else hazardsN++;
      }
      cumulative += p.gain;
      out.push({
        rank: i + 1, siteId: site.id, kind: site.kind, label: site.label, lon: site.lon, lat: site.lat, azimuthDeg: optionAzimuth[p.option]!,
        gain: p.gain, cumulative, cumulativeShare: totalWeight > 0 ? cumulative / totalWeight : null,
        newRoadM: road, newPlaces: placesN, newHazards: hazardsN, incidentsNearby: site.incidents,
        view: null as unknown as Geometry,
      });
    }
    if (out.length) {
      const views = await many<{ view: Geometry }>(
        `SELECT ST_AsGeoJSON(fov_polygon(ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326), coalesce(x.az, 0), $3::float8, $4::float8, $5::float8), 7)::json AS view
         FROM unnest($1::float8[], $2::float8[], $6::float8[]) WITH ORDINALITY AS x(lon, lat, az, n) ORDER BY n`,
        [out.map((x) => x.lon), out.map((x) => x.lat), circle ? 360 : camera.fovDeg, effRange, RULES.view.arcStepDeg, out.map((x) => x.azimuthDeg)],
        'drawing the recommended views', c,
      );
      views.forEach((v, i) => (out[i]!.view = v.view));
    }
    return out;
  };
  const picks = await describe(picked);
  const baseline = await describe(baselinePicks);
  const weight = picks.reduce((a, p) => a + p.gain, 0);
  const baseWeight = baseline.reduce((a, p) => a + p.gain, 0);
  const notes: string[] = [];
  if (picks.length < o.budget) notes.push(`Only ${picks.length} of the ${o.budget} cameras add coverage: every other candidate covers nothing new.`);
  if (busiest.length < o.budget) notes.push(`The baseline has only ${busiest.length} intersections to place at.`);
  const count = (k: string) => sites.filter((s) => s.kind === k).length;
  const dcount = (k: string) => demand.filter((d) => d.kind === k).length;
  return {
    method: {
      note: r.note, type, fovDeg: circle ? 360 : camera.fovDeg, rangeM: camera.rangeM, effectiveRangeM: effRange, directions, roadSampleM: r.roadSampleM,
      algorithm: o.algorithm === 'naive' ? 'greedy, every gain recomputed at every step' : 'lazy greedy (same picks as plain greedy)',
      hotspotWindow: win ? { from: win.from.toISOString(), to: win.to.toISOString() } : null,
    },
    candidates: { sites: sites.length, intersections: count('intersection'), entrances: count('entrance'), drawn: count('drawn'), options: inst.sets.length },
    demand: { units: demand.length, roadSamples: dcount('road'), places: dcount('place'), hazards: dcount('hazard'), totalWeight },
    picks,
    total: { weight, share: totalWeight > 0 ? weight / totalWeight : null },
    baseline: { rule: 'the intersections with the most incidents within 100 m in the hotspot window, each camera facing its best direction', picks: baseline, weight: baseWeight, share: totalWeight > 0 ? baseWeight / totalWeight : null },
    ratioToBaseline: baseWeight > 0 ? weight / baseWeight : null,
    notes,
    timings: { prepareMs, pairsMs, greedyMs },
    ...(o.withInstance ? { instance: { ...inst, optionSite: optionSite.map((s) => sites[s]!.id), optionAzimuth } } : {}),
  };
}
