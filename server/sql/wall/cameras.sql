-- Camera 在线率 now and per hour of today, measured from the status history: the share of
-- camera-time spent online in each hour up to now ($1 today's midnight, $2 now); and the
-- effective share of the nominal view area (online cameras' views over all views). A camera
-- counts from its first history row on; one without any history counts with its current
-- status throughout.
WITH spans AS (
  SELECT h.camera_id, h.status, h.changed_at AS s,
         coalesce(lead(h.changed_at) OVER (PARTITION BY h.camera_id ORDER BY h.changed_at, h.id), $2::timestamptz) AS e
  FROM camera_status_history h
  WHERE h.changed_at < $2::timestamptz
  UNION ALL
  -- a camera without history (loaded by an import or the seed) has had its status all along
  SELECT c.id, c.status, '-infinity'::timestamptz, $2::timestamptz FROM cameras c
  WHERE NOT EXISTS (SELECT 1 FROM camera_status_history h WHERE h.camera_id = c.id)
), hours AS (
  SELECT g AS hs, least(g + interval '1 hour', $2::timestamptz) AS he
  FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 second', interval '1 hour') g
), per_hour AS (
  SELECT hs,
         sum(extract(epoch FROM least(e, he) - greatest(s, hs))) FILTER (WHERE status = 'online') AS online_s,
         sum(extract(epoch FROM least(e, he) - greatest(s, hs))) AS all_s
  FROM hours JOIN spans ON spans.s < hours.he AND spans.e > hours.hs
  GROUP BY hs
)
SELECT (SELECT count(*)::int FROM cameras) AS total,
       (SELECT count(*)::int FROM cameras WHERE status = 'online') AS online,
       (SELECT count(*)::int FROM cameras WHERE status = 'faulty') AS faulty,
       (SELECT coalesce(sum(ST_Area(f.geom_m)) FILTER (WHERE c.status = 'online') / nullif(sum(ST_Area(f.geom_m)), 0), 0)
          FROM camera_fov f JOIN cameras c ON c.id = f.camera_id) AS effective_view,
       (SELECT coalesce(json_agg(json_build_object('hour', extract(hour FROM (hs AT TIME ZONE 'UTC') + interval '8 hours')::int, 'rate', online_s / nullif(all_s, 0)) ORDER BY hs), '[]'::json) FROM per_hour) AS hours;
