-- Handling history for every incident, derived from its current status: 受理 a few
-- minutes after it occurred, 流转 within the hour, 处置 within hours, 办结 within days,
-- and 督办 once overdue. Intervals vary per incident but deterministically (from its id).
WITH steps AS (
  SELECT i.id, i.occurred_at, i.township_code, i.status, i.severity, s.step, s.status AS step_status,
         (i.id * 2654435761) % 1000 / 1000.0 AS u
  FROM incidents i
  CROSS JOIN (VALUES (1, 'received'), (2, 'dispatched'), (3, 'handling'), (4, 'closed'), (5, 'supervised')) AS s(step, status)
)
INSERT INTO incident_status_history (incident_id, incident_occurred_at, township_code, status, changed_at, actor)
SELECT id, occurred_at, township_code, step_status,
       occurred_at + CASE step
         WHEN 1 THEN make_interval(mins => 2 + (u * 20)::int)
         WHEN 2 THEN make_interval(mins => 25 + (u * 60)::int)
         WHEN 3 THEN make_interval(mins => 90 + (u * 600)::int)
         WHEN 4 THEN make_interval(hours => 12 + (u * 120)::int)
         ELSE make_interval(days => 7 + (u * 20)::int)
       END,
       CASE step WHEN 1 THEN CASE WHEN u < 0.5 THEN '110指挥中心' ELSE '县综治中心' END
                 WHEN 5 THEN '县综治中心' ELSE '责任单位' END
FROM steps
WHERE step <= CASE status WHEN 'received' THEN 1 WHEN 'dispatched' THEN 2 WHEN 'handling' THEN 3 WHEN 'closed' THEN 4 ELSE 3 END
   OR (step = 5 AND status = 'supervised');
