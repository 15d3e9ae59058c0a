-- Incidents per area of patrol_areas (the grown area) and China-time hour of day in
-- [$1, $2); $3: townships in scope (NULL: the county).
SELECT a.id AS area, floor(mod(extract(epoch FROM i.occurred_at)::numeric + 28800, 86400) / 3600)::int AS hour, count(*)::int AS n
FROM patrol_areas a
JOIN incidents i ON ST_Intersects(a.geom, i.geom)
WHERE i.occurred_at >= $1::timestamptz AND i.occurred_at < $2::timestamptz
  AND ($3::text[] IS NULL OR i.township_code = ANY ($3::text[]))
GROUP BY 1, 2
