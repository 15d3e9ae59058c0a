-- High-rise buildings (≥ 24 m) with their footprint as GeoJSON (6 decimals) where known.
-- $1: townships in scope (NULL: the county), as row-level security does, for the embedded engine.
SELECT id, name, height_m, floors, fire_facility_status, ST_X(geom) AS lon, ST_Y(geom) AS lat,
       CASE WHEN footprint IS NOT NULL THEN ST_AsGeoJSON(footprint, 6)::jsonb END AS footprint
FROM high_rises
WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])
ORDER BY id
