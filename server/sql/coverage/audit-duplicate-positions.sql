-- Pairs of cameras recorded within $1 metres of each other (geodesic distance on the
-- spheroid). Candidates come from the geometry index through a box of $2 degrees, which the
-- caller makes wider than $1 metres in every direction. audit_positions is the visible
-- cameras copied into an indexed temporary table by the caller: under row-level security
-- the planner may not probe cameras' own spatial index ahead of the policy (PostGIS's
-- operators are not LEAKPROOF), which made this self-join 1.6 s instead of 0.05 s.
SELECT a.id AS a, b.id AS b, ST_Distance(a.geom::geography, b.geom::geography)::float8 AS "distanceM"
FROM audit_positions a
JOIN audit_positions b ON b.id > a.id AND b.geom && ST_Expand(a.geom, $2::float8)
WHERE ST_DWithin(a.geom::geography, b.geom::geography, $1::float8)
ORDER BY a.id, b.id
