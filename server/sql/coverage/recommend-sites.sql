-- Candidate sites in the study area ($1 EWKT, $2 SRID): planner-drawn sites, key-place
-- entrances and road intersections (nodes where the ends of three or more road pieces
-- meet, snapped to 1 m); sites closer than $3 m to an earlier one are merged (drawn sites
-- first, then entrances, then intersections).
WITH raw AS (
  SELECT 0 AS prio, 'drawn' AS kind, id AS ref_id, name AS label, ST_Transform(geom, $2::int) AS g FROM camera_candidates WHERE ST_Intersects(geom, $1::geometry)
  UNION ALL
  SELECT 1, 'entrance', p.id, p.name, ST_Transform(coalesce(p.entrance, p.geom), $2::int)
  FROM places p JOIN place_types t ON t.code = p.place_type
  WHERE NOT t.is_private AND ST_Intersects(coalesce(p.entrance, p.geom), $1::geometry)
  UNION ALL
  SELECT 2, 'intersection', NULL, NULL, node FROM (
    SELECT ST_SnapToGrid(e, 1) AS node, count(DISTINCT piece) AS n
    FROM (SELECT piece, ST_StartPoint(line) AS e FROM (SELECT piece, (ST_Dump(g)).geom AS line FROM cov_road) a
          UNION ALL SELECT piece, ST_EndPoint(line) FROM (SELECT piece, (ST_Dump(g)).geom AS line FROM cov_road) b) ends
    GROUP BY 1
  ) nodes WHERE n >= 3
),
merged AS (
  SELECT DISTINCT ON (CASE WHEN $3::float8 > 0 THEN ST_SnapToGrid(g, $3::float8) ELSE g END) *
  FROM raw ORDER BY CASE WHEN $3::float8 > 0 THEN ST_SnapToGrid(g, $3::float8) ELSE g END, prio, ref_id
)
INSERT INTO rec_site (kind, ref_id, label, g, geom)
SELECT kind, ref_id, label, g, ST_Transform(g, 4326) FROM merged ORDER BY prio, ref_id, ST_X(g), ST_Y(g)
