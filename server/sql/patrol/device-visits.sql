-- Visits of every device to every area of the temporary table patrol_areas (id, geom: the
-- area grown by the presence radius, WGS-84) in [$1, $2). A kept fix inside the grown area
-- is presence; per area and device, in time order, a gap up to $4 × the device's fix
-- interval (its latest cleaning report, else $3 s) is still one visit. $5: townships in
-- scope (NULL: the county), for the embedded engine. Fixes meet areas through the grid of
-- patrol_area_cells ($6-degree cells, area-cells.sql): a hash join on the cell key over one
-- scan of the fixes (an index probe per area fetched every hit from the heap at random:
-- 159 s against 20 s for 13 M fixes), the exact test only on the areas' edge cells. Devices
-- are ordered by byte ("C"): a database collation (C.UTF-8 here) compares text by strcoll.
WITH iv AS (
  SELECT DISTINCT ON (device_id) device_id, interval_s
  FROM patrol_cleaning WHERE interval_s IS NOT NULL
  ORDER BY device_id, cleaned_at DESC
),
hits AS (
  SELECT c.area, p.device_id, p.team_id, p.recorded_at AS t
  FROM patrol_track_points p
  JOIN patrol_area_cells c ON c.cell = floor(ST_Y(p.geom) / $6::float8)::bigint * 100000000 + floor(ST_X(p.geom) / $6::float8)::bigint
  LEFT JOIN patrol_areas a ON NOT c.inside AND a.id = c.area
  WHERE p.recorded_at >= $1::timestamptz AND p.recorded_at < $2::timestamptz
    AND ($5::text[] IS NULL OR p.township_code = ANY ($5::text[]))
    AND (c.inside OR ST_Intersects(a.geom, p.geom))
),
marked AS (
  SELECT h.area, h.device_id, h.team_id, h.t,
         CASE WHEN h.t - lag(h.t) OVER w <= make_interval(secs => $4::float8 * coalesce(iv.interval_s, $3::float8)) THEN 0 ELSE 1 END AS brk
  FROM hits h LEFT JOIN iv USING (device_id)
  WINDOW w AS (PARTITION BY h.area, h.device_id COLLATE "C" ORDER BY h.t)
),
numbered AS (
  SELECT area, device_id, team_id, t, sum(brk) OVER (PARTITION BY area, device_id COLLATE "C" ORDER BY t ROWS UNBOUNDED PRECEDING) AS k
  FROM marked
)
SELECT area, device_id COLLATE "C" AS device, min(team_id) AS team_id,
       (extract(epoch FROM min(t)) * 1000)::float8 AS s, (extract(epoch FROM max(t)) * 1000)::float8 AS e, count(*)::int AS fixes
FROM numbered
GROUP BY area, device_id COLLATE "C", k
ORDER BY area, s
