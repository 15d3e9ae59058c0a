-- Occlusion: a view is cut by the shadows of the buildings in the way (high-rises with a
-- footprint), so a cached view may be several polygons; `occluders` counts the buildings
-- that cut it.
ALTER TABLE camera_fov ALTER COLUMN geom TYPE geometry(MultiPolygon, 4326) USING ST_Multi(geom);
ALTER TABLE camera_fov ALTER COLUMN geom_m TYPE geometry(MultiPolygon) USING ST_Multi(geom_m);
ALTER TABLE camera_fov ADD COLUMN IF NOT EXISTS occluders integer NOT NULL DEFAULT 0;

-- The ground a building hides from a camera: the convex hull of the building's footprint
-- (its convex hull) and of each hull vertex pushed away from the camera, along the line from
-- the camera, by `beyond_m` metres (geodesic). Meant for footprints that do not hold the camera.
CREATE OR REPLACE FUNCTION building_shadow(cam geometry, footprint geometry, beyond_m float8)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ST_ConvexHull(ST_Collect(g))
  FROM (
    SELECT ST_ConvexHull(footprint) AS g
    UNION ALL
    SELECT ST_Project(cam::geography, ST_Distance(cam::geography, (d).geom::geography) + beyond_m,
                      ST_Azimuth(cam::geography, (d).geom::geography))::geometry
    FROM ST_DumpPoints(ST_ConvexHull(footprint)) AS d
  ) parts
$$;

CREATE INDEX IF NOT EXISTS high_rises_footprint_idx ON high_rises USING gist (footprint);

-- A cached view depends on the high-rises around it: when a footprint appears, moves or
-- goes, the views it touches (and every view already cut by some building, whose cut may
-- have come from this one) are dropped from the cache, so the next refresh rebuilds them.
CREATE OR REPLACE FUNCTION camera_fov_forget_occluded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.footprint IS NOT DISTINCT FROM OLD.footprint THEN
    RETURN NULL;  -- a re-import that leaves the footprint as it was
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.footprint IS NOT NULL THEN
    DELETE FROM camera_fov f WHERE f.occluders > 0 OR (f.geom && OLD.footprint AND ST_Intersects(f.geom, OLD.footprint));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.footprint IS NOT NULL THEN
    DELETE FROM camera_fov f WHERE f.geom && NEW.footprint AND ST_Intersects(f.geom, NEW.footprint);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER high_rises_forget_views
  AFTER INSERT OR DELETE OR UPDATE OF footprint ON high_rises
  FOR EACH ROW EXECUTE FUNCTION camera_fov_forget_occluded();
