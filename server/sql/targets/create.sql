-- A 挂牌整治 target over the fishnet cell (of $3 metres, in the county's UTM zone $4) that
-- contains the point ($1, $2); refused (no row) when the point is outside every county.
WITH p AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326), $4::int) AS m),
cell AS (
  SELECT ST_Transform(ST_MakeEnvelope(floor(ST_X(m) / $3::float8) * $3::float8, floor(ST_Y(m) / $3::float8) * $3::float8,
                                      (floor(ST_X(m) / $3::float8) + 1) * $3::float8, (floor(ST_Y(m) / $3::float8) + 1) * $3::float8, $4::int), 4326) AS g
  FROM p
)
INSERT INTO rectification_targets (name, geom, reasons, responsible_unit, starts_on, deadline)
SELECT $5::text, ST_Multi(cell.g), $6::jsonb, $7::text, $8::date, $9::date
FROM cell
WHERE EXISTS (SELECT 1 FROM admin_areas a WHERE a.level = 'county' AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)))
RETURNING id
