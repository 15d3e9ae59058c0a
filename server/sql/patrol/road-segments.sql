-- Road segments (consecutive vertex pairs) within $4 metres of the point ($2, $3) of the
-- metric SRID $1: both ends in metres and in WGS-84. At most $5 rows. The search box is
-- brought to WGS-84 once, so the roads' own index serves the filter.
WITH box AS (
  SELECT ST_Transform(ST_Expand(ST_SetSRID(ST_MakePoint($2::float8, $3::float8), $1::int), $4::float8), 4326) AS g
),
seg AS (
  SELECT (ST_DumpSegments(r.geom)).geom AS s
  FROM roads r, box
  WHERE r.geom && box.g
)
SELECT ST_X(m1) AS x1, ST_Y(m1) AS y1, ST_X(m2) AS x2, ST_Y(m2) AS y2,
       ST_X(ST_StartPoint(s)) AS lon1, ST_Y(ST_StartPoint(s)) AS lat1, ST_X(ST_EndPoint(s)) AS lon2, ST_Y(ST_EndPoint(s)) AS lat2
FROM seg, LATERAL (SELECT ST_Transform(ST_StartPoint(s), $1::int) AS m1, ST_Transform(ST_EndPoint(s), $1::int) AS m2) p
LIMIT $5
