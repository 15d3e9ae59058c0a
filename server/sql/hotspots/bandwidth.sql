-- The KDE bandwidth by the spatial variant of Silverman's rule (ArcGIS's default):
--   h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(-1/5)
-- SD: standard distance of the points to their mean centre; Dm: median distance to it.
-- Points: hotspot_points with t < $2 (NULL: all), in the metric SRID $1; never below $3
-- (one cell). NULL when there are no points.
WITH p AS (SELECT ST_Transform(geom, $1::int) AS g FROM hotspot_points WHERE $2::timestamptz IS NULL OR t < $2),
     centre AS (SELECT avg(ST_X(g)) AS mx, avg(ST_Y(g)) AS my, count(*) AS n FROM p),
     d AS (SELECT sqrt((ST_X(g) - mx) ^ 2 + (ST_Y(g) - my) ^ 2) AS dist FROM p, centre)
SELECT CASE WHEN count(*) = 0 THEN NULL
            ELSE greatest($3::float8, 0.9 * least(sqrt(avg(dist * dist)), sqrt(1 / ln(2)) * percentile_cont(0.5) WITHIN GROUP (ORDER BY dist)) * power((SELECT n FROM centre), -0.2)) END AS h
FROM d
