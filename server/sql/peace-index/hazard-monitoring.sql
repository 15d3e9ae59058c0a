-- Geological hazard points per township (by the point's township code, else by the
-- township polygon containing it) and how many of them have a monitor (群测群防员) named.
SELECT t.code,
       count(h.id)::int AS points,
       count(h.id) FILTER (WHERE nullif(btrim(h.monitor_name), '') IS NOT NULL)::int AS monitored
FROM admin_areas t
LEFT JOIN (
  SELECT h.id, h.monitor_name, h.township_code, h.geom FROM hazards h
  JOIN hazard_types ht ON ht.code = h.hazard_type AND ht.kind = 'geological'
  WHERE GeometryType(h.geom) = 'POINT'
) h ON h.township_code = t.code OR (h.township_code IS NULL AND ST_Intersects(t.geom, h.geom))
WHERE t.level = 'township'
GROUP BY t.code
ORDER BY t.code
