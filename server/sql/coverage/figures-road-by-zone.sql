-- Road length, nominal and effective covered length per zone ($1: 'township' or 'grid')
-- and road class, in metres.
SELECT z.code, r.road_class AS "roadClass",
       sum(CASE WHEN ST_Within(r.g, z.g) THEN r.len ELSE ST_Length(ST_Intersection(r.g, z.g)) END)::float8 AS "totalM",
       sum(CASE WHEN r.nom_len = 0 THEN 0 WHEN ST_Within(r.g, z.g) THEN r.nom_len ELSE ST_Length(ST_Intersection(r.c_nom, z.g)) END)::float8 AS "nominalM",
       sum(CASE WHEN r.eff_len = 0 THEN 0 WHEN ST_Within(r.g, z.g) THEN r.eff_len ELSE ST_Length(ST_Intersection(r.c_eff, z.g)) END)::float8 AS "effectiveM"
FROM cov_road r
JOIN cov_zone z ON z.kind = $1 AND z.g && r.g AND ST_Intersects(r.g, z.g)
GROUP BY z.code, r.road_class
