-- Nominal video coverage of the road network per township: the length of road inside
-- the township, and the part of it within range_m (50 m when the register leaves it
-- empty) of an online camera. A circle around each camera is a proxy: it ignores the
-- azimuth and field of view, which the camera-coverage work will take into account.
-- Lengths in metres, measured in the UTM zone of the townships' centre.
WITH zone AS (
  SELECT (CASE WHEN ST_Y(c) >= 0 THEN 32600 ELSE 32700 END + floor((ST_X(c) + 180) / 6)::int + 1) AS srid
  FROM (SELECT ST_Centroid(ST_Extent(geom)) AS c FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL) e
),
township AS (
  SELECT a.code, a.geom, ST_Transform(a.geom, zone.srid) AS g
  FROM admin_areas a, zone WHERE a.level = 'township' AND a.geom IS NOT NULL
),
road AS (
  SELECT r.id, r.geom, ST_Transform(r.geom, zone.srid) AS g FROM roads r, zone
),
-- the covered part of each road: its intersection with the union of the camera circles
-- reaching it (candidate pairs found on the geographic index: 0.05° is more than the
-- largest allowed range, 2 km, up to latitude 68°)
covered AS (
  SELECT road.id, ST_Intersection(road.g, ST_Union(ST_Buffer(ST_Transform(c.geom, zone.srid), coalesce(c.range_m, 50), 16))) AS g
  FROM road
  JOIN cameras c ON c.status = 'online' AND c.geom && ST_Expand(road.geom, 0.05)
  CROSS JOIN zone
  WHERE ST_DWithin(road.g, ST_Transform(c.geom, zone.srid), coalesce(c.range_m, 50))
  GROUP BY road.id, road.g
)
SELECT t.code,
       coalesce(sum(ST_Length(ST_Intersection(road.g, t.g))), 0)::float8 AS "roadM",
       coalesce(sum(ST_Length(ST_Intersection(covered.g, t.g))), 0)::float8 AS "coveredM"
FROM township t
LEFT JOIN road ON road.geom && t.geom AND ST_Intersects(road.g, t.g)
LEFT JOIN covered ON covered.id = road.id
GROUP BY t.code
ORDER BY t.code
