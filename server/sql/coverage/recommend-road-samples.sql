-- Sample points every $1 metres along the road pieces of the study area (cov_road).
INSERT INTO rec_demand (kind, ref_id, road_class, g)
SELECT 'road', x.road_id, x.road_class, (ST_Dump(ST_LineInterpolatePoints(x.line, least(1, $1::float8 / ST_Length(x.line)), true))).geom
FROM (SELECT road_id, road_class, (ST_Dump(g)).geom AS line FROM cov_road) x
WHERE ST_Length(x.line) > 0
