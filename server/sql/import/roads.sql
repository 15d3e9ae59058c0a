-- Roads: multi-part lines are split into one row per part (external id + '#n').
WITH parts AS (
  SELECT s.external_id, s.name, s.road_class, s.source_crs, d.path[1] AS part, d.geom,
         count(*) OVER (PARTITION BY s.row_no) AS n_parts
  FROM import_stage s, ST_Dump(s.geom) d
  WHERE ST_NPoints(d.geom) >= 2
)
INSERT INTO roads (external_id, name, road_class, geom, source_crs)
SELECT CASE WHEN n_parts > 1 THEN external_id || '#' || part ELSE external_id END, name, road_class, geom, source_crs
FROM parts
ON CONFLICT (external_id) DO UPDATE SET name = excluded.name, road_class = excluded.road_class, geom = excluded.geom, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
