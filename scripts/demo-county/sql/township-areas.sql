-- Township areas: the Voronoi cells of the township seats (plain lon/lat, as the
-- generator's `locate`), clipped to the county outline.
WITH county AS (
  SELECT geom FROM admin_areas WHERE level = 'county'
),
cells AS (
  SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(centre), 0, (SELECT ST_Expand(ST_Envelope(geom), 0.5) FROM county)))).geom AS cell
  FROM admin_areas
  WHERE level = 'township'
)
UPDATE admin_areas a
SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(c.cell, county.geom)), 3))
FROM cells c, county
WHERE a.level = 'township' AND ST_Contains(c.cell, a.centre);
