// Patrols on the situational map: planned routes, GPS tracks for playback (at most 24 h at a
// time, thinned evenly in time past LIMITS.patrolFixes fixes) and the span of the fixes.
import { many, one, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { LIMITS } from '../../limits';

export interface PatrolRoute {
  id: number;
  name: string;
  teamId: number | null;
  teamName: string | null;
  /** Shifts as [{ start: "20:00", end: "22:00", days: [1..7] }]. */
  schedule: unknown[];
  path: [number, number][];
}

export async function patrolRoutes(tx: Tx): Promise<PatrolRoute[]> {
  const rows = await many<{ id: number; name: string; team_id: number | null; team_name: string | null; schedule: unknown[]; path: [number, number][] | null }>(
    sql('map/patrol-routes.sql'), [townshipsOf(tx)], 'loading the patrol routes', tx,
  );
  return rows.map((r) => ({ id: r.id, name: r.name, teamId: r.team_id, teamName: r.team_name, schedule: r.schedule, path: (r.path ?? []).map(([x, y]) => [Number(x), Number(y)] as [number, number]) }));
}

export interface TracksInput {
  from: Date;
  to: Date;
  teamIds?: number[];
}

export interface PatrolTracks {
  /** Epoch seconds of `from` and `to`. */
  start: number;
  end: number;
  /** True when fixes were left out to stay within LIMITS.patrolFixes (evenly in time, per device). */
  decimated: boolean;
  /** Fixes in the window before thinning, and sent. */
  fixes: number;
  sent: number;
  tracks: { device: string; teamId: number | null; teamName: string | null; path: [number, number][]; times: number[] }[];
}

export async function patrolTracks(tx: Tx, input: TracksInput): Promise<PatrolTracks> {
  const { from, to } = input;
  if (!(from < to)) throw new UserError('The playback window is empty: from must be before to.', '回放时间范围为空:开始时间必须早于结束时间。');
  if (to.getTime() - from.getTime() > LIMITS.patrolHours * 3_600_000) throw new UserError(`The playback window is longer than ${LIMITS.patrolHours} h.`, `轨迹回放一次最多 ${LIMITS.patrolHours} 小时:请缩短时间范围。`);
  const teams = [...new Set(input.teamIds ?? [])];
  if (teams.length > LIMITS.patrolTeams) throw new UserError(`More than ${LIMITS.patrolTeams} teams.`, `一次最多选择 ${LIMITS.patrolTeams} 支巡逻队。`);
  const scope = townshipsOf(tx);
  const c = await one<{ fixes: number; devices: number }>(sql('map/patrol-fix-count.sql'), [from, to, teams, scope], 'counting the GPS fixes of a playback', tx);
  const spanS = (to.getTime() - from.getTime()) / 1000;
  // per device at most floor(limit / devices) steps of equal length: the total stays within the limit
  const decimated = c.fixes > LIMITS.patrolFixes;
  const stepS = decimated ? spanS / Math.max(1, Math.floor(LIMITS.patrolFixes / Math.max(1, c.devices))) : 0;
  const rows = await many<{ device: string; team_id: number | null; team_name: string | null; path: [number, number][]; times: number[] }>(
    sql('map/patrol-tracks.sql'), [from, to, teams, scope, stepS], 'reading the GPS tracks of a playback', tx,
  );
  const tracks = rows.map((r) => ({ device: r.device, teamId: r.team_id, teamName: r.team_name, path: r.path.map(([x, y]) => [Number(x), Number(y)] as [number, number]), times: r.times.map(Number) }));
  return {
    start: Math.floor(from.getTime() / 1000),
    end: Math.floor(to.getTime() / 1000),
    decimated,
    fixes: c.fixes,
    sent: tracks.reduce((a, t) => a + t.times.length, 0),
    tracks,
  };
}

export async function patrolExtent(tx: Tx): Promise<{ first: string | null; last: string | null }> {
  const r = await one<{ first: Date | null; last: Date | null }>(sql('map/patrol-extent.sql'), [townshipsOf(tx)], 'finding the span of the GPS fixes', tx);
  return { first: r.first?.toISOString() ?? null, last: r.last?.toISOString() ?? null };
}
