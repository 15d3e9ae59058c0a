-- Grid cells; village and township codes are kept only when those areas exist.
INSERT INTO grids (code, name, village_code, township_code, worker_name, worker_phone, households, population, geom, source_crs)
SELECT s.code, s.name,
       (SELECT a.code FROM admin_areas a WHERE a.code = s.village_code),
       coalesce((SELECT a.code FROM admin_areas a WHERE a.code = s.township_code),
                (SELECT a.code FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, ST_PointOnSurface(s.geom)) LIMIT 1)),
       s.worker_name, s.worker_phone, s.households, s.population, ST_Multi(s.geom), s.source_crs
FROM import_stage s
ON CONFLICT (code) DO UPDATE SET
  name = excluded.name, village_code = excluded.village_code, township_code = excluded.township_code,
  worker_name = excluded.worker_name, worker_phone = excluded.worker_phone,
  households = excluded.households, population = excluded.population, geom = excluded.geom, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
