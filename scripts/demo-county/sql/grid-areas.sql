-- Grid cells: per village, the Voronoi cells of its grid seeds (in the temporary table
-- demo_grid_seeds), clipped to the village; a village with one grid is one cell.
WITH groups AS (
  SELECT v.code, v.geom, ST_Collect(s.seed) AS seeds, count(*) AS n
  FROM demo_grid_seeds s
  JOIN admin_areas v ON v.code = s.village_code
  GROUP BY v.code, v.geom
),
cells AS (
  SELECT g.code, g.geom AS parent, (ST_Dump(ST_VoronoiPolygons(g.seeds, 0, ST_Expand(ST_Envelope(g.geom), 0.05)))).geom AS cell
  FROM groups g WHERE g.n > 1
  UNION ALL
  SELECT g.code, g.geom, g.geom FROM groups g WHERE g.n = 1
)
INSERT INTO grids (code, name, village_code, township_code, worker_name, worker_phone, households, population, geom)
SELECT s.code, s.name, s.village_code, s.township_code, s.worker_name, s.worker_phone, s.households, s.population,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(c.cell, c.parent)), 3))
FROM demo_grid_seeds s
JOIN cells c ON c.code = s.village_code AND ST_Contains(c.cell, s.seed)
ORDER BY s.code;
