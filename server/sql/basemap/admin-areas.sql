-- Township or village areas ($1 = level) as GeoJSON, with a label point inside each area.
SELECT jsonb_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(a.geom, $2::float8), 6)::jsonb,
    'properties', jsonb_build_object(
      'code', a.code, 'name', a.name, 'parentCode', a.parent_code, 'population', a.population,
      'households', a.households, 'derived', a.derived,
      'areaKm2', round((ST_Area(a.geom::geography) / 1e6)::numeric, 2),
      'labelLon', round(ST_X(ST_PointOnSurface(a.geom))::numeric, 6),
      'labelLat', round(ST_Y(ST_PointOnSurface(a.geom))::numeric, 6))
  ) ORDER BY a.code), '[]'::jsonb)
) AS fc
FROM admin_areas a
WHERE a.level = $1::text AND a.geom IS NOT NULL
