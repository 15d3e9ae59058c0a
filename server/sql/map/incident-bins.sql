-- Incident counts per flat-top hexagon of the map's lattice (server/services/map/lattice.ts):
-- Web Mercator metres, origin (0, 0), circumradius $10 (Mercator metres). u = x / S and
-- v = y / (√3·S); the three floors of the cube differences pick the nearest lattice centre,
-- whose axial coordinates are q = round((i − k) / 3), r = round((j − i) / 3).
-- $1, $2: [from, to) instants; $3: category codes (a parent takes its children; empty: all);
-- $4: hour of day in China time (NULL: every hour); $5: townships in scope (NULL: the county),
-- as row-level security does, for the embedded engine; $6–$9: the snapped box (lon/lat).
-- Mercator is computed from ST_X/ST_Y by arithmetic (no ST_Transform per row).
SELECT q, r, count(*)::int AS n
FROM (
  SELECT round((i - k) / 3.0::float8)::int AS q, round((j - i) / 3.0::float8)::int AS r
  FROM (
    SELECT floor(u - v) AS i, floor(2 * v) AS j, floor(-u - v) AS k
    FROM (
      SELECT radians(ST_X(geom)) * (6378137::float8 / $10::float8) AS u,
             ln(tan(pi() / 4 + radians(ST_Y(geom)) / 2)) * (6378137::float8 / ($10::float8 * sqrt(3::float8))) AS v
      FROM incidents
      WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz
        AND geom && ST_MakeEnvelope($6::float8, $7::float8, $8::float8, $9::float8, 4326)
        AND ST_X(geom) BETWEEN $6::float8 AND $8::float8 AND ST_Y(geom) BETWEEN $7::float8 AND $9::float8  -- && compares float4 boxes: exact edges
        AND (cardinality($3::text[]) = 0 OR category_code = ANY (SELECT code FROM incident_categories WHERE code = ANY ($3::text[]) OR parent_code = ANY ($3::text[])))
        AND ($4::int IS NULL OR mod(floor(date_part('epoch', occurred_at) / 3600)::bigint + 8, 24) = $4::int)
        AND ($5::text[] IS NULL OR township_code = ANY ($5::text[]))
    ) p
  ) c
) h
GROUP BY q, r
