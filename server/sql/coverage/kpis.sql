-- The register KPIs for the whole register ($1 NULL) or the cameras inside a study area
-- ($1 EWKT): counts per township (as the register records it), per owner, and overall.
-- `complete`: none of the required fields missing (the CTE `missing` is prepended from
-- audit-missing-fields.sql).
cam AS (
  SELECT c.id, c.township_code, coalesce(nullif(trim(c.owner), ''), '(未填写)') AS owner, c.status, c.networked, c.smart,
         coalesce(cardinality(m.missing), 0) = 0 AS complete
  FROM cameras c LEFT JOIN missing m ON m.camera_id = c.id
  WHERE $1::geometry IS NULL OR ST_Intersects(c.geom, $1::geometry)
)
SELECT CASE WHEN GROUPING(cam.township_code) = 0 THEN 'township' WHEN GROUPING(cam.owner) = 0 THEN 'owner' ELSE 'all' END AS level,
       cam.township_code AS "townshipCode", cam.owner,
       count(*)::int AS total,
       (count(*) FILTER (WHERE cam.status = 'online'))::int AS online,
       (count(*) FILTER (WHERE cam.status IN ('online', 'offline')))::int AS working,
       (count(*) FILTER (WHERE cam.networked))::int AS networked,
       (count(*) FILTER (WHERE cam.smart))::int AS smart,
       (count(*) FILTER (WHERE cam.complete))::int AS complete
FROM cam
GROUP BY GROUPING SETS ((), (cam.township_code), (cam.owner))
