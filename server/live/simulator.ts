// The living demo: a simulator that keeps the demo county's data going from its last day
// to now and onwards, so the wall has a "today" to show.
//
// Everything it writes is a function of the demo seed and the clock: time is cut into
// 10-second buckets, each with its own random stream (`<seed>:sim:<bucket>`), so a bucket
// simulated twice (two processes, a restart) gives the same rows, and the incident writes
// skip what is already there. Its clock (`dataset_info` key 'simulator') says up to where
// it has written; it is read FOR UPDATE, so two processes never write the same span.
//
// - Incidents: the county's own hotspot model, resampled. Each bucket draws a Poisson
//   number of incidents at the county's recent daily rate shaped by its hour-of-day profile
//   (both read from the seeded history); each new incident copies the category, source,
//   severity and place of a random historical incident of the same hour of day, moved by
//   ~60 m of Gaussian jitter. Hotspots stay where the history has them; the daily rhythm
//   is the county's.
// - Handling steps 受理 → 流转 → 处置 → 办结, some 督办: server/sql/live/advance-incidents.sql.
// - Cameras go offline (some faulty) and come back; hazard alerts (蓝/黄/橙/红) are raised
//   on geological hazards and lifted 2–12 hours later; patrol teams on shift move along
//   their routes with one fix a minute.
import { Rng } from '../../scripts/demo-county/random';
import { many, maybeOne } from '../db/index';
import { withScope, type Tx } from '../db/scope';
import { systemActor } from '../context';
import { readEnv } from '../env';
import { logger } from '../log';
import { addFixes, addIncidents, advanceIncidents, setCameraStatuses, setHazardAlerts, ALERT_LEVELS, type AlertChange, type CameraChange, type Fix, type NewIncident } from './changes';
import { liveHub } from './outbox';
import { CHINA_OFFSET_MS, chinaHour } from '../../lib/china-time';

export const BUCKET_MS = 10_000;
const MINUTE_BUCKETS = 6;
const HOUR_BUCKETS = 360;
/** One transaction writes at most this much simulated time (a back-fill is many). */
const CHUNK_MS = 6 * 3_600_000;
const JITTER_M = 60;
const MEAN_REPAIR_MIN = 480;
const M_PER_DEG_LAT = 111_320;

export const SIMULATOR_ACTOR = systemActor('simulator', ['admin', 'analyst']);

interface Template { hour: number; category: string; source: NewIncident['source']; severity: NewIncident['severity']; summary: string | null; lon: number; lat: number; township: string | null; grid: string | null }
interface Route { id: number; teamId: number; coords: [number, number][]; cum: number[]; length: number; mps: number; shifts: { start: number; end: number; days: number[] }[] }

export interface Model {
  seed: string;
  dailyRate: number;
  /** hour-of-day weights (China time), mean 1 */
  hourWeight: number[];
  byHour: Template[][];
  all: Template[];
  cameras: { id: number; status: 'online' | 'offline' | 'faulty'; simDown: boolean }[];
  hazards: number[];
  routes: Route[];
  /** where the demo's history ends */
  historyEnd: Date;
}

export interface StepResult { from: Date; to: Date; incidents: number; steps: number; cameras: number; alerts: number; fixes: number }

const chinaWeekday = (ms: number) => ((new Date(ms + CHINA_OFFSET_MS).getUTCDay() + 6) % 7) + 1;

function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  const l = Math.exp(-lambda);
  let k = 0;
  let p = rng.random();
  while (p > l && k < 1000) {
    k++;
    p *= rng.random();
  }
  return k;
}

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

function route(id: number, teamId: number, coords: [number, number][], schedule: { start: string; end: string; days: number[] }[]): Route {
  const cum = [0];
  for (let i = 1; i < coords.length; i++) {
    const [x0, y0] = coords[i - 1]!;
    const [x1, y1] = coords[i]!;
    const dx = (x1 - x0) * M_PER_DEG_LAT * Math.cos(((y0 + y1) / 2) * (Math.PI / 180));
    const dy = (y1 - y0) * M_PER_DEG_LAT;
    cum.push(cum[i - 1]! + Math.hypot(dx, dy));
  }
  const length = cum[cum.length - 1]!;
  return { id, teamId, coords, cum, length, mps: (length > 8_000 ? 18 : 4.5) / 3.6, shifts: schedule.map((s) => ({ start: minutes(s.start), end: minutes(s.end), days: s.days })) };
}

