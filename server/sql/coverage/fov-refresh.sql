-- Rebuilds the cached view of every camera whose inputs changed since its view was built
-- (position, azimuth, FOV, range, type), whose view was built under other rules ($2) or
-- in another metric projection ($1), or that has no view yet. $3: range factor per type
-- (jsonb), $4: arc step in degrees, $5: cut views by the shadows of high-rises in the way
-- (footprints that do not hold the camera). Returns the number of views built.
WITH stale AS MATERIALIZED (  -- filtered first: the views below are drawn for stale cameras only
  SELECT c.id, c.geom, c.azimuth_deg, c.fov_deg, c.range_m, c.camera_type
  FROM cameras c
  LEFT JOIN camera_fov f ON f.camera_id = c.id
  WHERE f.camera_id IS NULL OR f.srid <> $1 OR f.rules_version <> $2
     OR NOT (f.src_geom ~= c.geom)
     OR f.src_azimuth_deg IS DISTINCT FROM c.azimuth_deg OR f.src_fov_deg IS DISTINCT FROM c.fov_deg
     OR f.src_range_m IS DISTINCT FROM c.range_m OR f.src_camera_type <> c.camera_type
),
typed AS (
  SELECT s.*,
         CASE WHEN s.range_m IS NULL THEN 'unknown'
              WHEN s.camera_type <> 'fixed' OR s.fov_deg >= 360 THEN 'circle'
              WHEN s.azimuth_deg IS NULL OR s.fov_deg IS NULL THEN 'unknown'
              ELSE 'sector' END AS kind,
         s.range_m * ($3::jsonb ->> s.camera_type)::float8 AS eff_range
  FROM stale s
),
drawn AS MATERIALIZED (  -- computed once per camera (an inlined CTE would repeat fov_polygon at every reference)
  SELECT t.*, CASE t.kind WHEN 'sector' THEN fov_polygon(t.geom, t.azimuth_deg, t.fov_deg, t.eff_range, $4)
                          WHEN 'circle' THEN fov_polygon(t.geom, 0, 360, t.eff_range, $4) END AS drawn_view
  FROM typed t
),
built AS (
  SELECT d.*, coalesce(o.n, 0) AS occluders,
         CASE WHEN d.drawn_view IS NULL THEN NULL
              WHEN coalesce(o.n, 0) = 0 THEN ST_Multi(d.drawn_view)
              ELSE ST_Multi(ST_CollectionExtract(ST_Difference(d.drawn_view, o.shadow), 3)) END AS view
  FROM drawn d
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS n, ST_Union(building_shadow(d.geom, h.footprint, 2 * d.eff_range)) AS shadow
    FROM high_rises h
    WHERE $5::boolean AND d.drawn_view IS NOT NULL AND h.footprint IS NOT NULL
      AND h.footprint && d.drawn_view AND ST_Intersects(h.footprint, d.drawn_view)
      AND NOT ST_DWithin(h.footprint::geography, d.geom::geography, 1)
  ) o ON true
),
upserted AS (
  INSERT INTO camera_fov (camera_id, src_geom, src_azimuth_deg, src_fov_deg, src_range_m, src_camera_type, rules_version, srid, kind, effective_range_m, geom, geom_m, occluders, built_at)
  SELECT id, geom, azimuth_deg, fov_deg, range_m, camera_type, $2, $1, kind,
         CASE WHEN kind = 'unknown' THEN NULL ELSE eff_range END, view, ST_Transform(view, $1::int), occluders, now()
  FROM built
  ON CONFLICT (camera_id) DO UPDATE SET
    src_geom = EXCLUDED.src_geom, src_azimuth_deg = EXCLUDED.src_azimuth_deg, src_fov_deg = EXCLUDED.src_fov_deg,
    src_range_m = EXCLUDED.src_range_m, src_camera_type = EXCLUDED.src_camera_type, rules_version = EXCLUDED.rules_version,
    srid = EXCLUDED.srid, kind = EXCLUDED.kind, effective_range_m = EXCLUDED.effective_range_m, geom = EXCLUDED.geom,
    geom_m = EXCLUDED.geom_m, occluders = EXCLUDED.occluders, built_at = EXCLUDED.built_at
  RETURNING 1
)
SELECT count(*)::int AS built FROM upserted
