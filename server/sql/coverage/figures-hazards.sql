-- Hazards in the study area ($1 EWKT, $2 SRID): a point is watched when it lies in a view;
-- a zone reports the share of its area in the union of views. Nominal and effective.
WITH h AS (
  SELECT id, hazard_type, township_code, GeometryType(geom) = 'POINT' AS is_point, ST_Transform(geom, $2::int) AS g
  FROM hazards WHERE ST_Intersects(geom, $1::geometry)
)
SELECT h.id, h.hazard_type AS "hazardType", h.township_code AS "townshipCode", h.is_point AS "isPoint",
       CASE WHEN h.is_point THEN (EXISTS (SELECT 1 FROM cov_view v WHERE ST_Intersects(v.g, h.g)))::int::float8
            ELSE coalesce(ST_Area(ST_Intersection(h.g, (SELECT ST_Union(v.g) FROM cov_view v WHERE ST_Intersects(v.g, h.g)))), 0) / nullif(ST_Area(h.g), 0) END AS nominal,
       CASE WHEN h.is_point THEN (EXISTS (SELECT 1 FROM cov_view v WHERE v.eff AND ST_Intersects(v.g, h.g)))::int::float8
            ELSE coalesce(ST_Area(ST_Intersection(h.g, (SELECT ST_Union(v.g) FROM cov_view v WHERE v.eff AND ST_Intersects(v.g, h.g)))), 0) / nullif(ST_Area(h.g), 0) END AS effective
FROM h
