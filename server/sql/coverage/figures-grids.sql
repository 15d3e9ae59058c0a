-- Management grids in the study area ($1 EWKT, $2 SRID): area and the area inside the
-- union of views, nominal and effective, in m².
WITH g AS (
  SELECT code, name, township_code, ST_Transform(geom, $2::int) AS g FROM grids WHERE ST_Intersects(geom, $1::geometry)
)
SELECT g.code, g.name, g.township_code AS "townshipCode", ST_Area(g.g)::float8 AS "areaM2",
       coalesce(ST_Area(ST_Intersection(g.g, (SELECT ST_Union(v.g) FROM cov_view v WHERE v.g && g.g AND ST_Intersects(v.g, g.g)))), 0)::float8 AS "nominalM2",
       coalesce(ST_Area(ST_Intersection(g.g, (SELECT ST_Union(v.g) FROM cov_view v WHERE v.eff AND v.g && g.g AND ST_Intersects(v.g, g.g)))), 0)::float8 AS "effectiveM2"
FROM g
