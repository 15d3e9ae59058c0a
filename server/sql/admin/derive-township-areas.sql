-- Provisional township areas where no official boundary is loaded: Voronoi cells of the
-- township centres, clipped to their county, flagged derived (never official boundaries).
-- $1: county code.
WITH county AS (
  SELECT code, geom FROM admin_areas WHERE code = $1::char(12) AND geom IS NOT NULL
),
seats AS (
  SELECT t.code, t.centre FROM admin_areas t, county c
  WHERE t.parent_code = c.code AND t.level = 'township' AND t.centre IS NOT NULL AND ST_Intersects(t.centre, c.geom)
),
cells AS (
  SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(s.centre), 0, ST_Expand(ST_Envelope(c.geom), 0.2)))).geom AS cell, c.geom AS county_geom
  FROM seats s, county c GROUP BY c.geom
)
UPDATE admin_areas t
SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(cells.cell, cells.county_geom)), 3)), derived = true
FROM cells, seats
WHERE t.code = seats.code AND ST_Contains(cells.cell, seats.centre) AND (t.geom IS NULL OR t.derived)
RETURNING t.code