function along(r: Route, d: number): [number, number] {
  let i = 1;
  while (i < r.cum.length - 1 && r.cum[i]! < d) i++;
  const seg = r.cum[i]! - r.cum[i - 1]! || 1;
  const f = Math.min(1, Math.max(0, (d - r.cum[i - 1]!) / seg));
  const [x0, y0] = r.coords[i - 1]!;
  const [x1, y1] = r.coords[i]!;
  return [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f];
}

/** The instant the shift running at `ms` started, or null when the route is off shift. */
function shiftStart(r: Route, ms: number): number | null {
  const local = ms + CHINA_OFFSET_MS;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  const minute = Math.floor((local - dayStart) / 60_000);
  for (const s of r.shifts) {
    const overnight = s.end <= s.start;
    if (!overnight && minute >= s.start && minute < s.end && s.days.includes(chinaWeekday(ms))) return dayStart + s.start * 60_000 - CHINA_OFFSET_MS;
    if (overnight) {
      if (minute >= s.start && s.days.includes(chinaWeekday(ms))) return dayStart + s.start * 60_000 - CHINA_OFFSET_MS;
      if (minute < s.end && s.days.includes(chinaWeekday(ms - 86_400_000))) return dayStart - 86_400_000 + s.start * 60_000 - CHINA_OFFSET_MS;
    }
  }
  return null;
}

/** Reads what the simulator draws from: the seed, the history's rate and profile, cameras, hazards, routes. */
export async function loadModel(tx: Tx): Promise<Model | null> {
  const demo = await maybeOne<{ value: { seed?: string } }>(`SELECT value FROM dataset_info WHERE key = 'demo'`, [], 'reading the data set', tx);
  const seed = demo?.value.seed ?? 'production';
  // the simulator repairs only what it broke: the register's own long-term faults stay
  const cameras = await many<Model['cameras'][number]>(
    `SELECT c.id, c.status,
            c.status <> 'online' AND (SELECT h.source FROM camera_status_history h WHERE h.camera_id = c.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) = 'simulator' AS "simDown"
     FROM cameras c ORDER BY c.id`, [], 'reading cameras', tx,
  );
  // the history, hazards and routes change only with an import: read again every 10 minutes
  if (history && history.seed === seed && Date.now() - history.readAt < 600_000) return { ...history.model, cameras };
  const end = await maybeOne<{ end: Date | null }>(
    `SELECT max(occurred_at) AS end FROM incidents WHERE coalesce(external_id, '') NOT LIKE 'sim-%'`, [], 'reading the end of the history', tx,
  );
  if (!end?.end) return null;
  const rows = await many<{ occurred_at: Date; category_code: string; source: Template['source']; severity: Template['severity']; summary: string | null; lon: number; lat: number; township_code: string | null; grid_code: string | null }>(
    `SELECT occurred_at, category_code, source, severity, summary, ST_X(geom) AS lon, ST_Y(geom) AS lat, township_code, grid_code
     FROM incidents
     WHERE coalesce(external_id, '') NOT LIKE 'sim-%' AND occurred_at > $1::timestamptz - interval '180 days'
     ORDER BY occurred_at, id LIMIT 50000`,
    [end.end], 'reading the incident history', tx,
  );
  const all: Template[] = rows.map((r) => ({ hour: chinaHour(r.occurred_at.getTime()), category: r.category_code, source: r.source, severity: r.severity, summary: r.summary, lon: r.lon, lat: r.lat, township: r.township_code?.trim() ?? null, grid: r.grid_code }));
  const byHour: Template[][] = Array.from({ length: 24 }, () => []);
  for (const t of all) byHour[t.hour]!.push(t);
  const hourWeight = byHour.map((h) => (all.length ? (h.length * 24) / all.length : 1));
  const last28 = rows.filter((r) => r.occurred_at.getTime() > end.end!.getTime() - 28 * 86_400_000).length;
  const hazards = (await many<{ id: number }>(
    `SELECT id FROM hazards WHERE hazard_type IN ('landslide', 'rockfall', 'debris_flow', 'ground_collapse', 'flash_flood', 'unstable_rock') ORDER BY id`, [], 'reading hazards', tx,
  )).map((h) => h.id);
  const routes = (await many<{ id: number; team_id: number | null; schedule: { start: string; end: string; days: number[] }[]; geom: string }>(
    `SELECT id, team_id, schedule, ST_AsGeoJSON(geom) AS geom FROM patrol_routes WHERE team_id IS NOT NULL ORDER BY id`, [], 'reading patrol routes', tx,
  )).map((r) => route(r.id, r.team_id!, (JSON.parse(r.geom) as { coordinates: [number, number][] }).coordinates, r.schedule));
  const model = { seed, dailyRate: last28 / 28, hourWeight, byHour, all, cameras, hazards, routes, historyEnd: end.end };
  history = { seed, readAt: Date.now(), model };
  return model;
}

