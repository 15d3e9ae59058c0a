// Generates the demo county (示例数据) and loads it, replacing whatever the domain tables
// held, in one transaction: the database ends with the whole county or with what it had.
// The output is a pure function of the seed, the scale and geodata/demo-county.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import defaults from '../../geodata/demo-county.json';
import { MAINTENANCE, withScope } from '../../server/db/scope';
import { refreshCountyViews } from '../../server/services/coverage/figures';
import { seedDemoAccounts } from '../../server/auth/demo';
import { bulkInsert, lineEwkt, pointEwkt, polygonEwkt, type BulkValue } from '../../server/db/bulk';
import { Rng } from './random';
import { NameBook } from './names';
import { Frame, type XY } from './frame';
import { makeTerrain } from './terrain';
import { makeAdmin, type DemoParams } from './admin';
import { makeRoads } from './roads';
import { makePlaces } from './places';
import { makeCameras } from './cameras';
import { makeHazards, makeHighRises } from './hazards';
import { makePatrol, trackPoints } from './patrol';
import { cleanStored } from '../../server/services/patrol/clean';
import { incidentBatches, type IncidentRow } from './incidents';

export interface SeedOptions {
  seed?: string;
  /** Multiplies the number of incidents. */
  scale?: number;
  /** Overrides the incident count outright (benchmarks). */
  incidents?: number;
  onProgress?: (step: string) => void;
}

export interface SeedSummary {
  seed: string;
  incidents: number;
  trackPoints: number;
  seconds: Record<string, number>;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SQL_DIR = path.join(HERE, 'sql');
const readSql = (name: string) => fs.readFileSync(path.join(SQL_DIR, name), 'utf8');
const ROAD_SEGMENT_VERTICES = 6; // ~1 km pieces, so coverage and risk can be ranked per segment
const INCIDENT_BATCH = 20_000;
const TRACK_BATCH = 20_000;

export const DOMAIN_TABLES = [
  'incident_status_history', 'incidents', 'patrol_fix_rejects', 'patrol_cleaning', 'patrol_track_points', 'patrol_routes', 'patrol_teams', 'high_rises', 'hazards',
  'camera_fov', 'camera_candidates', 'cameras', 'places', 'roads', 'grids', 'rectification_targets', 'admin_areas', 'published_results',
];

export const DEMO_PARAMS: DemoParams = defaults as DemoParams;

/**
 * A hash of the generator's code, SQL and parameters and of the schema: equal
 * fingerprints and equal seed/scale mean an existing demo load is identical to a new one.
 */
export function demoFingerprint(): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else hash.update(f).update(fs.readFileSync(p));
    }
  };
  walk(HERE);
  walk(path.join(HERE, '..', '..', 'geodata'));
  return hash.digest('hex').slice(0, 16);
}

/** Every part of the county except the incident stream, generated in memory. */
export function generateCounty(seed: string, params: DemoParams = DEMO_PARAMS) {
  const stream = (part: string) => new Rng(`${seed}:${part}`);
  const frame = new Frame(params.centre);
  const names = new NameBook(stream('names'));
  const terrain = makeTerrain(stream('terrain'), params.radiusKm * 1000);
  const admin = makeAdmin(params, stream('admin'), names, frame, terrain);
  const net = makeRoads(stream('roads'), names, admin, terrain);
  const places = makePlaces(stream('places'), names, admin, net, params.places);
  const end = new Date(`${params.endDate}T00:00:00+08:00`);
  const register = makeCameras(stream('cameras'), frame, admin, net, places, params.cameras, params.cameraDefectShare, end);
  const hazards = makeHazards(stream('hazards'), names, admin, terrain, places, { geological: params.geologicalHazards, fireUnits: params.fireKeyUnits, forestZones: params.forestFireZones });
  const highRises = makeHighRises(stream('high-rises'), names, admin, params.highRises);
  const patrol = makePatrol(stream('patrol'), names, admin, net, { teams: params.patrolTeams, routes: params.patrolRoutes });
  return { params, frame, terrain, admin, net, places, register, hazards, highRises, patrol, end };
}

export type County = ReturnType<typeof generateCounty>;

