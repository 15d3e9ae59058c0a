-- Cameras of the register, with the township they stand in.
INSERT INTO cameras (external_id, gb_id, name, geom, mount_height_m, azimuth_deg, fov_deg, range_m, camera_type, smart, networked,
                     status, last_seen_at, owner, township_code, installed_on, source_crs)
SELECT s.external_id, s.gb_id, s.name, s.geom, s.height, s.azimuth, s.fov, s.range, s.camera_type, coalesce(s.smart, false), coalesce(s.networked, false),
       s.status, s.last_seen_at, s.owner,
       (SELECT a.code FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, s.geom) LIMIT 1),
       s.installed_on, s.source_crs
FROM import_stage s
ON CONFLICT (external_id) DO UPDATE SET
  gb_id = excluded.gb_id, name = excluded.name, geom = excluded.geom, mount_height_m = excluded.mount_height_m,
  azimuth_deg = excluded.azimuth_deg, fov_deg = excluded.fov_deg, range_m = excluded.range_m, camera_type = excluded.camera_type,
  smart = excluded.smart, networked = excluded.networked, status = excluded.status, last_seen_at = excluded.last_seen_at,
  owner = excluded.owner, township_code = excluded.township_code, installed_on = excluded.installed_on, source_crs = excluded.source_crs
RETURNING (xmax = 0) AS inserted
