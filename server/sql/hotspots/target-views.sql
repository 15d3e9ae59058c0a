-- The views of effective cameras (status in $1), copied once into an indexed temporary
-- table. camera_fov and cameras are under row-level security, and PostGIS's operators are
-- not LEAKPROOF, so under the application role the planner may not probe their spatial
-- index per incident ahead of the policy: the probe became a scan of every view for every
-- incident (bench scope-overhead: 227 s as the app role against 3 s as the owner).
-- The policy is applied here, once; the probes below use target_views' own index.
CREATE TEMP TABLE target_views ON COMMIT DROP AS
SELECT f.geom FROM camera_fov f JOIN cameras c ON c.id = f.camera_id
WHERE c.status = ANY ($1::text[]) AND f.geom IS NOT NULL
