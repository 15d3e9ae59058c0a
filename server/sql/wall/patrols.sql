-- Patrol teams and their newest fix of the last 10 minutes before $1 (on duty when there is one).
SELECT t.id, t.name, tw.name AS township, f.recorded_at, f.speed_kmh, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat
FROM patrol_teams t
LEFT JOIN admin_areas tw ON tw.code = t.township_code
LEFT JOIN LATERAL (
  SELECT p.recorded_at, p.speed_kmh, p.geom FROM patrol_track_points p
  WHERE p.team_id = t.id AND p.recorded_at > $1::timestamptz - interval '10 minutes' AND p.recorded_at <= $1::timestamptz
  ORDER BY p.recorded_at DESC LIMIT 1
) f ON true
ORDER BY f.recorded_at IS NULL, t.name;
