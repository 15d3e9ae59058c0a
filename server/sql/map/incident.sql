-- One incident with its category, township and grid names. $1: id; $2: townships in scope
-- (NULL: the county), as row-level security does, for the embedded engine.
SELECT i.id, i.external_id, i.occurred_at, i.category_code, c.name AS category_name, i.source, i.severity, i.status, i.summary,
       i.township_code, t.name AS township_name, i.grid_code, g.name AS grid_name, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
FROM incidents i
JOIN incident_categories c ON c.code = i.category_code
LEFT JOIN admin_areas t ON t.code = i.township_code
LEFT JOIN grids g ON g.code = i.grid_code
WHERE i.id = $1::bigint AND ($2::text[] IS NULL OR i.township_code = ANY ($2::text[]))
ORDER BY i.occurred_at
LIMIT 1
