-- Quartic (biweight) kernel density at every cell centroid of hotspot_cells from the
-- metric points of hotspot_kde_points (g, w): K(d) = 3 / (π h²) · (1 − d²/h²)² for d < h,
-- each point weighted by w. $1: bandwidth h in metres. Density in points per km².
SELECT c.id,
       coalesce(sum(p.w * 3.0 / (pi() * $1::float8 * $1::float8) * (1 - ST_Distance(c.pt, p.g) ^ 2 / ($1::float8 * $1::float8)) ^ 2), 0) * 1e6 AS density
FROM hotspot_cells c
LEFT JOIN hotspot_kde_points p ON ST_DWithin(c.pt, p.g, $1::float8)
GROUP BY c.id
ORDER BY c.id
