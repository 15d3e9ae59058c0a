-- The cameras standing in the study area ($1 EWKT) by the kind of their view and status.
SELECT f.kind, c.status, count(*)::int AS n
FROM cameras c JOIN camera_fov f ON f.camera_id = c.id
WHERE ST_Intersects(c.geom, $1::geometry)
GROUP BY f.kind, c.status
