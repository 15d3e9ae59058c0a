-- The first and last GPS fix in scope. $1: townships in scope (NULL: the county), for the embedded engine.
SELECT min(recorded_at) AS first, max(recorded_at) AS last
FROM patrol_track_points
WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])
