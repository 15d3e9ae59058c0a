-- Roads, key places and the camera register (雪亮工程).
CREATE TABLE roads (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  name text,
  road_class text NOT NULL REFERENCES road_classes (code),
  geom geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom) AND ST_NPoints(geom) >= 2),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX roads_geom_idx ON roads USING gist (geom);
CREATE INDEX roads_class_idx ON roads (road_class);

CREATE TABLE places (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  name text NOT NULL,
  place_type text NOT NULL REFERENCES place_types (code),
  address text,
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  geom geometry(Point, 4326) NOT NULL,
  entrance geometry(Point, 4326),
  footprint geometry(MultiPolygon, 4326) CHECK (footprint IS NULL OR ST_IsValid(footprint)),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX places_geom_idx ON places USING gist (geom);
CREATE INDEX places_type_idx ON places (place_type);

-- The register as the owners keep it. Register defects (duplicate GB/T 28181 ids,
-- missing azimuths, positions recorded in GCJ-02) are facts to audit, so gb_id is not
-- unique and azimuth may be null; physically impossible values are rejected.
CREATE TABLE cameras (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  gb_id text,
  name text NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  mount_height_m real CHECK (mount_height_m > 0 AND mount_height_m <= 200),
  azimuth_deg real CHECK (azimuth_deg >= 0 AND azimuth_deg <= 360),
  fov_deg real CHECK (fov_deg >= 1 AND fov_deg <= 360),
  range_m real CHECK (range_m > 0 AND range_m <= 2000),
  camera_type text NOT NULL CHECK (camera_type IN ('fixed', 'dome', 'ptz')),
  smart boolean NOT NULL DEFAULT false,
  networked boolean NOT NULL DEFAULT true,
  status text NOT NULL CHECK (status IN ('online', 'offline', 'faulty')),
  last_seen_at timestamptz,
  owner text,
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  place_id integer REFERENCES places (id) ON DELETE SET NULL,
  installed_on date,
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX cameras_geom_idx ON cameras USING gist (geom);
CREATE INDEX cameras_gb_id_idx ON cameras (gb_id);
CREATE INDEX cameras_status_idx ON cameras (status);
