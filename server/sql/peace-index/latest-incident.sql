-- The time of the latest incident: the default period ends on its day.
SELECT max(occurred_at) AS latest FROM incidents
