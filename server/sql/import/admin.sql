-- Administrative areas from the staging table: polygons become the area, points the centre.
INSERT INTO admin_areas (code, name, level, parent_code, population, households, geom, centre, source_crs)
SELECT code, name, level, parent_code, population, households,
       CASE WHEN GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON') THEN ST_Multi(geom) END,
       CASE WHEN GeometryType(geom) = 'POINT' THEN geom WHEN geom IS NOT NULL THEN ST_PointOnSurface(geom) END,
       source_crs
FROM import_stage
ORDER BY CASE level WHEN 'county' THEN 0 WHEN 'township' THEN 1 ELSE 2 END, row_no
ON CONFLICT (code) DO UPDATE SET
  name = excluded.name, level = excluded.level, parent_code = excluded.parent_code,
  population = coalesce(excluded.population, admin_areas.population),
  households = coalesce(excluded.households, admin_areas.households),
  geom = coalesce(excluded.geom, admin_areas.geom),
  centre = coalesce(excluded.centre, admin_areas.centre),
  source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
