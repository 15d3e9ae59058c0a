-- (Re)fills hotspot_kde_points (created by the caller) with the metric positions of the
-- points of hotspot_points in [$2, $3), each weighted by $4: 0 = weight 1, else
-- exp(−age_days / $4) with the age measured back from $3 (recency weighting). $1: metric SRID.
INSERT INTO hotspot_kde_points (g, w)
SELECT ST_Transform(geom, $1::int),
       CASE WHEN $4::float8 = 0 THEN 1.0 ELSE exp(-extract(epoch FROM ($3::timestamptz - t)) / 86400.0 / $4::float8) END
FROM hotspot_points
WHERE ($2::timestamptz IS NULL OR t >= $2) AND ($3::timestamptz IS NULL OR t < $3)
