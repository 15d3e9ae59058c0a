-- GPS tracks per device in [$1, $2) for the teams $3 (empty: all), thinned evenly in time:
-- the first fix of each device in every $5-second step counts ($5 = 0: every fix). Times
-- are seconds since $1, ascending; positions [lon, lat] with 6 decimals. $4: townships in
-- scope (NULL: the county), as row-level security does, for the embedded engine.
WITH f AS (
  SELECT device_id, team_id, recorded_at, geom,
         CASE WHEN $5::float8 > 0 THEN floor(date_part('epoch', recorded_at - $1::timestamptz) / $5::float8) END AS step
  FROM patrol_track_points
  WHERE recorded_at >= $1::timestamptz AND recorded_at < $2::timestamptz
    AND (cardinality($3::int[]) = 0 OR team_id = ANY ($3::int[]))
    AND ($4::text[] IS NULL OR township_code = ANY ($4::text[]))
),
kept AS (
  SELECT DISTINCT ON (device_id, coalesce(step, date_part('epoch', recorded_at))) device_id, team_id, recorded_at, geom
  FROM f
  ORDER BY device_id, coalesce(step, date_part('epoch', recorded_at)), recorded_at
)
SELECT k.device_id AS device, min(k.team_id) AS team_id, min(t.name) AS team_name,
       jsonb_agg(jsonb_build_array(round(ST_X(k.geom)::numeric, 6), round(ST_Y(k.geom)::numeric, 6)) ORDER BY k.recorded_at) AS path,
       jsonb_agg(round(date_part('epoch', k.recorded_at - $1::timestamptz)::numeric, 3) ORDER BY k.recorded_at) AS times
FROM kept k
LEFT JOIN patrol_teams t ON t.id = k.team_id
GROUP BY k.device_id
ORDER BY k.device_id
