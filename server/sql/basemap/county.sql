-- The county outline as one GeoJSON feature (6 decimals ≈ 0.1 m).
SELECT jsonb_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $1::float8), 6)::jsonb,
    'properties', jsonb_build_object('code', code, 'name', name, 'population', population)
  )), '[]'::jsonb)
) AS fc
FROM admin_areas
WHERE level = 'county' AND geom IS NOT NULL
