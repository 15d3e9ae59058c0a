// The changes the wall shows, each written with its live event in one transaction:
// new incidents and their status steps, camera status (with history), hazard alerts,
// patrol fixes. The simulator, the ingest routes and the CLI all write through here.
import { many, sql } from '../db/index';
import type { Tx } from '../db/scope';
import { emit, type LiveEventInput } from './outbox';

/** Events older than this when written are history (a back-fill), not news: no event. */
export const NEWS_WINDOW_MS = 10 * 60_000;
const isNews = (at: Date, now: number) => now - at.getTime() < NEWS_WINDOW_MS;

export interface NewIncident {
  externalId: string;
  occurredAt: Date;
  categoryCode: string;
  source: '110' | 'grid' | '12345' | 'other';
  severity: 'ordinary' | 'major';
  summary: string | null;
  lon: number;
  lat: number;
  /** codes used when the point lies in no grid */
  townshipCode?: string | null;
  gridCode?: string | null;
}

export interface AddedIncident {
  id: string;
  occurred_at: Date;
  external_id: string;
  category_code: string;
  category_name: string;
  severity: string;
  source: string;
  summary: string | null;
  township_code: string | null;
  township_name: string | null;
  grid_code: string | null;
  lon: number;
  lat: number;
}

export async function addIncidents(tx: Tx, rows: NewIncident[], now = Date.now()): Promise<AddedIncident[]> {
  if (!rows.length) return [];
  const added = await many<AddedIncident>(
    sql('live/add-incidents.sql'),
    [
      rows.map((r) => r.externalId), rows.map((r) => r.occurredAt), rows.map((r) => r.categoryCode), rows.map((r) => r.source),
      rows.map((r) => r.severity), rows.map((r) => r.summary), rows.map((r) => r.lon), rows.map((r) => r.lat),
      rows.map((r) => r.townshipCode ?? null), rows.map((r) => r.gridCode ?? null),
    ],
    'adding incidents', tx,
  );
  await emit(tx, added.filter((a) => isNews(a.occurred_at, now)).map((a): LiveEventInput => ({
    topic: 'incident.new',
    township: a.township_code?.trim() ?? null,
    payload: {
      id: a.id, occurredAt: a.occurred_at.toISOString(), category: a.category_code, categoryName: a.category_name, severity: a.severity,
      source: a.source, summary: a.summary, township: a.township_name, grid: a.grid_code, lon: a.lon, lat: a.lat,
    },
  })));
  return added;
}

export async function advanceIncidents(tx: Tx, clock: Date, now = Date.now()): Promise<number> {
  const steps = await many<{ id: string; occurred_at: Date; township_code: string | null; category_code: string; severity: string; was: string; status: string; at: Date }>(
    sql('live/advance-incidents.sql'), [clock], 'moving incidents along their handling steps', tx,
  );
  await emit(tx, steps.filter((s) => isNews(s.at, now)).map((s): LiveEventInput => ({
    topic: 'incident.status',
    township: s.township_code?.trim() ?? null,
    payload: { id: s.id, occurredAt: s.occurred_at.toISOString(), category: s.category_code, severity: s.severity, from: s.was, status: s.status, at: s.at.toISOString() },
  })));
  return steps.length;
}

export type CameraStatus = 'online' | 'offline' | 'faulty';
export interface CameraChange {
  cameraId: number;
  status: CameraStatus;
  at: Date;
}

/**
 * Camera status changes from a source ('platform', 'push', 'simulator'). Only real
 * transitions are kept: a status equal to the camera's current one writes nothing. Changes
 * of one camera are applied in time order. Returns the transitions written.
 */
export async function setCameraStatuses(tx: Tx, changes: CameraChange[], source: string, now = Date.now()): Promise<number> {
  if (!changes.length) return 0;
  const sorted = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const ids = [...new Set(sorted.map((c) => c.cameraId))];
  const current = await many<{ id: number; status: CameraStatus; township_code: string | null; name: string; gb_id: string | null }>(
    `SELECT id, status, township_code, name, gb_id FROM cameras WHERE id = ANY ($1::int[]) FOR UPDATE`, [ids], 'reading camera statuses', tx,
  );
  const state = new Map(current.map((c) => [c.id, c]));
  const transitions: (CameraChange & { township: string | null; name: string; gbId: string | null; from: CameraStatus })[] = [];
  for (const c of sorted) {
    const cam = state.get(c.cameraId);
    if (!cam || cam.status === c.status) continue;
    transitions.push({ ...c, township: cam.township_code?.trim() ?? null, name: cam.name, gbId: cam.gb_id, from: cam.status });
    cam.status = c.status;
  }
  if (!transitions.length) return 0;
  await many(
    `INSERT INTO camera_status_history (camera_id, status, changed_at, source, township_code)
     SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])`,
    [transitions.map((t) => t.cameraId), transitions.map((t) => t.status), transitions.map((t) => t.at), transitions.map(() => source), transitions.map((t) => t.township)],
    'recording camera status history', tx,
  );
  const last = new Map<number, { status: CameraStatus; at: Date }>();
  for (const t of transitions) last.set(t.cameraId, t);
  await many(
    `UPDATE cameras c SET status = u.s, last_seen_at = CASE WHEN u.s = 'online' THEN u.t ELSE c.last_seen_at END
     FROM unnest($1::int[], $2::text[], $3::timestamptz[]) AS u(i, s, t) WHERE c.id = u.i`,
    [[...last.keys()], [...last.values()].map((v) => v.status), [...last.values()].map((v) => v.at)],
    'updating camera statuses', tx,
  );
  await emit(tx, transitions.filter((t) => isNews(t.at, now)).map((t): LiveEventInput => ({
    topic: 'camera.status',
    township: t.township,
    payload: { id: t.cameraId, name: t.name, gbId: t.gbId, from: t.from, status: t.status, at: t.at.toISOString(), source },
  })));
  return transitions.length;
}

