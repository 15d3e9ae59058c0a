-- The grid of the temporary table patrol_areas: every $1-degree cell of WGS-84 (a key from
-- its column and row) that touches an area, and whether it lies wholly inside it. A fix's
-- cell is then plain arithmetic on its coordinates, so the fixes are matched to the areas
-- by a hash join over one sequential scan; only fixes in cells on an area's edge need the
-- exact point-in-polygon test (device-visits.sql).
CREATE TEMP TABLE patrol_area_cells ON COMMIT DROP AS
SELECT a.id AS area, cy::bigint * 100000000 + cx AS cell, ST_Within(env, a.geom) AS inside
FROM patrol_areas a,
     LATERAL generate_series(floor(ST_XMin(a.geom) / $1::float8)::int, floor(ST_XMax(a.geom) / $1::float8)::int) cx,
     LATERAL generate_series(floor(ST_YMin(a.geom) / $1::float8)::int, floor(ST_YMax(a.geom) / $1::float8)::int) cy,
     LATERAL ST_MakeEnvelope(cx * $1::float8, cy * $1::float8, (cx + 1) * $1::float8, (cy + 1) * $1::float8, 4326) env
WHERE ST_Intersects(env, a.geom)
