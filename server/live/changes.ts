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

/** What a batch of status or alert changes did. */
export interface ChangeCounts {
  /** history rows written (camera transitions; alerts started or ended) */
  written: number;
  /** changes equal to the state already recorded */
  unchanged: number;
  /** changes older than the last one recorded for their camera or hazard: kept out, or the history would run backwards */
  stale: number;
}

/**
 * Camera status changes from a source ('platform', a feed's id, 'simulator'). Only real
 * transitions are kept: a status equal to the camera's current one writes nothing, and a
 * change older than the camera's last recorded change is stale. Changes of one camera are
 * applied in time order.
 */
export async function setCameraStatuses(tx: Tx, changes: CameraChange[], source: string, now = Date.now()): Promise<ChangeCounts> {
  const counts: ChangeCounts = { written: 0, unchanged: 0, stale: 0 };
  if (!changes.length) return counts;
  const sorted = [...changes].sort((a, b) => a.at.getTime() - b.at.getTime());
  const ids = [...new Set(sorted.map((c) => c.cameraId))];
  const current = await many<{ id: number; status: CameraStatus; township_code: string | null; name: string; gb_id: string | null; since: Date | null }>(
    `SELECT c.id, c.status, c.township_code, c.name, c.gb_id,
            (SELECT max(h.changed_at) FROM camera_status_history h WHERE h.camera_id = c.id) AS since
     FROM cameras c WHERE c.id = ANY ($1::int[]) FOR UPDATE OF c`, [ids], 'reading camera statuses', tx,
  );
  const state = new Map(current.map((c) => [c.id, c]));
  const transitions: (CameraChange & { township: string | null; name: string; gbId: string | null; from: CameraStatus })[] = [];
  for (const c of sorted) {
    const cam = state.get(c.cameraId);
    if (!cam) continue;
    if (cam.since && c.at < cam.since) counts.stale++;
    else if (cam.status === c.status) counts.unchanged++;
    else {
      transitions.push({ ...c, township: cam.township_code?.trim() ?? null, name: cam.name, gbId: cam.gb_id, from: cam.status });
      cam.status = c.status;
      cam.since = c.at;
    }
  }
  counts.written = transitions.length;
  if (!transitions.length) return counts;
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
  return counts;
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
 * alert and starts the new one at the same instant; lifting ends the one in force; a change
 * older than the hazard's last alert start or end is stale. hazards.on_alert follows. Reads
 * every hazard once and writes in three statements, whatever the number of changes.
 */
export async function setHazardAlerts(tx: Tx, changes: AlertChange[], source: string, now = Date.now()): Promise<ChangeCounts> {
  const counts: ChangeCounts = { written: 0, unchanged: 0, stale: 0 };
  if (!changes.length) return counts;
  const hazards = await many<{ id: number; name: string; hazard_type: string; township_code: string | null; threatened_people: number | null; level: AlertLevel | null; alert_id: string | null; since: Date | null }>(
    `SELECT h.id, h.name, h.hazard_type, h.township_code, h.threatened_people, a.level, a.id::text AS alert_id,
            (SELECT max(greatest(x.starts_at, coalesce(x.ends_at, x.starts_at))) FROM hazard_alerts x WHERE x.hazard_id = h.id) AS since
     FROM hazards h LEFT JOIN hazard_alerts a ON a.hazard_id = h.id AND a.ends_at IS NULL
     WHERE h.id = ANY ($1::int[]) FOR UPDATE OF h`,
    [[...new Set(changes.map((c) => c.hazardId))]], 'reading the hazards', tx,
  );
  const state = new Map(hazards.map((h) => [h.id, { ...h, open: h.alert_id as string | null }]));
  // alerts in force before this batch that it ends, and the ones it starts (ended within it or not)
  const ended: { id: string; at: Date }[] = [];
  const started: { key: number; hazardId: number; level: AlertLevel; at: Date; endsAt: Date | null; externalId: string | null; note: string | null; township: string | null }[] = [];
  const events: LiveEventInput[] = [];
  for (const c of [...changes].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    const h = state.get(c.hazardId);
    if (!h) continue;
    if (h.since && c.at < h.since) {
      counts.stale++;
      continue;
    }
    if (h.level === c.level) {
      counts.unchanged++;
      continue;
    }
    if (h.open?.startsWith('new:')) started[Number(h.open.slice(4))]!.endsAt = c.at;
    else if (h.open) ended.push({ id: h.open, at: c.at });
    if (h.open) counts.written++;
    h.open = null;
    if (c.level) {
      h.open = `new:${started.length}`;
      started.push({ key: started.length, hazardId: c.hazardId, level: c.level, at: c.at, endsAt: null, externalId: c.externalId ?? null, note: c.note ?? null, township: h.township_code });
      counts.written++;
    }
    if (isNews(c.at, now)) {
      events.push({
        topic: 'hazard.alert',
        township: h.township_code?.trim() ?? null,
        payload: { id: h.id, name: h.name, type: h.hazard_type, people: h.threatened_people, from: h.level, level: c.level, at: c.at.toISOString(), source },
      });
    }
    h.level = c.level;
    h.since = c.at;
  }
  if (ended.length) {
    await many(
      `UPDATE hazard_alerts a SET ends_at = greatest(a.starts_at, u.t) FROM unnest($1::bigint[], $2::timestamptz[]) AS u(i, t) WHERE a.id = u.i`,
      [ended.map((e) => e.id), ended.map((e) => e.at)], 'ending hazard alerts', tx,
    );
  }
  if (started.length) {
    await many(
      `INSERT INTO hazard_alerts (hazard_id, level, starts_at, ends_at, source, external_id, note, township_code)
       SELECT h, l, s, e, $5, x, n, t FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::timestamptz[], $6::text[], $7::text[], $8::text[]) AS u(h, l, s, e, x, n, t)`,
      [started.map((a) => a.hazardId), started.map((a) => a.level), started.map((a) => a.at), started.map((a) => a.endsAt), source,
        started.map((a) => a.externalId), started.map((a) => a.note), started.map((a) => a.township)],
      'raising hazard alerts', tx,
    );
  }
  const touched = [...state.values()];
  await many(
    `UPDATE hazards h SET on_alert = u.a FROM unnest($1::int[], $2::bool[]) AS u(i, a) WHERE h.id = u.i AND h.on_alert IS DISTINCT FROM u.a`,
    [touched.map((h) => h.id), touched.map((h) => h.level !== null)], 'marking the hazards', tx,
  );
  await emit(tx, events);
  return counts;
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
