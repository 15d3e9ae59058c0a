-- Hazard points with an alert in force, highest level first, with the people threatened.
SELECT h.id, h.name, h.hazard_type, ht.name AS type_name, a.level, a.starts_at, h.threatened_people, h.threatened_households,
       t.name AS township, ST_X(ST_PointOnSurface(h.geom)) AS lon, ST_Y(ST_PointOnSurface(h.geom)) AS lat
FROM hazard_alerts a
JOIN hazards h ON h.id = a.hazard_id
JOIN hazard_types ht ON ht.code = h.hazard_type
LEFT JOIN admin_areas t ON t.code = h.township_code
WHERE a.ends_at IS NULL
ORDER BY array_position(ARRAY['red', 'orange', 'yellow', 'blue'], a.level), h.threatened_people DESC NULLS LAST
LIMIT 100;
