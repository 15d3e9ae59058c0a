-- Each demand unit's incidents of the hotspot window within $1 m.
UPDATE rec_demand d SET incidents = k.n
FROM (SELECT d.id, count(*)::int AS n FROM rec_demand d JOIN cov_incident i ON ST_DWithin(i.g, d.g, $1::float8) GROUP BY d.id) k
WHERE k.id = d.id
