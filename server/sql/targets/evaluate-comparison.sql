-- Matched comparison cells for a target: fishnet cells of hotspot_cells (n = incidents
-- before, n_test = after) whose centre lies farther than $2 metres from the target ($1,
-- metric EWKT) and that overlap no other listed target, matched on the before count
-- ($3 = the target's), nearest in count first, then nearest in space. $4: how many.
SELECT h.id, h.n::int AS before, h.n_test::int AS after,
       ST_X(ST_Transform(h.pt, 4326)) AS lon, ST_Y(ST_Transform(h.pt, 4326)) AS lat,
       ST_AsGeoJSON(ST_Transform(h.geom, 4326), 6)::jsonb AS polygon
FROM hotspot_cells h
WHERE NOT ST_DWithin(h.pt, $1::geometry, $2::float8)
  AND NOT EXISTS (SELECT 1 FROM rectification_targets r WHERE r.status IN ('listed', 'in_progress') AND ST_Intersects(r.geom, ST_Transform(h.geom, 4326)))
ORDER BY abs(h.n - $3::float8), ST_Distance(h.pt, $1::geometry), h.id
LIMIT $4::int
