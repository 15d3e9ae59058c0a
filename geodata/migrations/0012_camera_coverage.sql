-- Camera coverage audit (雪亮工程): each camera's field of view, cached, and the candidate
-- sites planners draw for new cameras.

-- The field of view as a polygon around the camera. Angles are azimuths: 0° = north,
-- clockwise, as registers and OSM's camera:direction record them. Vertices are placed
-- geodesically (ST_Project on the spheroid: metres and true north), every `step_deg` or
-- less along the arc; a view of 360° is a circle (no apex).
CREATE OR REPLACE FUNCTION fov_polygon(p geometry, azimuth_deg float8, fov_deg float8, range_m float8, step_deg float8 DEFAULT 2)
RETURNS geometry LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH arc AS (
    SELECT greatest(1, ceil(least(fov_deg, 360) / step_deg))::int AS n,
           least(fov_deg, 360) >= 360 AS full_circle
  ),
  pts AS (
    SELECT k, ST_Project(p::geography, range_m,
             radians(CASE WHEN arc.full_circle THEN 360.0 * k / arc.n
                          ELSE azimuth_deg - fov_deg / 2 + fov_deg * k / arc.n END))::geometry AS v
    FROM arc, generate_series(0, (SELECT n FROM arc) - (CASE WHEN (SELECT full_circle FROM arc) THEN 1 ELSE 0 END)) AS k
  )
  SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(
           CASE WHEN arc.full_circle
                THEN array_append(array_agg(v ORDER BY k), (array_agg(v ORDER BY k))[1])
                ELSE array_append(array_prepend(ST_Force2D(p), array_agg(v ORDER BY k)), ST_Force2D(p)) END)), 4326)
  FROM pts, arc
  GROUP BY arc.full_circle
$$;

-- One row per camera whose view has been built. The inputs are kept beside the result:
-- a row whose inputs differ from the camera's current values, or built with other rules
-- or another metric projection, is stale and rebuilt before any coverage figure is read.
CREATE TABLE camera_fov (
  camera_id integer PRIMARY KEY REFERENCES cameras (id) ON DELETE CASCADE,
  src_geom geometry(Point, 4326) NOT NULL,
  src_azimuth_deg real,
  src_fov_deg real,
  src_range_m real,
  src_camera_type text NOT NULL,
  rules_version text NOT NULL,
  srid integer NOT NULL,
  -- sector: a fixed camera with an azimuth; circle: dome/PTZ (or a 360° view), reduced
  -- range; unknown: no azimuth, FOV or range to build a view from (no geometry)
  kind text NOT NULL CHECK (kind IN ('sector', 'circle', 'unknown')),
  effective_range_m real,
  geom geometry(Polygon, 4326),
  geom_m geometry(Polygon),
  built_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'unknown') = (geom IS NULL))
);
CREATE INDEX camera_fov_geom_idx ON camera_fov USING gist (geom);
CREATE INDEX camera_fov_geom_m_idx ON camera_fov USING gist (geom_m);

-- Sites drawn by planners as candidates for new cameras (补点候选点).
CREATE TABLE camera_candidates (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  geom geometry(Point, 4326) NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX camera_candidates_geom_idx ON camera_candidates USING gist (geom);
