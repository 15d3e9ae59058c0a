-- Visits of every device to every area of the temporary table patrol_areas (id, geom: the
-- area grown by the presence radius, WGS-84, indexed) in [$1, $2). A kept fix inside the
-- grown area is presence; per area and device, in time order, a gap up to $4 × the
-- device's fix interval (its latest cleaning report, else $3 s) is still one visit.
-- $5: townships in scope (NULL: the county), for the embedded engine. The fixes are
-- matched by the fixes' own index (the areas were projected once, when they were made).
WITH iv AS (
  SELECT DISTINCT ON (device_id) device_id, interval_s
  FROM patrol_cleaning WHERE interval_s IS NOT NULL
  ORDER BY device_id, cleaned_at DESC
),
hits AS (
  SELECT a.id AS area, p.device_id, p.team_id, p.recorded_at AS t
  FROM patrol_areas a
  JOIN patrol_track_points p ON ST_Intersects(a.geom, p.geom)
  WHERE p.recorded_at >= $1::timestamptz AND p.recorded_at < $2::timestamptz
    AND ($5::text[] IS NULL OR p.township_code = ANY ($5::text[]))
),
marked AS (
  SELECT h.area, h.device_id, h.team_id, h.t,
         CASE WHEN h.t - lag(h.t) OVER w <= make_interval(secs => $4::float8 * coalesce(iv.interval_s, $3::float8)) THEN 0 ELSE 1 END AS brk
  FROM hits h LEFT JOIN iv USING (device_id)
  WINDOW w AS (PARTITION BY h.area, h.device_id ORDER BY h.t)
),
numbered AS (
  SELECT area, device_id, team_id, t, sum(brk) OVER (PARTITION BY area, device_id ORDER BY t ROWS UNBOUNDED PRECEDING) AS k
  FROM marked
)
SELECT area, device_id AS device, min(team_id) AS team_id,
       (extract(epoch FROM min(t)) * 1000)::float8 AS s, (extract(epoch FROM max(t)) * 1000)::float8 AS e, count(*)::int AS fixes
FROM numbered
GROUP BY area, device_id, k
ORDER BY area, s
