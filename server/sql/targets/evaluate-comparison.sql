-- Matched comparison cells for a target: fishnet cells of hotspot_cells (n = incidents
-- before, n_test = after) whose centre lies farther than $2 metres from the target ($1,
-- metric EWKT) and that overlap no other listed target, matched on the before count
-- ($3 = the target's), nearest in count first, then nearest in space. $4: how many.
WITH listed AS MATERIALIZED (
  -- the listed targets projected once into the cells' metric SRID (not every cell into WGS-84 inside the test)
  SELECT ST_Transform(geom, ST_SRID($1::geometry)) AS g FROM rectification_targets WHERE status IN ('listed', 'in_progress')
)
SELECT h.id, h.n::int AS before, h.n_test::int AS after,
       ST_X(ST_Transform(h.pt, 4326)) AS lon, ST_Y(ST_Transform(h.pt, 4326)) AS lat,
       ST_AsGeoJSON(ST_Transform(h.geom, 4326), 6)::jsonb AS polygon
FROM hotspot_cells h
WHERE NOT ST_DWithin(h.pt, $1::geometry, $2::float8)
  AND NOT EXISTS (SELECT 1 FROM listed r WHERE ST_Intersects(r.g, h.geom))
ORDER BY abs(h.n - $3::float8), ST_Distance(h.pt, $1::geometry), h.id
LIMIT $4::int
