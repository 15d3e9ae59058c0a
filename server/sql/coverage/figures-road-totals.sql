-- Road length, nominal and effective covered length per road class over the study area.
SELECT road_class AS "roadClass", sum(len)::float8 AS "totalM", sum(nom_len)::float8 AS "nominalM", sum(eff_len)::float8 AS "effectiveM"
FROM cov_road GROUP BY road_class