export const ALERT_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export interface AlertChange {
  hazardId: number;
  /** null lifts the alert in force */
  level: AlertLevel | null;
  at: Date;
  externalId?: string | null;
  note?: string | null;
}

/**
 * Raises, changes or lifts hazard alerts. A new level while one is in force ends the old
 * alert and starts the new one at the same instant; lifting ends the one in force.
 * hazards.on_alert follows. Returns the alerts started or ended.
 */
export async function setHazardAlerts(tx: Tx, changes: AlertChange[], source: string, now = Date.now()): Promise<number> {
  let n = 0;
  const events: LiveEventInput[] = [];
  for (const c of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const hz = await many<{ id: number; name: string; hazard_type: string; township_code: string | null; threatened_people: number | null; level: AlertLevel | null; alert_id: string | null }>(
      `SELECT h.id, h.name, h.hazard_type, h.township_code, h.threatened_people, a.level, a.id::text AS alert_id
       FROM hazards h LEFT JOIN hazard_alerts a ON a.hazard_id = h.id AND a.ends_at IS NULL WHERE h.id = $1 FOR UPDATE OF h`,
      [c.hazardId], 'reading the hazard', tx,
    );
    const h = hz[0];
    if (!h || h.level === c.level) continue;
    if (h.alert_id) {
      await many(`UPDATE hazard_alerts SET ends_at = greatest(starts_at, $2::timestamptz) WHERE id = $1`, [h.alert_id, c.at], 'ending a hazard alert', tx);
      n++;
    }
    if (c.level) {
      await many(
        `INSERT INTO hazard_alerts (hazard_id, level, starts_at, source, external_id, note, township_code) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [c.hazardId, c.level, c.at, source, c.externalId ?? null, c.note ?? null, h.township_code], 'raising a hazard alert', tx,
      );
      n++;
    }
    await many(`UPDATE hazards SET on_alert = $2 WHERE id = $1`, [c.hazardId, c.level !== null], 'marking the hazard', tx);
    if (isNews(c.at, now)) {
      events.push({
        topic: 'hazard.alert',
        township: h.township_code?.trim() ?? null,
        payload: { id: h.id, name: h.name, type: h.hazard_type, people: h.threatened_people, from: h.level, level: c.level, at: c.at.toISOString(), source },
      });
    }
  }
  await emit(tx, events);
  return n;
}

export interface Fix {
  teamId: number;
  routeId: number | null;
  deviceId: string;
  at: Date;
  speedKmh: number;
  lon: number;
  lat: number;
}

/** GPS fixes of patrol teams; the newest of each team is news for the wall. */
export async function addFixes(tx: Tx, fixes: Fix[], now = Date.now()): Promise<number> {
  if (!fixes.length) return 0;
  await many(
    `INSERT INTO patrol_track_points (team_id, route_id, device_id, recorded_at, speed_kmh, geom)
     SELECT t, r, d, a, s, ST_SetSRID(ST_MakePoint(x, y), 4326)
     FROM unnest($1::int[], $2::int[], $3::text[], $4::timestamptz[], $5::real[], $6::float8[], $7::float8[]) AS u(t, r, d, a, s, x, y)`,
    [fixes.map((f) => f.teamId), fixes.map((f) => f.routeId), fixes.map((f) => f.deviceId), fixes.map((f) => f.at), fixes.map((f) => f.speedKmh), fixes.map((f) => f.lon), fixes.map((f) => f.lat)],
    'recording patrol fixes', tx,
  );
  const newest = new Map<number, Fix>();
  for (const f of fixes) if (isNews(f.at, now) && (newest.get(f.teamId)?.at ?? 0) < f.at) newest.set(f.teamId, f);
  if (newest.size) {
    const teams = await many<{ id: number; name: string; township_code: string | null }>(
      `SELECT id, name, township_code FROM patrol_teams WHERE id = ANY ($1::int[])`, [[...newest.keys()]], 'reading patrol teams', tx,
    );
    await emit(tx, teams.map((t): LiveEventInput => {
      const f = newest.get(t.id)!;
      return { topic: 'patrol.position', township: t.township_code?.trim() ?? null, payload: { team: t.id, name: t.name, lon: f.lon, lat: f.lat, speedKmh: f.speedKmh, at: f.at.toISOString() } };
    }));
  }
  return fixes.length;
}
