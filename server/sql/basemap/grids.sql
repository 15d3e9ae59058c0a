-- Management grid cells with their grid worker, as GeoJSON; $2: the townships in scope
-- (NULL: the county), as row-level security does, for the embedded engine.
SELECT jsonb_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(g.geom, $1::float8), 6)::jsonb,
    'properties', jsonb_build_object(
      'code', g.code, 'name', g.name, 'villageCode', g.village_code, 'townshipCode', g.township_code,
      'workerName', g.worker_name, 'workerPhone', g.worker_phone,
      'households', g.households, 'population', g.population)
  ) ORDER BY g.code), '[]'::jsonb)
) AS fc
FROM grids g
WHERE $2::text[] IS NULL OR g.township_code = ANY ($2)
