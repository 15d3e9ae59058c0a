-- Key places with their type's Chinese name and township. $1: townships in scope (NULL: the
-- county), as row-level security does, for the embedded engine.
SELECT p.id, p.name, p.place_type AS type, t.name AS type_name, p.address, a.name AS township_name, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
FROM places p
JOIN place_types t ON t.code = p.place_type
LEFT JOIN admin_areas a ON a.code = p.township_code
WHERE $1::text[] IS NULL OR p.township_code = ANY ($1::text[])
ORDER BY p.id
