-- The incidents in a view, newest first, at most $10, each row with the number of all that
-- match ($11 = total). $1–$5 as in incident-bins.sql; $6–$9: the view's box (lon/lat).
WITH m AS MATERIALIZED (
  SELECT id, occurred_at, category_code, geom
  FROM incidents
  WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
    AND geom && ST_MakeEnvelope($6::float8, $7::float8, $8::float8, $9::float8, 4326)
    AND ST_X(geom) BETWEEN $6::float8 AND $8::float8 AND ST_Y(geom) BETWEEN $7::float8 AND $9::float8  -- && compares float4 boxes: exact edges
    AND (cardinality($3::text[]) = 0 OR category_code = ANY (SELECT code FROM incident_categories WHERE code = ANY ($3::text[]) OR parent_code = ANY ($3::text[])))
    AND ($4::int IS NULL OR mod(floor(date_part('epoch', occurred_at) / 3600)::bigint + 8, 24) = $4::int)
    AND ($5::text[] IS NULL OR township_code = ANY ($5::text[]))
),
top AS (
  SELECT id, occurred_at, category_code, geom FROM m ORDER BY occurred_at DESC, id DESC LIMIT $10::int
)
SELECT c.total, t.id, floor(date_part('epoch', t.occurred_at))::bigint AS t, t.category_code AS category, ST_X(t.geom) AS lon, ST_Y(t.geom) AS lat
FROM (SELECT count(*)::int AS total FROM m) c
LEFT JOIN top t ON true
ORDER BY t.occurred_at DESC, t.id DESC
