// The patrol teams with their routes' shifts and the latest cleaning of their tracks: the
// patrol page's team and shift choices, and the cleaning report per track.
import { many } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';

export interface PatrolTeamInfo {
  id: number;
  name: string;
  township: string | null;
  shifts: { start: string; end: string; route: string }[];
  tracks: { device: string; fixes: number; kept: number; dropped: Record<string, number>; segments: number; intervalS: number | null; source: string; cleanedAt: string }[];
}

export async function patrolTeams(tx: Tx): Promise<PatrolTeamInfo[]> {
  const rows = await many<{ id: number; name: string; township: string | null; shifts: PatrolTeamInfo['shifts'] | null; tracks: PatrolTeamInfo['tracks'] | null }>(
    `SELECT t.id, t.name, a.name AS township,
            (SELECT jsonb_agg(DISTINCT jsonb_build_object('start', s->>'start', 'end', s->>'end', 'route', r.name)) FROM patrol_routes r, jsonb_array_elements(r.schedule) s WHERE r.team_id = t.id) AS shifts,
            (SELECT jsonb_agg(jsonb_build_object('device', c.device_id, 'fixes', c.fixes, 'kept', c.kept, 'dropped', c.dropped, 'segments', jsonb_array_length(c.segments),
                                                 'intervalS', c.interval_s, 'source', c.source, 'cleanedAt', c.cleaned_at) ORDER BY c.device_id)
             FROM (SELECT DISTINCT ON (device_id) * FROM patrol_cleaning WHERE team_id = t.id ORDER BY device_id, cleaned_at DESC) c) AS tracks
     FROM patrol_teams t LEFT JOIN admin_areas a ON a.code = t.township_code
     WHERE $1::text[] IS NULL OR t.township_code = ANY ($1::text[])
     ORDER BY t.id`, [townshipsOf(tx)], 'reading the patrol teams', tx,
  );
  return rows.map((r) => ({ ...r, shifts: (r.shifts ?? []).sort((a, b) => a.start.localeCompare(b.start)), tracks: r.tracks ?? [] }));
}

/** The China day after the newest kept fix (the exclusive end of a default period), or null with no fixes. */
export async function lastFixDay(tx: Tx): Promise<string | null> {
  const r = await many<{ day: string | null }>(
    `SELECT to_char((max(recorded_at) AT TIME ZONE 'UTC') + interval '32 hours', 'YYYY-MM-DD') AS day FROM patrol_track_points WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])`,
    [townshipsOf(tx)], 'finding the newest GPS fix', tx,
  );
  return r[0]?.day ?? null;
}
