-- New incidents at given points and times (the simulator, `cli simulate`, the live feed's
-- tests). Each takes the township and grid it falls in; a point outside every grid keeps
-- the codes given ($9, $10, the template the simulator resampled). The status starts at
-- 受理 (received) with its first history row. Already present (same external id and time):
-- skipped, so a simulated minute written twice is written once.
WITH input AS (
  SELECT e AS external_id, t AS occurred_at, c AS category_code, s AS source, v AS severity, m AS summary,
         ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom, tw AS township_given, g AS grid_given
  FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::text[], $10::text[])
       AS u(e, t, c, s, v, m, x, y, tw, g)
), placed AS (
  SELECT i.*, gr.code AS grid_code, gr.township_code
  FROM input i
  LEFT JOIN LATERAL (SELECT code, township_code FROM grids WHERE ST_Intersects(grids.geom, i.geom) ORDER BY code LIMIT 1) gr ON true
), added AS (
  INSERT INTO incidents (external_id, occurred_at, category_code, source, severity, status, summary, township_code, grid_code, geom)
  SELECT external_id, occurred_at, category_code, source, severity, 'received', summary,
         coalesce(township_code, township_given), coalesce(grid_code, grid_given), geom
  FROM placed
  ON CONFLICT DO NOTHING
  RETURNING id, occurred_at, external_id, category_code, severity, source, summary, township_code, grid_code, geom
), history AS (
  INSERT INTO incident_status_history (incident_id, incident_occurred_at, status, changed_at, actor, township_code)
  SELECT id, occurred_at, 'received', occurred_at, 'system:simulator', township_code FROM added
)
SELECT a.id::text AS id, a.occurred_at, a.external_id, a.category_code, c.name AS category_name, a.severity, a.source, a.summary,
       a.township_code, t.name AS township_name, a.grid_code, ST_X(a.geom) AS lon, ST_Y(a.geom) AS lat
FROM added a
JOIN incident_categories c ON c.code = a.category_code
LEFT JOIN admin_areas t ON t.code = a.township_code
ORDER BY a.occurred_at;
