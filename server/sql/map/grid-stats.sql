-- Per management grid in scope: incidents of [$1, $2) in the categories $3 (a parent takes its
-- children; empty: all), the open grid-reported events among them (source 'grid', not closed),
-- residents, households, the rate per 1,000 residents and the grid worker. $4: townships in
-- scope (NULL: the county), as row-level security does, for the embedded engine.
WITH counts AS (
  SELECT grid_code, count(*)::int AS incidents, (count(*) FILTER (WHERE source = 'grid' AND status <> 'closed'))::int AS open_events
  FROM incidents
  WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz AND grid_code IS NOT NULL
    AND (cardinality($3::text[]) = 0 OR category_code = ANY (SELECT code FROM incident_categories WHERE code = ANY ($3::text[]) OR parent_code = ANY ($3::text[])))
    AND ($4::text[] IS NULL OR township_code = ANY ($4::text[]))
  GROUP BY grid_code
)
SELECT g.code, g.name, coalesce(c.incidents, 0) AS incidents, coalesce(c.open_events, 0) AS open_events,
       g.population, g.households,
       CASE WHEN coalesce(g.population, 0) > 0 THEN round((1000.0 * coalesce(c.incidents, 0) / g.population)::numeric, 3)::float8 END AS rate_per_1000,
       g.worker_name, g.worker_phone
FROM grids g
LEFT JOIN counts c ON c.grid_code = g.code
WHERE $4::text[] IS NULL OR g.township_code = ANY ($4::text[])
ORDER BY g.code
