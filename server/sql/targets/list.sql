-- Rectification targets with their centre, days left and the overdue flag ($1: today).
SELECT id, name, reasons, responsible_unit AS "responsibleUnit", starts_on::text AS "startsOn", deadline::text AS deadline, status,
       ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat,
       (deadline - $1::date) AS "daysLeft",
       (deadline < $1::date AND status IN ('listed', 'in_progress')) AS overdue
FROM rectification_targets
ORDER BY overdue DESC, deadline, id