export function incidentColumns() {
  return [
    { name: 'external_id', type: 'text' }, { name: 'occurred_at', type: 'timestamptz' }, { name: 'category_code', type: 'text' },
    { name: 'source', type: 'text' }, { name: 'severity', type: 'text' }, { name: 'status', type: 'text' }, { name: 'summary', type: 'text' },
    { name: 'township_code', type: 'text' }, { name: 'grid_code', type: 'text' }, { name: 'geom', type: 'geometry' },
  ] as const;
}

export function incidentValues(r: IncidentRow): BulkValue[] {
  return [r.externalId, r.occurredAt, r.categoryCode, r.source, r.severity, r.status, r.summary, r.townshipCode, r.gridCode, pointEwkt(r.lonLat[0], r.lonLat[1])];
}

/** The incident rows of a county as value batches, for loading or for writing to a file. */
export function* incidentValueBatches(seed: string, county: County, count: number): Generator<BulkValue[][]> {
  const world = { admin: county.admin, frame: county.frame, net: county.net, places: county.places, hazards: county.hazards, end: county.end, years: county.params.incidentYears };
  for (const batch of incidentBatches(seed, world, count, INCIDENT_BATCH)) yield batch.map(incidentValues);
}

export async function seedDemoCounty(options: SeedOptions = {}): Promise<SeedSummary> {
  const seed = options.seed ?? '1';
  const scale = options.scale ?? 1;
  const progress = options.onProgress ?? (() => {});
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    seconds[step] = Math.round(now - t0) / 1000;
    t0 = now;
    progress(`${step}: ${seconds[step]} s`);
  };

  const county = generateCounty(seed);
  lap('generate');
  const incidentCount = options.incidents ?? Math.round(county.params.incidents * scale);

  // As the table owner (it truncates), without a statement timeout: a million-incident load runs for minutes.
  return withScope(MAINTENANCE, { attempted: 'seeding the demo county', timeoutMs: 0 }, async (c) => {
    await c.query(`TRUNCATE ${DOMAIN_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    await loadAdmin(c, county);
    lap('admin areas and grids');
    await loadNetworkAndPlaces(c, county);
    lap('roads, places and cameras');
    await loadHazards(c, county);
    lap('hazards');
    const tracks = await loadPatrol(c, county, seed);
    lap('patrol routes and tracks');
    const incidents = await bulkInsert(c, 'incidents', incidentColumns(), incidentValueBatches(seed, county, incidentCount));
    lap('incidents');
    await c.query(readSql('incident-status-history.sql'));
    lap('incident status history');
    await c.query(
      `INSERT INTO dataset_info (key, value) VALUES ('demo', $1::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
      [JSON.stringify({ label: '示例数据', name: county.params.name, seed, scale, incidents, fingerprint: demoFingerprint(), endDate: county.params.endDate, metricSrid: county.params.metricSrid, cameraDefects: county.register.defects })],
    );
    await c.query('ANALYZE');
    lap('analyze');
    await refreshCountyViews(c); // the camera views are a cache kept current by writes
    lap('camera views');
    await seedDemoAccounts(c);
    lap('demo accounts');
    return { seed, incidents, trackPoints: tracks, seconds };
  });
}

async function loadAdmin(c: pg.PoolClient, county: County): Promise<void> {
  const { admin } = county;
  const areas: BulkValue[][] = [[admin.countyCode, admin.countyName, 'county', null, admin.population, admin.townships.reduce((a, t) => a + t.households, 0), `SRID=4326;MULTIPOLYGON(((${admin.ringLonLat.map(([x, y]) => `${x} ${y}`).join(',')})))`, pointEwkt(...county.frame.toLonLat(admin.seat.centre))]];
  for (const t of admin.townships) areas.push([t.code, t.name, 'township', admin.countyCode, t.population, t.households, null, pointEwkt(...t.lonLat)]);
  for (const t of admin.townships) for (const v of t.villages) areas.push([v.code, v.name, 'village', t.code, v.population, v.households, null, pointEwkt(...v.lonLat)]);
  await bulkInsert(c, 'admin_areas', [
    { name: 'code', type: 'text' }, { name: 'name', type: 'text' }, { name: 'level', type: 'text' }, { name: 'parent_code', type: 'text' },
    { name: 'population', type: 'integer' }, { name: 'households', type: 'integer' }, { name: 'geom', type: 'geometry' }, { name: 'centre', type: 'geometry' },
  ], [areas]);
  await c.query(readSql('township-areas.sql'));
  await c.query(readSql('village-areas.sql'));
  await c.query(`CREATE TEMP TABLE demo_grid_seeds (code text, name text, village_code text, township_code text, worker_name text, worker_phone text, households integer, population integer, seed geometry) ON COMMIT DROP`);
  const seeds = admin.townships.flatMap((t) => t.villages.flatMap((v) => v.grids.map((g): BulkValue[] => [g.code, g.name, g.villageCode, g.townshipCode, g.workerName, g.workerPhone, g.households, g.population, pointEwkt(...g.lonLat)])));
  await bulkInsert(c, 'demo_grid_seeds', [
    { name: 'code', type: 'text' }, { name: 'name', type: 'text' }, { name: 'village_code', type: 'text' }, { name: 'township_code', type: 'text' },
    { name: 'worker_name', type: 'text' }, { name: 'worker_phone', type: 'text' }, { name: 'households', type: 'integer' }, { name: 'population', type: 'integer' }, { name: 'seed', type: 'geometry' },
  ], [seeds]);
  await c.query(readSql('grid-areas.sql'));
}

