-- Hazard points and zones, with the township they lie in.
INSERT INTO hazards (external_id, hazard_type, name, risk_level, threatened_households, threatened_people, monitor_name, monitor_phone,
                     township_code, geom, source_crs)
SELECT s.external_id, s.hazard_type, s.name, s.risk_level::smallint, s.threatened_households, s.threatened_people, s.monitor_name, s.monitor_phone,
       (SELECT a.code FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, ST_PointOnSurface(s.geom)) LIMIT 1),
       s.geom, s.source_crs
FROM import_stage s
ON CONFLICT (external_id) DO UPDATE SET
  hazard_type = excluded.hazard_type, name = excluded.name, risk_level = excluded.risk_level,
  threatened_households = excluded.threatened_households, threatened_people = excluded.threatened_people,
  monitor_name = excluded.monitor_name, monitor_phone = excluded.monitor_phone, township_code = excluded.township_code,
  geom = excluded.geom, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
