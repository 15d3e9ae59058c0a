-- Incidents, assigned to the grid cell they lie in and its township (via the subdivided
-- lookup tables of incidents-lookups.sql; the township polygons only where no grid is).
INSERT INTO incidents (external_id, occurred_at, category_code, source, severity, status, summary, township_code, grid_code, geom, source_crs)
SELECT s.external_id, s.time, s.category, s.source, s.severity, s.status, s.summary,
       coalesce(g.township_code, (SELECT t.code FROM import_township_parts t WHERE g.code IS NULL AND ST_Intersects(t.geom, s.geom) LIMIT 1)),
       g.code, s.geom, s.source_crs
FROM import_stage s
LEFT JOIN LATERAL (SELECT p.code, p.township_code FROM import_grid_parts p WHERE ST_Intersects(p.geom, s.geom) LIMIT 1) g ON true
ON CONFLICT (external_id, occurred_at) DO UPDATE SET
  category_code = excluded.category_code, source = excluded.source, severity = excluded.severity, status = excluded.status,
  summary = excluded.summary, township_code = excluded.township_code, grid_code = excluded.grid_code, geom = excluded.geom, source_crs = excluded.source_crs
