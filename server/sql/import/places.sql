-- Key places: a polygon is kept as the footprint and its inner point as the position.
INSERT INTO places (external_id, name, place_type, address, township_code, geom, entrance, footprint, source_crs)
SELECT s.external_id, s.name, s.place_type, s.address,
       (SELECT a.code FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, ST_PointOnSurface(s.geom)) LIMIT 1),
       ST_PointOnSurface(s.geom),
       NULL,
       CASE WHEN GeometryType(s.geom) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_Multi(s.geom) END,
       s.source_crs
FROM import_stage s
ON CONFLICT (external_id) DO UPDATE SET
  name = excluded.name, place_type = excluded.place_type, address = excluded.address, township_code = excluded.township_code,
  geom = excluded.geom, footprint = excluded.footprint, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
