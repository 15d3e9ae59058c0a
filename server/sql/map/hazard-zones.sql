-- Polygon hazards (forest-fire zones, …) as GeoJSON geometries (6 decimals). $1: townships in
-- scope (NULL: the county), as row-level security does, for the embedded engine.
SELECT h.id, h.hazard_type AS kind, t.name AS kind_name, h.name, h.risk_level, h.on_alert,
       ST_AsGeoJSON(h.geom, 6)::jsonb AS polygon
FROM hazards h
JOIN hazard_types t ON t.code = h.hazard_type
WHERE GeometryType(h.geom) IN ('POLYGON', 'MULTIPOLYGON') AND ($1::text[] IS NULL OR h.township_code = ANY ($1::text[]))
ORDER BY h.id
