-- The incidents of [$1, $2) inside the study area ($3 EWKT), in metres ($4 SRID).
INSERT INTO cov_incident (g)
SELECT ST_Transform(geom, $4::int) FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND ST_Intersects(geom, $3::geometry)
