-- The handling steps of one incident (受理, 流转, 处置, 办结, 督办), oldest first.
-- $1: incident id; $2: its occurrence time (the history's foreign key).
SELECT status, changed_at, actor, note
FROM incident_status_history
WHERE incident_id = $1::bigint AND incident_occurred_at = $2::timestamptz
ORDER BY changed_at, id
