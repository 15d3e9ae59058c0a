-- Where each point ($1 lons, $2 lats, EPSG:4326) lies, as people name it: its township and
-- village or community (the admin areas containing it), the nearest named road within
-- about 1 km and the nearest key place within about 1 km, with their distances in metres.
-- The bounding-box filters let the roads' and places' indexes serve the search.
WITH p AS (
  SELECT k::int AS k, ST_SetSRID(ST_MakePoint(x, y), 4326) AS g
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, k)
)
SELECT p.k,
       (SELECT a.name FROM admin_areas a WHERE a.level = 'township' AND a.geom && p.g AND ST_Intersects(a.geom, p.g) ORDER BY a.code LIMIT 1) AS township,
       (SELECT a.name FROM admin_areas a WHERE a.level = 'village' AND a.geom && p.g AND ST_Intersects(a.geom, p.g) ORDER BY a.code LIMIT 1) AS village,
       r.name AS road, r.m AS "roadM", pl.name AS place, pl.m AS "placeM"
FROM p
LEFT JOIN LATERAL (
  SELECT r.name, ST_Distance(r.geom::geography, p.g::geography) AS m FROM roads r
  WHERE r.geom && ST_Expand(p.g, 0.012) AND coalesce(btrim(r.name), '') <> ''
  ORDER BY 2, r.id LIMIT 1
) r ON true
LEFT JOIN LATERAL (
  SELECT pl.name, ST_Distance(pl.geom::geography, p.g::geography) AS m FROM places pl
  WHERE pl.geom && ST_Expand(p.g, 0.012)
  ORDER BY 2, pl.id LIMIT 1
) pl ON true
ORDER BY p.k
