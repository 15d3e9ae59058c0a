-- Incidents, assigned to the township and grid cell they lie in (via the subdivided
-- lookup tables of incidents-lookups.sql).
INSERT INTO incidents (external_id, occurred_at, category_code, source, severity, status, summary, township_code, grid_code, geom, source_crs)
SELECT s.external_id, s.time, s.category, s.source, s.severity, s.status, s.summary,
       (SELECT t.code FROM import_township_parts t WHERE ST_Intersects(t.geom, s.geom) LIMIT 1),
       (SELECT g.code FROM import_grid_parts g WHERE ST_Intersects(g.geom, s.geom) LIMIT 1),
       s.geom, s.source_crs
FROM import_stage s
ON CONFLICT (external_id, occurred_at) DO UPDATE SET
  category_code = excluded.category_code, source = excluded.source, severity = excluded.severity, status = excluded.status,
  summary = excluded.summary, township_code = excluded.township_code, grid_code = excluded.grid_code, geom = excluded.geom, source_crs = excluded.source_crs
