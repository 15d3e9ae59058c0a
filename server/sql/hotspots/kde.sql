-- Quartic (biweight) kernel density at every cell centroid of hotspot_cells, from the
-- points of hotspot_points selected by $2 (a time window start, inclusive) and $3 (end,
-- exclusive), each weighted by $4: 0 = weight 1, else exp(-age_days / $4) with age
-- measured back from $3 (recency weighting).
-- $1: bandwidth h in metres; $5: metric SRID. Density in points per km²:
-- K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h.
WITH pts AS (
  SELECT ST_Transform(geom, $5::int) AS g,
         CASE WHEN $4::float8 = 0 THEN 1.0
              ELSE exp(-extract(epoch FROM ($3::timestamptz - t)) / 86400.0 / $4::float8) END AS w
  FROM hotspot_points
  WHERE t >= $2::timestamptz AND t < $3::timestamptz
)
SELECT c.id,
       coalesce(sum(p.w * 3.0 / (pi() * $1::float8 * $1::float8) * (1 - ST_Distance(c.pt, p.g) ^ 2 / ($1::float8 * $1::float8)) ^ 2), 0) * 1e6 AS density
FROM hotspot_cells c
LEFT JOIN pts p ON ST_DWithin(c.pt, p.g, $1::float8)
GROUP BY c.id
ORDER BY c.id
