-- How many staged rows already exist (they will be updated). The table is partitioned,
-- so the upsert cannot report this itself (no xmax in RETURNING).
SELECT count(*)::int AS n FROM import_stage s WHERE EXISTS (SELECT 1 FROM patrol_track_points i WHERE i.device_id = s.device_id AND i.recorded_at = s.time)
