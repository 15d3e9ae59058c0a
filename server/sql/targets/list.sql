-- Rectification targets with their centre and polygon, days left, the overdue flag
-- ($1: today) and the last evaluation; $2: the townships in scope (NULL: the county), as
-- row-level security does, for the embedded engine.
SELECT id, name, reasons, responsible_unit AS "responsibleUnit", starts_on::text AS "startsOn", deadline::text AS deadline, status,
       ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat,
       (deadline - $1::date) AS "daysLeft",
       (deadline < $1::date AND status IN ('listed', 'in_progress')) AS overdue,
       evaluation, ST_AsGeoJSON(geom, 6)::jsonb AS polygon
FROM rectification_targets
WHERE $2::text[] IS NULL OR township_code = ANY ($2)
ORDER BY overdue DESC, deadline, id