let history: { seed: string; readAt: number; model: Model } | null = null;
/** Forgets the history read (tests that change it). */
export function forgetModel(): void {
  history = null;
}

/** What the simulator writes for the buckets [b0, b1), given the state it starts from (cameras and alerts are updated in place). */
export function simulate(model: Model, b0: number, b1: number, rate: number, alerts: Map<number, { minute: number }>) {
  const incidents: NewIncident[] = [];
  const cameras: CameraChange[] = [];
  const hazards: AlertChange[] = [];
  const fixes: Fix[] = [];
  const down = new Set(model.cameras.filter((c) => c.simDown).map((c) => c.id));
  const status = new Map(model.cameras.map((c) => [c.id, c.status]));
  for (let b = b0; b < b1; b++) {
    const t = b * BUCKET_MS;
    const rng = new Rng(`${model.seed}:sim:${b}`);
    const hour = chinaHour(t);
    const n = poisson(rng, (model.dailyRate * rate * (model.hourWeight[hour] ?? 1) * BUCKET_MS) / 86_400_000);
    for (let k = 0; k < n; k++) {
      const pool = model.byHour[hour]!.length ? model.byHour[hour]! : model.all;
      if (!pool.length) break;
      const tpl = rng.pick(pool);
      const lat = tpl.lat + (rng.normal() * JITTER_M) / M_PER_DEG_LAT;
      const lon = tpl.lon + (rng.normal() * JITTER_M) / (M_PER_DEG_LAT * Math.cos((tpl.lat * Math.PI) / 180));
      incidents.push({
        externalId: `sim-${b}-${k}`, occurredAt: new Date(t + Math.floor(rng.random() * BUCKET_MS)), categoryCode: tpl.category, source: tpl.source,
        severity: tpl.severity, summary: tpl.summary, lon, lat, townshipCode: tpl.township, gridCode: tpl.grid,
      });
    }
    if (b % MINUTE_BUCKETS !== 0) continue;
    const minute = b / MINUTE_BUCKETS;
    // cameras: about 30 failures a day at rate 1, each repaired after ~8 hours on average
    if (model.cameras.length && rng.chance(Math.min(1, 0.02 * rate))) {
      const c = rng.pick(model.cameras);
      if (status.get(c.id) === 'online') {
        const s = rng.chance(0.2) ? 'faulty' : 'offline';
        status.set(c.id, s);
        down.add(c.id);
        cameras.push({ cameraId: c.id, status: s, at: new Date(t) });
      }
    }
    for (const id of [...down].sort((x, y) => x - y)) {
      if (!rng.chance(1 / MEAN_REPAIR_MIN)) continue;
      status.set(id, 'online');
      down.delete(id);
      cameras.push({ cameraId: id, status: 'online', at: new Date(t) });
    }
    // patrols: one fix a minute for every route on shift
    for (const r of model.routes) {
      const s = shiftStart(r, t);
      if (s === null || r.length === 0) continue;
      const moving = (Math.floor((t - s) / 60_000) % 30) < 25; // a five-minute stop every half hour
      const [lon, lat] = along(r, (((t - s) / 1000) * r.mps) % r.length);
      fixes.push({ teamId: r.teamId, routeId: r.id, deviceId: `PT-${String(r.teamId).padStart(2, '0')}-${String(r.id).padStart(2, '0')}`, at: new Date(t), speedKmh: moving ? Math.round(r.mps * 36) / 10 : 0, lon, lat });
    }
    if (b % HOUR_BUCKETS !== 0) continue;
    // hazard alerts: lifted after 2–12 hours; about 3.6 a day raised at rate 1
    for (const [hazardId, a] of alerts) {
      if (minute - a.minute >= 60 * (2 + (a.minute % 11))) {
        hazards.push({ hazardId, level: null, at: new Date(t) });
        alerts.delete(hazardId);
      }
    }
    if (model.hazards.length && rng.chance(Math.min(1, 0.15 * rate))) {
      const free = model.hazards.filter((h) => !alerts.has(h));
      if (free.length) {
        const hazardId = rng.pick(free);
        const level = ALERT_LEVELS[rng.weighted([0.4, 0.3, 0.2, 0.1])]!;
        alerts.set(hazardId, { minute });
        hazards.push({ hazardId, level, at: new Date(t), externalId: `sim-${minute}`, note: '模拟预警(示例数据)' });
      }
    }
  }
  return { incidents, cameras, hazards, fixes };
}

