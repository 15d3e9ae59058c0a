-- Moves simulated incidents (external id 'sim-…') along 受理 → 流转 → 处置 → 办结 up to the
-- clock $1. Each incident's step times are a function of its external id alone, so the
-- state at any clock is the same however often this runs: dispatched 5–29 min after it
-- occurred, handled 10–59 min later, closed 30 min–8 h after that; about 7 in 100 are not
-- closed within 24 hours and are put under supervision (督办) at 24 h, then closed 0–47 h
-- later. Writes the history rows of every step passed and the incident's new status, and
-- returns the steps taken (for the live events).
WITH open AS (
  SELECT id, occurred_at, status, township_code, category_code, severity, external_id,
         abs(hashtext(external_id)::bigint) AS h
  FROM incidents
  WHERE external_id LIKE 'sim-%' AND status <> 'closed'
    AND occurred_at > $1::timestamptz - interval '5 days' AND occurred_at <= $1::timestamptz
), plan AS (
  SELECT o.*, d.t_dispatched, d.t_dispatched + make_interval(mins => (10 + (h / 31) % 50)::int) AS t_handling, (h / 1553) % 100 < 7 AS overdue
  FROM open o, LATERAL (SELECT o.occurred_at + make_interval(mins => (5 + h % 25)::int) AS t_dispatched) d
), steps AS (
  SELECT p.id, p.occurred_at, p.township_code, p.category_code, p.severity, p.status AS was, s.status, s.rank, s.at
  FROM plan p
  CROSS JOIN LATERAL (VALUES
    ('dispatched', 1, p.t_dispatched),
    ('handling', 2, p.t_handling),
    ('supervised', 3, CASE WHEN p.overdue THEN p.occurred_at + interval '24 hours' END),
    ('closed', 4, CASE WHEN p.overdue THEN p.occurred_at + interval '24 hours' + make_interval(hours => ((p.h / 7919) % 48)::int)
                       ELSE p.t_handling + make_interval(mins => (30 + (p.h / 101) % 450)::int) END)
  ) AS s(status, rank, at)
  WHERE s.at IS NOT NULL AND s.at <= $1::timestamptz
    AND s.rank > CASE p.status WHEN 'received' THEN 0 WHEN 'dispatched' THEN 1 WHEN 'handling' THEN 2 WHEN 'supervised' THEN 3 ELSE 4 END
), history AS (
  INSERT INTO incident_status_history (incident_id, incident_occurred_at, status, changed_at, actor, township_code)
  SELECT id, occurred_at, status, at, 'system:simulator', township_code FROM steps
), latest AS (
  SELECT DISTINCT ON (id) id, occurred_at, status FROM steps ORDER BY id, rank DESC
), moved AS (
  UPDATE incidents i SET status = l.status FROM latest l
  WHERE i.id = l.id AND i.occurred_at = l.occurred_at
)
SELECT id::text AS id, occurred_at, township_code, category_code, severity, was, status, at FROM steps ORDER BY at;
