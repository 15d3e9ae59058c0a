-- Incidents of the target area and of its surrounding ring, before and after the start.
-- $1: target id; $2: metric SRID; $3: ring width in metres; $4: before-window start;
-- $5: start (after-window start); $6: after-window end (exclusive).
-- The ring is the target buffered by $3 in the metric projection, minus the target.
WITH t AS (SELECT geom AS g4326, ST_Transform(geom, $2::int) AS m FROM rectification_targets WHERE id = $1),
ring AS (SELECT ST_Transform(ST_Difference(ST_Buffer(m, $3::float8), m), 4326) AS g FROM t)
SELECT
  (SELECT count(*) FROM incidents i, t WHERE ST_Intersects(i.geom, t.g4326) AND i.occurred_at >= $4 AND i.occurred_at < $5)::int AS target_before,
  (SELECT count(*) FROM incidents i, t WHERE ST_Intersects(i.geom, t.g4326) AND i.occurred_at >= $5 AND i.occurred_at < $6)::int AS target_after,
  (SELECT count(*) FROM incidents i, ring WHERE ST_Intersects(i.geom, ring.g) AND i.occurred_at >= $4 AND i.occurred_at < $5)::int AS ring_before,
  (SELECT count(*) FROM incidents i, ring WHERE ST_Intersects(i.geom, ring.g) AND i.occurred_at >= $5 AND i.occurred_at < $6)::int AS ring_after,
  (SELECT ST_AsGeoJSON(g, 6)::jsonb FROM ring) AS ring_geojson,
  (SELECT ST_AsGeoJSON(g4326, 6)::jsonb FROM t) AS target_geojson,
  (SELECT sqrt(ST_Area(m)) FROM t) AS cell_m,
  (SELECT ST_AsEWKT(m) FROM t) AS target_metric
