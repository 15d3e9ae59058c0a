-- The views reaching the study area ($1 EWKT) built for the metric SRID $2; $3 the camera
-- statuses that count as effective.
INSERT INTO cov_view (camera_id, eff, g)
SELECT f.camera_id, c.status = ANY($3::text[]), f.geom_m
FROM camera_fov f
JOIN cameras c ON c.id = f.camera_id
WHERE f.geom_m IS NOT NULL AND f.srid = $2 AND ST_Intersects(f.geom, $1::geometry)
