-- Key-place entrances (their positions when no entrance is recorded; private places are
-- not targets) and hazard points inside the study area ($1 EWKT, $2 SRID).
INSERT INTO rec_demand (kind, ref_id, g)
SELECT 'place', p.id, ST_Transform(coalesce(p.entrance, p.geom), $2::int)
FROM places p JOIN place_types t ON t.code = p.place_type
WHERE NOT t.is_private AND ST_Intersects(coalesce(p.entrance, p.geom), $1::geometry)
UNION ALL
SELECT 'hazard', h.id, ST_Transform(h.geom, $2::int)
FROM hazards h WHERE GeometryType(h.geom) = 'POINT' AND ST_Intersects(h.geom, $1::geometry)
