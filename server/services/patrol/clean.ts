// Cleaning GPS tracks by the stated rules (geodata/patrol-rules.json `cleaning`), never
// silently. Per device, fixes are read in the order the device sent them (the file's rows,
// or the stored order) and each is checked against the last fix kept:
//   outside    the fix lies outside the county boundary;
//   backwards  its time is earlier than the last kept fix's (time going backwards);
//   duplicate  its time equals the last kept fix's;
//   speed      reaching it from the last kept fix needs more than maxSpeedKmh (a jump);
// a silence longer than maxGapMinutes ends a piece of track, and the next fix starts a new
// one (no speed is judged across a silence). Dropped fixes move to patrol_fix_rejects with
// their rule; every run writes a report per track to patrol_cleaning.
import type pg from 'pg';
import { many } from '../../db/index';
import { DROP_RULES, PATROL_RULES, type DropRule, type PatrolRules } from './rules';

export interface RawFix {
  /** The row number in the file, or the stored fix's id. */
  key: number;
  /** Epoch milliseconds. */
  t: number;
  lon: number;
  lat: number;
  outside: boolean;
}

export interface Drop {
  key: number;
  rule: DropRule;
  detail: string;
}

export interface TrackReport {
  device: string;
  fixes: number;
  kept: number;
  dropped: Record<DropRule, number>;
  drops: Drop[];
  /** Pieces of track between silences longer than maxGapMinutes. */
  segments: { from: string; to: string; fixes: number }[];
  /** Median seconds between consecutive kept fixes within a piece (null with fewer than two). */
  intervalS: number | null;
  firstAt: string | null;
  lastAt: string | null;
}

const EARTH_M = 6_371_008.8;

/** Great-circle distance in metres. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The median of a list (null when empty). */
export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Cleans one device's fixes, given in the order the device sent them. Pure. */
export function cleanTrack(device: string, fixes: readonly RawFix[], rules: PatrolRules['cleaning'] = PATROL_RULES.cleaning): TrackReport {
  const dropped = Object.fromEntries(DROP_RULES.map((r) => [r, 0])) as Record<DropRule, number>;
  const drops: Drop[] = [];
  const segments: TrackReport['segments'] = [];
  const steps: number[] = [];
  const gapMs = rules.maxGapMinutes * 60_000;
  let last: RawFix | null = null;
  let first: number | null = null;
  let piece: { from: number; to: number; fixes: number } | null = null;
  const drop = (f: RawFix, rule: DropRule, detail: string) => {
    dropped[rule]++;
    drops.push({ key: f.key, rule, detail });
  };
  for (const f of fixes) {
    if (rules.dropOutsideCounty && f.outside) {
      drop(f, 'outside', `(${f.lon.toFixed(5)}, ${f.lat.toFixed(5)}) lies outside the county boundary`);
      continue;
    }
    if (last) {
      const dt = f.t - last.t;
      if (dt < 0) {
        drop(f, 'backwards', `${iso(f.t)} is ${(-dt / 1000).toFixed(0)} s before the previous kept fix (${iso(last.t)})`);
        continue;
      }
      if (dt === 0) {
        drop(f, 'duplicate', `${iso(f.t)} repeats the time of the previous kept fix`);
        continue;
      }
      if (dt <= gapMs) {
        const m = haversineM(last.lon, last.lat, f.lon, f.lat);
        const kmh = (m / (dt / 1000)) * 3.6;
        if (kmh > rules.maxSpeedKmh) {
          drop(f, 'speed', `${Math.round(m)} m in ${(dt / 1000).toFixed(0)} s from the previous kept fix is ${Math.round(kmh)} km/h (over ${rules.maxSpeedKmh})`);
          continue;
        }
        steps.push(dt / 1000);
        piece!.to = f.t;
        piece!.fixes++;
      } else {
        segments.push({ from: iso(piece!.from), to: iso(piece!.to), fixes: piece!.fixes });
        piece = { from: f.t, to: f.t, fixes: 1 };
      }
    } else {
      piece = { from: f.t, to: f.t, fixes: 1 };
      first = f.t;
    }
    last = f;
  }
  if (piece) segments.push({ from: iso(piece.from), to: iso(piece.to), fixes: piece.fixes });
  return {
    device,
    fixes: fixes.length,
    kept: fixes.length - drops.length,
    dropped,
    drops,
    segments,
    intervalS: median(steps),
    firstAt: first === null ? null : iso(first),
    lastAt: last ? iso(last.t) : null,
  };
}

/** The county test as SQL over a point expression `g` (no county boundary: nothing is outside). */
const OUTSIDE = (g: string) => `coalesce(NOT ST_Intersects(${g}, (SELECT ST_Union(geom) FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL)), false)`;

interface FixRow { key: number; device: string; t: string; lon: number; lat: number; outside: boolean }

function groupByDevice(rows: FixRow[]): Map<string, RawFix[]> {
  const out = new Map<string, RawFix[]>();
  for (const r of rows) {
    let list = out.get(r.device);
    if (!list) out.set(r.device, (list = []));
    list.push({ key: Number(r.key), t: Number(r.t), lon: Number(r.lon), lat: Number(r.lat), outside: r.outside });
  }
  return out;
}

/**
 * Cleans the patrol-tracks import's stage (import_stage, in the caller's transaction):
 * dropped rows move to patrol_fix_rejects and leave the stage. Returns one report per
 * device; writeReports stores them once the kept fixes are written.
 */
