-- Handling progress: today's incidents per status, the open ones past their 24-hour limit
-- or under supervision (督办), and today's major incidents against the four-hour reporting
-- rule (reported = reached 流转, the step that passes it up). $1 today's midnight, $2 now.
WITH today AS (
  SELECT status, count(*)::int AS n FROM incidents WHERE occurred_at >= $1::timestamptz AND occurred_at < $2::timestamptz GROUP BY status
), overdue AS (
  SELECT i.id::text AS id, i.occurred_at, c.name AS category, t.name AS township, i.status, i.summary
  FROM incidents i JOIN incident_categories c ON c.code = i.category_code LEFT JOIN admin_areas t ON t.code = i.township_code
  WHERE i.occurred_at >= $2::timestamptz - interval '7 days' AND i.occurred_at < $2::timestamptz
    AND (i.status = 'supervised' OR (i.status <> 'closed' AND i.occurred_at < $2::timestamptz - interval '24 hours'))
  ORDER BY i.occurred_at LIMIT 50
), major AS (
  SELECT i.id::text AS id, i.occurred_at, c.name AS category, t.name AS township, i.status,
         (SELECT min(h.changed_at) FROM incident_status_history h
           WHERE h.incident_id = i.id AND h.incident_occurred_at = i.occurred_at AND h.status <> 'received') AS reported_at
  FROM incidents i JOIN incident_categories c ON c.code = i.category_code LEFT JOIN admin_areas t ON t.code = i.township_code
  WHERE i.severity = 'major' AND i.occurred_at >= $2::timestamptz - interval '24 hours' AND i.occurred_at < $2::timestamptz
  ORDER BY i.occurred_at DESC LIMIT 20
)
SELECT (SELECT coalesce(json_object_agg(status, n), '{}'::json) FROM today) AS statuses,
       (SELECT count(*)::int FROM incidents i WHERE i.occurred_at >= $2::timestamptz - interval '7 days' AND i.occurred_at < $2::timestamptz
          AND (i.status = 'supervised' OR (i.status <> 'closed' AND i.occurred_at < $2::timestamptz - interval '24 hours'))) AS overdue_count,
       (SELECT coalesce(json_agg(overdue), '[]'::json) FROM overdue) AS overdue,
       (SELECT coalesce(json_agg(major), '[]'::json) FROM major) AS major;
