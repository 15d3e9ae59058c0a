-- Townships and management grids, cut into small pieces ($1 SRID), for splitting road
-- lengths by area.
INSERT INTO cov_zone (kind, code, g)
SELECT 'township', code, ST_Subdivide(ST_Transform(geom, $1::int), 64) FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL
UNION ALL
SELECT 'grid', code, ST_Subdivide(ST_Transform(geom, $1::int), 64) FROM grids