export async function cleanStage(client: pg.PoolClient, source: string, rules: PatrolRules = PATROL_RULES): Promise<TrackReport[]> {
  const rows = await many<FixRow>(
    `SELECT row_no AS key, device_id AS device, (extract(epoch FROM time) * 1000)::float8 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat, ${OUTSIDE('geom')} AS outside
     FROM import_stage ORDER BY device_id, row_no`, [], 'reading the staged GPS fixes for cleaning', client,
  );
  const reports = [...groupByDevice(rows)].map(([device, fixes]) => cleanTrack(device, fixes, rules.cleaning));
  const drops = reports.flatMap((r) => r.drops);
  if (drops.length) {
    await client.query(
      `WITH d AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) AS d(row_no, rule, detail))
       INSERT INTO patrol_fix_rejects (device_id, team_id, recorded_at, speed_kmh, geom, rule, detail, source, row_no)
       SELECT s.device_id, (SELECT t.id FROM patrol_teams t WHERE t.name = s.team), s.time, s.speed, s.geom, d.rule, d.detail, $4, s.row_no
       FROM import_stage s JOIN d USING (row_no)`,
      [drops.map((d) => d.key), drops.map((d) => d.rule), drops.map((d) => d.detail), source],
    );
    await client.query('DELETE FROM import_stage WHERE row_no = ANY($1::int[])', [drops.map((d) => d.key)]);
  }
  return reports;
}

/**
 * Re-cleans stored fixes (all devices, or the ones named) in their stored order: used after
 * the rules change, for fixes written without the import pipeline, and by the demo seed.
 */
export async function cleanStored(client: pg.PoolClient, o: { devices?: string[]; source?: string } = {}, rules: PatrolRules = PATROL_RULES): Promise<TrackReport[]> {
  const devices = o.devices?.length ? o.devices : (await many<{ device_id: string }>('SELECT DISTINCT device_id FROM patrol_track_points ORDER BY 1', [], 'listing the GPS devices', client)).map((r) => r.device_id);
  const reports: TrackReport[] = [];
  for (const device of devices) {
    const rows = await many<FixRow>(
      `SELECT id AS key, device_id AS device, (extract(epoch FROM recorded_at) * 1000)::float8 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat, ${OUTSIDE('geom')} AS outside
       FROM patrol_track_points WHERE device_id = $1 ORDER BY id`, [device], 'reading stored GPS fixes for cleaning', client,
    );
    const report = cleanTrack(device, groupByDevice(rows).get(device) ?? [], rules.cleaning);
    if (report.drops.length) {
      const d = report.drops;
      await client.query(
        `WITH d AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) AS d(id, rule, detail)),
         moved AS (DELETE FROM patrol_track_points p USING d WHERE p.id = d.id AND p.device_id = $4
                   RETURNING p.device_id, p.team_id, p.township_code, p.recorded_at, p.speed_kmh, p.geom, d.rule, d.detail, p.id)
         INSERT INTO patrol_fix_rejects (device_id, team_id, township_code, recorded_at, speed_kmh, geom, rule, detail, source, row_no)
         SELECT device_id, team_id, township_code, recorded_at, speed_kmh, geom, rule, detail, 'stored', NULL FROM moved`,
        [d.map((x) => x.key), d.map((x) => x.rule), d.map((x) => x.detail), device],
      );
    }
    reports.push(report);
  }
  await writeReports(client, reports, o.source ?? 'stored', rules);
  return reports;
}

/** Stores the reports (one row per track), after the kept fixes are written. */
export async function writeReports(client: pg.PoolClient, reports: TrackReport[], source: string, rules: PatrolRules = PATROL_RULES): Promise<void> {
  if (!reports.length) return;
  await client.query(
    `INSERT INTO patrol_cleaning (device_id, team_id, source, first_at, last_at, fixes, kept, dropped, segments, interval_s, rules)
     SELECT r.device, (SELECT p.team_id FROM patrol_track_points p WHERE p.device_id = r.device AND p.team_id IS NOT NULL LIMIT 1),
            $8, r.first_at, r.last_at, r.fixes, r.kept, r.dropped, r.segments, r.interval_s, $9::jsonb
     FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[], $5::int[], $6::jsonb[], $7::jsonb[], $10::real[])
          AS r(device, first_at, last_at, fixes, kept, dropped, segments, interval_s)`,
    [
      reports.map((r) => r.device), reports.map((r) => r.firstAt), reports.map((r) => r.lastAt), reports.map((r) => r.fixes), reports.map((r) => r.kept),
      reports.map((r) => JSON.stringify(r.dropped)), reports.map((r) => JSON.stringify(r.segments)), source, JSON.stringify(rules.cleaning), reports.map((r) => r.intervalS),
    ],
  );
}

/** The import report's lines about cleaning: drops by rule, in English and Chinese. */
export function cleaningSummary(reports: TrackReport[]): { en: string; zh: string } | null {
  const total = Object.fromEntries(DROP_RULES.map((r) => [r, reports.reduce((a, x) => a + x.dropped[r], 0)])) as Record<DropRule, number>;
  const n = DROP_RULES.reduce((a, r) => a + total[r], 0);
  const pieces = reports.reduce((a, r) => a + r.segments.length, 0);
  if (!reports.length) return null;
  const zhRule: Record<DropRule, string> = { outside: '县界外', backwards: '时间倒退', duplicate: '时间重复', speed: '速度跳点' };
  const parts = DROP_RULES.filter((r) => total[r] > 0);
  return {
    en: `GPS cleaning: ${reports.length} tracks, ${pieces} pieces after splitting at silences; ${n} fixes dropped${parts.length ? ` (${parts.map((r) => `${r} ${total[r]}`).join(', ')})` : ''}, kept in patrol_fix_rejects.`,
    zh: `轨迹清洗:${reports.length} 条轨迹,按长时间中断切分为 ${pieces} 段;剔除定位点 ${n} 个${parts.length ? `(${parts.map((r) => `${zhRule[r]} ${total[r]}`).join('、')})` : ''},原始点已另行保存。`,
  };
}
