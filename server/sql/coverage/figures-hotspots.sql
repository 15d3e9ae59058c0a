-- Per hotspot cell (cov_hot): its township (the one holding the cell's centre), its
-- incidents and how many of them lie in a view, nominal and effective.
WITH eff AS (
  SELECT h.id, h.g, EXISTS (SELECT 1 FROM cov_view v WHERE v.eff AND ST_Intersects(v.g, h.g)) AS eff
  FROM cov_hot_incident h
),
seen AS (  -- seen by an effective view, or else by one of the (few) others
  SELECT e.id, e.eff, e.eff OR EXISTS (SELECT 1 FROM cov_view v WHERE NOT v.eff AND ST_Intersects(v.g, e.g)) AS nom
  FROM eff e
),
agg AS (
  SELECT id, count(*)::int AS n, (count(*) FILTER (WHERE nom))::int AS nom, (count(*) FILTER (WHERE eff))::int AS eff FROM seen GROUP BY id
)
SELECT cell.id, cell.class,
       (SELECT a.code FROM admin_areas a WHERE a.level = 'township' AND ST_Intersects(a.geom, ST_Centroid(cell.geom)) LIMIT 1) AS "townshipCode",
       ST_AsGeoJSON(cell.geom, 6)::json AS geometry,
       coalesce(agg.n, 0) AS incidents, coalesce(agg.nom, 0) AS "nominalIncidents", coalesce(agg.eff, 0) AS "effectiveIncidents"
FROM cov_hot cell LEFT JOIN agg ON agg.id = cell.id
