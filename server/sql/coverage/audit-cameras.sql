-- The camera register as the audit reads it: one row per camera with the fields the rules
-- check, its township's name, and where it lies against the county boundary (all
-- admin_areas rows of level 'county'). inside_county is NULL when no county boundary is
-- loaded; outside_m is the geodesic distance to the boundary for a camera outside it.
WITH county AS (
  SELECT ST_Union(geom) AS geom FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL
)
SELECT c.id,
       c.external_id AS "externalId",
       c.gb_id AS "gbId",
       c.name,
       c.owner,
       c.township_code::text AS "townshipCode",
       t.name AS "townshipName",
       ST_X(c.geom)::float8 AS lon,
       ST_Y(c.geom)::float8 AS lat,
       c.camera_type AS "cameraType",
       c.azimuth_deg::float8 AS "azimuthDeg",
       c.fov_deg::float8 AS "fovDeg",
       c.range_m::float8 AS "rangeM",
       c.place_id AS "placeId",
       CASE WHEN county.geom IS NOT NULL THEN ST_Intersects(county.geom, c.geom) END AS "insideCounty",
       CASE WHEN county.geom IS NOT NULL AND NOT ST_Intersects(county.geom, c.geom)
            THEN ST_Distance(county.geom::geography, c.geom::geography)::float8 END AS "outsideM"
FROM cameras c
CROSS JOIN county
LEFT JOIN admin_areas t ON t.code = c.township_code
ORDER BY c.id
