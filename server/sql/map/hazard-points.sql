-- Point hazards (geological hazard points, fire key units, …) with their type's Chinese name.
-- $1: townships in scope (NULL: the county), as row-level security does, for the embedded engine.
SELECT h.id, h.hazard_type AS kind, t.name AS kind_name, h.name, h.risk_level, h.threatened_people, h.threatened_households,
       h.on_alert, h.monitor_name, h.monitor_phone, a.name AS township_name, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
FROM hazards h
JOIN hazard_types t ON t.code = h.hazard_type
LEFT JOIN admin_areas a ON a.code = h.township_code
WHERE GeometryType(h.geom) = 'POINT' AND ($1::text[] IS NULL OR h.township_code = ANY ($1::text[]))
ORDER BY h.id
