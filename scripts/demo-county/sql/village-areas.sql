-- Village/community areas: per township, the Voronoi cells of its village centres,
-- clipped to the township (a township with one village gets the whole township).
WITH groups AS (
  SELECT t.code, t.geom, ST_Collect(v.centre) AS seeds, count(*) AS n
  FROM admin_areas v
  JOIN admin_areas t ON t.code = v.parent_code
  WHERE v.level = 'village'
  GROUP BY t.code, t.geom
),
cells AS (
  SELECT g.code, g.geom AS parent, (ST_Dump(ST_VoronoiPolygons(g.seeds, 0, ST_Expand(ST_Envelope(g.geom), 0.1)))).geom AS cell
  FROM groups g WHERE g.n > 1
  UNION ALL
  SELECT g.code, g.geom, g.geom FROM groups g WHERE g.n = 1
)
UPDATE admin_areas v
SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(c.cell, c.parent)), 3))
FROM cells c
WHERE v.level = 'village' AND v.parent_code = c.code AND ST_Contains(c.cell, v.centre);
