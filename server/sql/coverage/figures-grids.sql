-- Management grids in the study area ($1 EWKT, $2 SRID): area and the area inside the
-- union of views, nominal and effective, in m². The nominal union is the effective union
-- joined with the union of the other views (one scan of the views per grid).
WITH g AS (
  SELECT code, name, township_code, ST_Transform(geom, $2::int) AS g FROM grids WHERE ST_Intersects(geom, $1::geometry)
),
u AS (
  SELECT g.*, x.u_eff,
         CASE WHEN x.u_off IS NULL THEN x.u_eff WHEN x.u_eff IS NULL THEN x.u_off ELSE ST_Union(x.u_eff, x.u_off) END AS u_nom
  FROM g
  CROSS JOIN LATERAL (
    SELECT ST_Union(v.g) FILTER (WHERE v.eff) AS u_eff, ST_Union(v.g) FILTER (WHERE NOT v.eff) AS u_off
    FROM cov_view v WHERE v.g && g.g AND ST_Intersects(v.g, g.g)
  ) x
)
SELECT u.code, u.name, u.township_code AS "townshipCode", ST_Area(u.g)::float8 AS "areaM2",
       coalesce(ST_Area(ST_Intersection(u.g, u.u_nom)), 0)::float8 AS "nominalM2",
       coalesce(ST_Area(ST_Intersection(u.g, u.u_eff)), 0)::float8 AS "effectiveM2"
FROM u
