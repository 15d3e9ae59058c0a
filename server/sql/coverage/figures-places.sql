-- Key places (not private ones) in the study area ($1 EWKT, $2 SRID) and whether they are
-- covered: the entrance (else the position) in a view, or at least $3 of the footprint in
-- the union of views; nominal (all views) and effective.
WITH p AS (
  SELECT p.id, p.name, p.place_type, p.township_code, ST_X(coalesce(p.entrance, p.geom)) AS lon, ST_Y(coalesce(p.entrance, p.geom)) AS lat, ST_Transform(coalesce(p.entrance, p.geom), $2::int) AS pt,
         CASE WHEN p.footprint IS NULL THEN NULL ELSE ST_Transform(p.footprint, $2::int) END AS fp
  FROM places p JOIN place_types t ON t.code = p.place_type
  WHERE NOT t.is_private AND ST_Intersects(p.geom, $1::geometry)
)
SELECT p.id, p.name, p.lon, p.lat, p.place_type AS "placeType", p.township_code AS "townshipCode",
       (EXISTS (SELECT 1 FROM cov_view v WHERE ST_Intersects(v.g, p.pt))
        OR (p.fp IS NOT NULL AND coalesce(ST_Area(ST_Intersection(p.fp, (SELECT ST_Union(v.g) FROM cov_view v WHERE ST_Intersects(v.g, p.fp)))), 0) >= $3 * ST_Area(p.fp))) AS nominal,
       (EXISTS (SELECT 1 FROM cov_view v WHERE v.eff AND ST_Intersects(v.g, p.pt))
        OR (p.fp IS NOT NULL AND coalesce(ST_Area(ST_Intersection(p.fp, (SELECT ST_Union(v.g) FROM cov_view v WHERE v.eff AND ST_Intersects(v.g, p.fp)))), 0) >= $3 * ST_Area(p.fp))) AS effective
FROM p
