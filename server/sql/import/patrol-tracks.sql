-- GPS fixes; one per device and time.
INSERT INTO patrol_track_points (team_id, device_id, recorded_at, speed_kmh, geom, source_crs)
SELECT (SELECT t.id FROM patrol_teams t WHERE t.name = s.team), s.device_id, s.time, s.speed, s.geom, s.source_crs
FROM import_stage s
ON CONFLICT (device_id, recorded_at) DO UPDATE SET team_id = excluded.team_id, speed_kmh = excluded.speed_kmh, geom = excluded.geom, source_crs = excluded.source_crs