interface SimState { until: string }

/**
 * Simulates from the stored clock up to `toMs` (whole buckets), one transaction per
 * CHUNK_MS. Returns what was written. Safe to call from several processes.
 */
export async function runUntil(toMs: number, rate = readEnv().SIMULATOR_RATE, onChunk?: (r: StepResult) => void): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (;;) {
    const r = await withScope(SIMULATOR_ACTOR, { attempted: 'running the simulator', timeoutMs: 120_000 }, async (tx) => {
      await many(`SELECT pg_advisory_xact_lock(7140014)`, [], 'taking the simulator lock', tx);
      const model = await loadModel(tx);
      if (!model) return null;
      const st = await maybeOne<{ value: SimState }>(`SELECT value FROM dataset_info WHERE key = 'simulator'`, [], 'reading the simulator clock', tx);
      const fromMs = st ? Date.parse(st.value.until) : model.historyEnd.getTime() + 1;
      const b0 = Math.ceil(fromMs / BUCKET_MS);
      const b1 = Math.min(Math.floor(toMs / BUCKET_MS), b0 + CHUNK_MS / BUCKET_MS);
      if (b1 <= b0) return null;
      const alerts = new Map((await many<{ hazard_id: number; external_id: string }>(
        `SELECT hazard_id, external_id FROM hazard_alerts WHERE ends_at IS NULL AND source = 'simulator'`, [], 'reading simulated alerts', tx,
      )).map((a) => [a.hazard_id, { minute: Number(a.external_id.slice(4)) }]));
      const w = simulate(model, b0, b1, rate, alerts);
      const now = Date.now();
      const added = await addIncidents(tx, w.incidents, now);
      const cameras = (await setCameraStatuses(tx, w.cameras, 'simulator', now)).written;
      const alertsWritten = (await setHazardAlerts(tx, w.hazards, 'simulator', now)).written;
      const fixes = await addFixes(tx, w.fixes, now);
      const to = new Date(b1 * BUCKET_MS);
      const steps = await advanceIncidents(tx, to, now);
      await many(
        `INSERT INTO dataset_info (key, value) VALUES ('simulator', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
        [JSON.stringify({ until: to.toISOString() } satisfies SimState)], 'moving the simulator clock', tx,
      );
      return { from: new Date(b0 * BUCKET_MS), to, incidents: added.length, steps, cameras, alerts: alertsWritten, fixes };
    });
    if (!r) return out;
    out.push(r);
    onChunk?.(r);
  }
}

/** Is the simulator to run against this database? */
export async function simulatorWanted(): Promise<boolean> {
  const setting = readEnv().SIMULATOR;
  if (setting !== 'auto') return setting === 'on';
  const demo = await withScope(SIMULATOR_ACTOR, { attempted: 'checking for the demo county', readOnly: true }, (tx) =>
    maybeOne(`SELECT 1 FROM dataset_info WHERE key = 'demo'`, [], 'checking for the demo county', tx));
  return demo !== null;
}

/** Runs the simulator in this process: a back-fill to now, then a step every `everyMs`. Returns a stop function. */
export function startSimulator(everyMs = BUCKET_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = async () => {
    try {
      const r = await runUntil(Date.now());
      if (r.some((x) => x.incidents || x.steps || x.cameras || x.alerts || x.fixes)) void liveHub().poll();
    } catch (err) {
      logger.warn('simulator', { message: `the simulator's step failed: ${(err as Error).message}` });
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  void (async () => {
    const t0 = Date.now();
    try {
      const chunks = await runUntil(Date.now(), undefined);
      if (chunks.length) {
        const sum = chunks.reduce((a, c) => ({ incidents: a.incidents + c.incidents, fixes: a.fixes + c.fixes }), { incidents: 0, fixes: 0 });
        logger.info('simulator', { message: `back-filled ${chunks[0]!.from.toISOString()} → ${chunks[chunks.length - 1]!.to.toISOString()}: ${sum.incidents} incidents, ${sum.fixes} patrol fixes in ${((Date.now() - t0) / 1000).toFixed(1)} s` });
      }
    } catch (err) {
      logger.warn('simulator', { message: `the simulator's back-fill failed: ${(err as Error).message}` });
    }
    if (!stopped) timer = setTimeout(tick, everyMs);
  })();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
