-- How many GPS fixes and devices fall in [$1, $2) for the teams $3 (empty: all), so the
-- playback can be thinned before it is read. $4: townships in scope (NULL: the county).
SELECT count(*)::int AS fixes, count(DISTINCT device_id)::int AS devices
FROM patrol_track_points
WHERE recorded_at >= $1::timestamptz AND recorded_at < $2::timestamptz
  AND (cardinality($3::int[]) = 0 OR team_id = ANY ($3::int[]))
  AND ($4::text[] IS NULL OR township_code = ANY ($4::text[]))
