-- Evidence for positions recorded in GCJ-02 or BD-09 instead of WGS-84. For each camera in
-- $1 and each reading of its recorded coordinates — as recorded ('wgs84'), as GCJ-02
-- converted to WGS-84 ($2, $3), as BD-09 converted to WGS-84 ($4, $5), the conversions done
-- by the caller — the geodesic distance in metres to:
--   place   the camera's own place: its entrance, else its position (NULL without place_id)
--   area    the village/community named in the camera's name: the admin_areas village of the
--           camera's township (any township when it has none) whose name the camera's name
--           contains, the longest such name; its centre, else a point on its surface
--   camera  the nearest other camera
--   road    the nearest road
-- Nearest features are found with the KNN operator on lon/lat (<->), which ranks by
-- degrees; the five nearest are then measured on the spheroid and the closest kept, so a
-- road or camera slightly further in degrees but nearer in metres is not missed.
WITH cam AS (
  SELECT c.id, c.geom, u.gx, u.gy, u.bx, u.by,
         coalesce(pl.entrance, pl.geom) AS place_p, pl.name AS place_name,
         va.centre AS area_p, va.name AS area_name
  FROM unnest($1::int[], $2::float8[], $3::float8[], $4::float8[], $5::float8[]) AS u(id, gx, gy, bx, by)
  JOIN cameras c ON c.id = u.id
  LEFT JOIN places pl ON pl.id = c.place_id
  LEFT JOIN LATERAL (
    SELECT v.name, coalesce(v.centre, ST_PointOnSurface(v.geom)) AS centre
    FROM admin_areas v
    WHERE v.level = 'village' AND (v.centre IS NOT NULL OR v.geom IS NOT NULL)
      AND length(v.name) >= 2 AND position(v.name IN c.name) > 0
      AND (c.township_code IS NULL OR v.parent_code = c.township_code)
    ORDER BY length(v.name) DESC, v.code
    LIMIT 1
  ) va ON true
),
reading AS (
  SELECT cam.*, h.reading, h.p
  FROM cam
  CROSS JOIN LATERAL (VALUES
    ('wgs84', cam.geom),
    ('gcj02', ST_SetSRID(ST_MakePoint(cam.gx, cam.gy), 4326)),
    ('bd09', ST_SetSRID(ST_MakePoint(cam.bx, cam.by), 4326))
  ) AS h(reading, p)
)
SELECT r.id AS "cameraId",
       r.reading,
       ST_Distance(r.place_p::geography, r.p::geography)::float8 AS "placeM",
       r.place_name AS "placeName",
       ST_Distance(r.area_p::geography, r.p::geography)::float8 AS "areaM",
       r.area_name AS "areaName",
       nc.d AS "cameraM",
       nc.id AS "cameraRef",
       nr.d AS "roadM",
       nr.name AS "roadName"
FROM reading r
LEFT JOIN LATERAL (
  SELECT k.id, ST_Distance(k.geom::geography, r.p::geography)::float8 AS d
  FROM (SELECT o.id, o.geom FROM cameras o WHERE o.id <> r.id ORDER BY o.geom <-> r.p LIMIT 5) k
  ORDER BY 2, 1 LIMIT 1
) nc ON true
LEFT JOIN LATERAL (
  SELECT k.name, ST_Distance(k.geom::geography, r.p::geography)::float8 AS d
  FROM (SELECT x.id, x.name, x.geom FROM roads x ORDER BY x.geom <-> r.p LIMIT 5) k
  ORDER BY 2, k.id LIMIT 1
) nr ON true
ORDER BY r.id, r.reading
