-- Patrol routes (one line each; multi-part lines are merged where they touch).
INSERT INTO patrol_routes (external_id, team_id, name, geom, source_crs)
SELECT s.external_id, (SELECT t.id FROM patrol_teams t WHERE t.name = s.team), s.name,
       CASE WHEN GeometryType(s.geom) = 'LINESTRING' THEN s.geom ELSE ST_GeometryN(ST_LineMerge(s.geom), 1) END, s.source_crs
FROM import_stage s
ON CONFLICT (external_id) DO UPDATE SET team_id = excluded.team_id, name = excluded.name, geom = excluded.geom, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
