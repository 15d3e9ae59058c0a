-- Planned patrol routes with their team and shift schedule; the path as [lon, lat] pairs
-- (6 decimals). $1: townships in scope (NULL: the county), for the embedded engine.
SELECT r.id, r.name, r.team_id, t.name AS team_name, r.schedule,
       (SELECT jsonb_agg(jsonb_build_array(round(ST_X(d.geom)::numeric, 6), round(ST_Y(d.geom)::numeric, 6)) ORDER BY d.path)
        FROM ST_DumpPoints(r.geom) d) AS path
FROM patrol_routes r
LEFT JOIN patrol_teams t ON t.id = r.team_id
WHERE $1::text[] IS NULL OR r.township_code = ANY ($1::text[])
ORDER BY r.id
