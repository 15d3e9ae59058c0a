-- $1 the study area (EWKT, EPSG:4326), $2 the metric SRID.
INSERT INTO cov_scope (g)
SELECT ST_Subdivide(ST_Transform(ST_Force2D($1::geometry), $2::int), 64)
