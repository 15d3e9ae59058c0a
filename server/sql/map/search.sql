-- Map search over names and identifiers. $1: the query as typed (exact matches of ids and
-- codes); $2: its LIKE-escaped prefix pattern ('q%'); $3: its LIKE-escaped contains pattern
-- ('%q%'); $4: how many results; $5: townships in scope (NULL: the county), as row-level
-- security does, for the embedded engine. Rank 0: an id or code equal to the query; 1: a name
-- or code starting with it; 2: a name containing it. Roads are one result per name: a point
-- on the road near its middle and the box of all its pieces.
WITH hits AS (
  SELECT 'place' AS kind, p.id::text AS id, p.name AS label, concat_ws(' · ', pt.name, a.name) AS sub,
         ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat, NULL::geometry AS box,
         CASE WHEN p.external_id = $1 THEN 0 WHEN p.name ILIKE $2 THEN 1 ELSE 2 END AS rank
  FROM places p JOIN place_types pt ON pt.code = p.place_type LEFT JOIN admin_areas a ON a.code = p.township_code
  WHERE (p.name ILIKE $3 OR p.external_id = $1) AND ($5::text[] IS NULL OR p.township_code = ANY ($5::text[]))
  UNION ALL
  SELECT a.level, a.code::text, a.name,
         concat_ws(' · ', CASE a.level WHEN 'township' THEN '乡镇(街道)' ELSE '村(社区)' END, CASE a.level WHEN 'township' THEN a.code::text ELSE p.name END),
         ST_X(coalesce(a.centre, ST_PointOnSurface(a.geom))), ST_Y(coalesce(a.centre, ST_PointOnSurface(a.geom))), a.geom,
         CASE WHEN a.code = $1 THEN 0 WHEN a.name ILIKE $2 OR a.code::text LIKE $2 THEN 1 ELSE 2 END
  FROM admin_areas a LEFT JOIN admin_areas p ON p.code = a.parent_code
  WHERE a.level IN ('township', 'village') AND (a.name ILIKE $3 OR a.code::text LIKE $2) AND coalesce(a.centre, a.geom) IS NOT NULL
  UNION ALL
  SELECT 'grid', g.code, g.name, concat_ws(' · ', '网格', g.code, a.name),
         ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)), g.geom,
         CASE WHEN g.code = $1 THEN 0 WHEN g.name ILIKE $2 OR g.code ILIKE $2 THEN 1 ELSE 2 END
  FROM grids g LEFT JOIN admin_areas a ON a.code = g.township_code
  WHERE (g.name ILIKE $3 OR g.code ILIKE $2) AND ($5::text[] IS NULL OR g.township_code = ANY ($5::text[]))
  UNION ALL
  SELECT 'camera', c.id::text, c.name, concat_ws(' · ', '摄像机', coalesce(c.gb_id, c.external_id), a.name),
         ST_X(c.geom), ST_Y(c.geom), NULL::geometry,
         CASE WHEN c.gb_id = $1 OR c.external_id = $1 THEN 0 WHEN c.name ILIKE $2 OR c.gb_id LIKE $2 OR c.external_id ILIKE $2 THEN 1 ELSE 2 END
  FROM cameras c LEFT JOIN admin_areas a ON a.code = c.township_code
  WHERE (c.name ILIKE $3 OR c.gb_id LIKE $2 OR c.external_id ILIKE $2) AND ($5::text[] IS NULL OR c.township_code = ANY ($5::text[]))
  UNION ALL
  SELECT 'road', min(r.id)::text, r.name, concat_ws(' · ', '道路', min(rc.name)),
         ST_X(ST_ClosestPoint(ST_Collect(r.geom), ST_Centroid(ST_Collect(r.geom)))), ST_Y(ST_ClosestPoint(ST_Collect(r.geom), ST_Centroid(ST_Collect(r.geom)))),
         ST_Envelope(ST_Collect(r.geom)),
         CASE WHEN r.name ILIKE $2 THEN 1 ELSE 2 END
  FROM roads r JOIN road_classes rc ON rc.code = r.road_class
  WHERE r.name ILIKE $3
  GROUP BY r.name
  UNION ALL
  SELECT 'target', t.id::text, t.name, concat_ws(' · ', '整治目标', a.name),
         ST_X(ST_PointOnSurface(t.geom)), ST_Y(ST_PointOnSurface(t.geom)), t.geom,
         CASE WHEN t.name ILIKE $2 THEN 1 ELSE 2 END
  FROM rectification_targets t LEFT JOIN admin_areas a ON a.code = t.township_code
  WHERE t.name ILIKE $3 AND ($5::text[] IS NULL OR t.township_code = ANY ($5::text[]))
  UNION ALL
  SELECT 'hazard', h.id::text, h.name, concat_ws(' · ', ht.name, a.name),
         ST_X(ST_PointOnSurface(h.geom)), ST_Y(ST_PointOnSurface(h.geom)), CASE WHEN GeometryType(h.geom) <> 'POINT' THEN h.geom END,
         CASE WHEN h.external_id = $1 THEN 0 WHEN h.name ILIKE $2 THEN 1 ELSE 2 END
  FROM hazards h JOIN hazard_types ht ON ht.code = h.hazard_type LEFT JOIN admin_areas a ON a.code = h.township_code
  WHERE (h.name ILIKE $3 OR h.external_id = $1) AND ($5::text[] IS NULL OR h.township_code = ANY ($5::text[]))
)
SELECT kind, id, label, sub, lon, lat,
       CASE WHEN box IS NOT NULL THEN ST_XMin(box) END AS w, CASE WHEN box IS NOT NULL THEN ST_YMin(box) END AS s,
       CASE WHEN box IS NOT NULL THEN ST_XMax(box) END AS e, CASE WHEN box IS NOT NULL THEN ST_YMax(box) END AS n
FROM hits
ORDER BY rank, length(label), label, kind, id
LIMIT $4::int
