-- Road pieces inside the study area ($1 EWKT, $2 SRID): whole segments where they lie in
-- one piece of the area, else their intersection with it (lines only).
INSERT INTO cov_road (road_id, road_class, g)
SELECT r.id, r.road_class, piece
FROM (SELECT id, road_class, ST_Transform(geom, $2::int) AS rg FROM roads WHERE geom && $1::geometry) r
JOIN cov_scope s ON ST_Intersects(r.rg, s.g)
CROSS JOIN LATERAL (SELECT CASE WHEN ST_Within(r.rg, s.g) THEN r.rg ELSE ST_CollectionExtract(ST_Intersection(r.rg, s.g), 2) END AS piece) p
WHERE NOT ST_IsEmpty(piece)
