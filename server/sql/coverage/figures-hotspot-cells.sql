-- Gi* hotspot cells ($1: JSON array of {id, class, geometry (GeoJSON, EPSG:4326)}) that
-- touch the study area ($2 EWKT), with their incidents in [$3, $4) and each incident's
-- position in metres ($5 SRID).
WITH cell AS (
  SELECT (x ->> 'id')::int AS id, x ->> 'class' AS class, ST_SetSRID(ST_GeomFromGeoJSON(x ->> 'geometry'), 4326) AS geom
  FROM jsonb_array_elements($1::jsonb) x
),
kept AS (
  INSERT INTO cov_hot (id, class, geom, g) SELECT id, class, geom, ST_Transform(geom, $5::int) FROM cell WHERE ST_Intersects(geom, $2::geometry)
  RETURNING id, geom
)
INSERT INTO cov_hot_incident (id, g)
SELECT kept.id, ST_Transform(i.geom, $5::int)
FROM kept JOIN incidents i ON ST_Intersects(i.geom, kept.geom)
WHERE i.occurred_at >= $3 AND i.occurred_at < $4