async function loadNetworkAndPlaces(c: pg.PoolClient, county: County): Promise<void> {
  const { frame, net, places, register } = county;
  const roadRows: BulkValue[][] = [];
  for (const road of net.roads) {
    for (let start = 0; start < road.points.length - 1; start += ROAD_SEGMENT_VERTICES - 1) {
      const piece = road.points.slice(start, start + ROAD_SEGMENT_VERTICES);
      if (piece.length < 2) continue;
      roadRows.push([`demo-road-${String(roadRows.length + 1).padStart(5, '0')}`, road.name, road.roadClass, lineEwkt(piece.map((p) => frame.toLonLat(p)))]);
    }
  }
  await bulkInsert(c, 'roads', [{ name: 'external_id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'road_class', type: 'text' }, { name: 'geom', type: 'geometry' }], [roadRows]);

  const square = (at: XY, half: number) => {
    const corners: XY[] = [[at[0] - half, at[1] - half], [at[0] + half, at[1] - half], [at[0] + half, at[1] + half], [at[0] - half, at[1] + half], [at[0] - half, at[1] - half]];
    return polygonEwkt([corners.map((p) => frame.toLonLat(p))]).replace('POLYGON(', 'MULTIPOLYGON((') + ')';
  };
  await bulkInsert(c, 'places', [
    { name: 'external_id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'place_type', type: 'text' }, { name: 'address', type: 'text' },
    { name: 'township_code', type: 'text' }, { name: 'geom', type: 'geometry' }, { name: 'entrance', type: 'geometry' }, { name: 'footprint', type: 'geometry' },
  ], [places.map((p, i) => [`demo-place-${String(i + 1).padStart(4, '0')}`, p.name, p.placeType, p.address, p.township.code, pointEwkt(...frame.toLonLat(p.at)), pointEwkt(...frame.toLonLat(p.entrance)), p.footprintHalf ? square(p.at, p.footprintHalf) : null])]);
  const ids = await c.query<{ id: number; external_id: string }>('SELECT id, external_id FROM places');
  const placeId = new Map(ids.rows.map((r) => [r.external_id, r.id]));

  await bulkInsert(c, 'cameras', [
    { name: 'external_id', type: 'text' }, { name: 'gb_id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'geom', type: 'geometry' },
    { name: 'mount_height_m', type: 'real' }, { name: 'azimuth_deg', type: 'real' }, { name: 'fov_deg', type: 'real' }, { name: 'range_m', type: 'real' },
    { name: 'camera_type', type: 'text' }, { name: 'smart', type: 'boolean' }, { name: 'networked', type: 'boolean' }, { name: 'status', type: 'text' },
    { name: 'last_seen_at', type: 'timestamptz' }, { name: 'owner', type: 'text' }, { name: 'township_code', type: 'text' }, { name: 'place_id', type: 'integer' },
    { name: 'installed_on', type: 'date' },
  ], [register.cameras.map((m) => [
    m.externalId, m.gbId, m.name, pointEwkt(...m.lonLat), m.mountHeightM, m.azimuthDeg, m.fovDeg, m.rangeM, m.cameraType, m.smart, m.networked, m.status,
    m.lastSeenAt, m.owner, m.townshipCode, m.placeIndex === null ? null : placeId.get(`demo-place-${String(m.placeIndex + 1).padStart(4, '0')}`) ?? null, m.installedOn,
  ])]);
}

async function loadHazards(c: pg.PoolClient, county: County): Promise<void> {
  const { frame, hazards, highRises } = county;
  await bulkInsert(c, 'hazards', [
    { name: 'external_id', type: 'text' }, { name: 'hazard_type', type: 'text' }, { name: 'name', type: 'text' }, { name: 'risk_level', type: 'integer' },
    { name: 'threatened_households', type: 'integer' }, { name: 'threatened_people', type: 'integer' }, { name: 'monitor_name', type: 'text' },
    { name: 'monitor_phone', type: 'text' }, { name: 'on_alert', type: 'boolean' }, { name: 'township_code', type: 'text' }, { name: 'geom', type: 'geometry' },
  ], [hazards.map((h, i) => [
    `demo-hazard-${String(i + 1).padStart(4, '0')}`, h.hazardType, h.name, h.riskLevel, h.threatenedHouseholds, h.threatenedPeople, h.monitorName, h.monitorPhone, h.onAlert, h.township.code,
    h.ring ? polygonEwkt([h.ring.map((p) => frame.toLonLat(p))]) : pointEwkt(...frame.toLonLat(h.at!)),
  ])]);
  await c.query(readSql('clip-hazard-zones.sql'));
  await bulkInsert(c, 'high_rises', [
    { name: 'external_id', type: 'text' }, { name: 'name', type: 'text' }, { name: 'height_m', type: 'real' }, { name: 'floors', type: 'integer' },
    { name: 'fire_facility_status', type: 'text' }, { name: 'township_code', type: 'text' }, { name: 'geom', type: 'geometry' }, { name: 'footprint', type: 'geometry' },
  ], [highRises.map((h, i) => {
    const ring: XY[] = [[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]].map(([dx, dy]) => [h.at[0] + dx! * h.halfSize, h.at[1] + dy! * h.halfSize * 0.6]);
    return [`demo-highrise-${String(i + 1).padStart(3, '0')}`, h.name, h.heightM, h.floors, h.fireFacilityStatus, h.township.code, pointEwkt(...frame.toLonLat(h.at)), `SRID=4326;MULTIPOLYGON(((${ring.map((p) => frame.toLonLat(p).join(' ')).join(',')})))`];
  })]);
}

async function loadPatrol(c: pg.PoolClient, county: County, seed: string): Promise<number> {
  const { frame, patrol, end, params } = county;
  // a team's base (its station) is the centre of its township: route suggestions loop from there
  await bulkInsert(c, 'patrol_teams', [{ name: 'name', type: 'text' }, { name: 'township_code', type: 'text' }, { name: 'leader_name', type: 'text' }, { name: 'members', type: 'integer' }, { name: 'base', type: 'geometry' }],
    [patrol.teams.map((t) => [t.name, t.township.code, t.leaderName, t.members, pointEwkt(...frame.toLonLat(t.township.centre))])]);
  await bulkInsert(c, 'patrol_routes', [{ name: 'external_id', type: 'text' }, { name: 'team_id', type: 'integer' }, { name: 'name', type: 'text' }, { name: 'schedule', type: 'jsonb' }, { name: 'geom', type: 'geometry' }],
    [patrol.routes.map((r) => [r.externalId, r.teamIndex + 1, r.name, JSON.stringify(r.schedule), lineEwkt(r.points.map((p) => frame.toLonLat(p)))])]);
  function* batches(): Generator<BulkValue[][]> {
    let batch: BulkValue[][] = [];
    for (const p of trackPoints(new Rng(`${seed}:tracks`), frame, patrol.routes, end, params.trackDays)) {
      batch.push([p.teamIndex + 1, p.routeIndex + 1, p.deviceId, p.recordedAt, p.speedKmh, pointEwkt(...p.lonLat)]);
      if (batch.length >= TRACK_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }
  const n = await bulkInsert(c, 'patrol_track_points', [
    { name: 'team_id', type: 'integer' }, { name: 'route_id', type: 'integer' }, { name: 'device_id', type: 'text' }, { name: 'recorded_at', type: 'timestamptz' },
    { name: 'speed_kmh', type: 'real' }, { name: 'geom', type: 'geometry' },
  ], batches());
  // the same cleaning as an import, so every track has its report (and its fix interval)
  await cleanStored(c, { source: 'demo' });
  return n;
}
