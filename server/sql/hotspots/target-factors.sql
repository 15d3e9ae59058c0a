-- The raw factors of rectification targeting for every cell of the square fishnet in
-- hotspot_cells (metric SRID $1, cell size $3: points fall in cell floor(x/$3), floor(y/$3)),
-- measured up to the reference time $2:
--   incidents    incidents in the last 365 days
--   recent       incidents in the last 90 days; previous: the 90 days before those
--   unseen       of those incidents, the ones outside every effective camera view
--                (target_views: the effective cameras' views, from target-views.sql)
--   cameras      online cameras standing in the cell
--   hazards      hazard points in the cell and forest-fire zones touching it
--   places       key places in the cell
-- (patrol presence, the 巡防不足 factor, is the patrol dosage of each cell: server/services/patrol/dosage.ts)
WITH inc AS (
  SELECT floor(ST_X(g) / $3::float8)::int AS i, floor(ST_Y(g) / $3::float8)::int AS j,
         count(*) AS incidents,
         count(*) FILTER (WHERE occurred_at >= $2::timestamptz - interval '90 days') AS recent,
         count(*) FILTER (WHERE occurred_at >= $2::timestamptz - interval '180 days' AND occurred_at < $2::timestamptz - interval '90 days') AS previous,
         count(*) FILTER (WHERE NOT seen) AS unseen
  FROM (SELECT ST_Transform(i.geom, $1::int) AS g, i.occurred_at,
               EXISTS (SELECT 1 FROM target_views f WHERE f.geom && i.geom AND ST_Intersects(f.geom, i.geom)) AS seen
        FROM incidents i
        WHERE i.occurred_at >= $2::timestamptz - interval '365 days' AND i.occurred_at < $2::timestamptz) x
  GROUP BY 1, 2
),
points AS (
  -- cameras, hazard points and places, each tagged with its kind
  SELECT 'camera' AS kind, ST_Transform(geom, $1::int) AS g FROM cameras WHERE status = 'online'
  UNION ALL SELECT 'hazard', ST_Transform(geom, $1::int) FROM hazards WHERE GeometryType(geom) = 'POINT'
  UNION ALL SELECT 'place', ST_Transform(geom, $1::int) FROM places
),
pts AS (
  SELECT floor(ST_X(g) / $3::float8)::int AS i, floor(ST_Y(g) / $3::float8)::int AS j,
         count(*) FILTER (WHERE kind = 'camera') AS cameras,
         count(*) FILTER (WHERE kind = 'hazard') AS hazards,
         count(*) FILTER (WHERE kind = 'place') AS places
  FROM points GROUP BY 1, 2
),
-- hazard zones projected once, before the join, so the cells' index serves it
zone_geoms AS MATERIALIZED (
  SELECT ST_Transform(geom, $1::int) AS g FROM hazards WHERE GeometryType(geom) <> 'POINT'
),
zones AS (
  SELECT h.id, count(*) AS n FROM zone_geoms z JOIN hotspot_cells h ON ST_Intersects(h.geom, z.g)
  GROUP BY h.id
)
SELECT h.id,
       coalesce(inc.incidents, 0)::int AS incidents, coalesce(inc.unseen, 0)::int AS unseen, coalesce(inc.recent, 0)::int AS recent, coalesce(inc.previous, 0)::int AS previous,
       coalesce(pts.cameras, 0)::int AS cameras, (coalesce(pts.hazards, 0) + coalesce(zones.n, 0))::int AS hazards,
       coalesce(pts.places, 0)::int AS places
FROM hotspot_cells h
LEFT JOIN inc ON inc.i = h.i AND inc.j = h.j
LEFT JOIN pts ON pts.i = h.i AND pts.j = h.j
LEFT JOIN zones ON zones.id = h.id
ORDER BY h.id
