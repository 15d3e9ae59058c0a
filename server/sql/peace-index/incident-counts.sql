-- Incident counts per township for each incident-based indicator, in the current period
-- [$2, $3) and the previous one [$1, $2). The indicators come as parallel arrays, one
-- element each: $4 category (a code; a parent takes its children, NULL: any) and $5
-- source (NULL: any). "closed" counts those whose status is 办结 (closed).
-- The incidents are grouped once; the indicators are matched against the groups.
WITH grouped AS (
  SELECT township_code, category_code, source, status = 'closed' AS closed,
         occurred_at >= $2::timestamptz AS current, count(*) AS n
  FROM incidents
  WHERE occurred_at >= $1::timestamptz AND occurred_at < $3::timestamptz AND township_code IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5
),
spec AS (
  SELECT k::int AS k, category, source FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS s(category, source, k)
)
SELECT t.code, s.k, p.current,
       coalesce(sum(g.n), 0)::int AS total,
       coalesce(sum(g.n) FILTER (WHERE g.closed), 0)::int AS closed
FROM admin_areas t
CROSS JOIN spec s
CROSS JOIN (VALUES (true), (false)) AS p(current)
LEFT JOIN grouped g ON g.township_code = t.code AND g.current = p.current
  AND (s.category IS NULL OR g.category_code = s.category OR left(g.category_code, length(s.category) + 1) = s.category || '.')
  AND (s.source IS NULL OR g.source = s.source)
WHERE t.level = 'township'
GROUP BY t.code, s.k, p.current
ORDER BY t.code, s.k, p.current
