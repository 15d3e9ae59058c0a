-- Roads merged per name and class (segments are stored ~1 km long), as GeoJSON lines.
WITH merged AS (
  SELECT name, road_class, ST_LineMerge(ST_Collect(geom)) AS geom, sum(ST_Length(geom::geography)) AS length_m
  FROM roads
  GROUP BY name, road_class
)
SELECT jsonb_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(jsonb_agg(jsonb_build_object(
    'type', 'Feature',
    'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(m.geom, $1::float8), 6)::jsonb,
    'properties', jsonb_build_object('name', m.name, 'roadClass', m.road_class, 'rank', c.rank, 'lengthKm', round((m.length_m / 1000)::numeric, 2))
  ) ORDER BY c.rank DESC), '[]'::jsonb)
) AS fc
FROM merged m
JOIN road_classes c ON c.code = m.road_class
