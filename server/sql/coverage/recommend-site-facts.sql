-- Per site: the grid azimuth of true north there ($1 SRID), the incidents within 100 m
-- (the baseline ranks intersections by them), and for intersections a label from the
-- names of the roads that meet there.
UPDATE rec_site s SET
  north = degrees(ST_Azimuth(s.g, ST_Transform(ST_Project(s.geom::geography, 100, 0)::geometry, $1::int))),
  incidents = (SELECT count(*) FROM cov_incident i WHERE ST_DWithin(i.g, s.g, 100))::int,
  label = coalesce(s.label, (SELECT '路口:' || array_to_string((array_agg(n ORDER BY n))[1:3], '×') || CASE WHEN count(*) > 3 THEN '等 ' || count(*) || ' 条道路' ELSE '' END
                            FROM (SELECT DISTINCT r.name AS n FROM roads r
                                  WHERE r.name IS NOT NULL AND r.geom && ST_Expand(s.geom, 0.0001) AND ST_DWithin(r.geom::geography, s.geom::geography, 2)) names
                            HAVING count(*) > 0), '路口')
