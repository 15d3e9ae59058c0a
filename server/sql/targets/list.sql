-- Rectification targets with their centre and polygon, days left, the overdue flag
-- ($1: today) and the last evaluation.
SELECT id, name, reasons, responsible_unit AS "responsibleUnit", starts_on::text AS "startsOn", deadline::text AS deadline, status,
       ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat,
       (deadline - $1::date) AS "daysLeft",
       (deadline < $1::date AND status IN ('listed', 'in_progress')) AS overdue,
       evaluation, ST_AsGeoJSON(geom, 6)::jsonb AS polygon
FROM rectification_targets
ORDER BY overdue DESC, deadline, id
