-- The latest incidents before $1 (the live feed), newest first.
SELECT i.id::text AS id, i.occurred_at, i.category_code, c.name AS category, i.severity, i.status, i.summary, t.name AS township,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
FROM incidents i
JOIN incident_categories c ON c.code = i.category_code
LEFT JOIN admin_areas t ON t.code = i.township_code
WHERE i.occurred_at <= $1::timestamptz AND i.occurred_at > $1::timestamptz - interval '7 days'
ORDER BY i.occurred_at DESC
LIMIT 30;
