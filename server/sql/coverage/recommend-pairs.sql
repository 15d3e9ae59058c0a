-- Every (site, demand) pair within $1 m, with the azimuth from the site to the demand
-- (degrees from true north, clockwise; NULL when they coincide).
SELECT s.id AS site, d.id AS demand,
       CASE WHEN ST_Equals(s.g, d.g) THEN NULL ELSE (degrees(ST_Azimuth(s.g, d.g)) - s.north + 720)::numeric % 360 END::float8 AS az
FROM rec_site s JOIN rec_demand d ON ST_DWithin(s.g, d.g, $1::float8)
ORDER BY s.id, d.id
