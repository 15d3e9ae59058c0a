-- Administrative areas (county, townships, villages/communities) and management grids.
CREATE TABLE admin_areas (
  id serial PRIMARY KEY,
  code char(12) NOT NULL UNIQUE CHECK (code ~ '^[0-9]{12}$'),
  name text NOT NULL CHECK (length(name) > 0),
  level text NOT NULL CHECK (level IN ('county', 'township', 'village')),
  parent_code char(12) REFERENCES admin_areas (code) ON DELETE CASCADE,
  population integer CHECK (population >= 0),
  households integer CHECK (households >= 0),
  geom geometry(MultiPolygon, 4326) CHECK (geom IS NULL OR ST_IsValid(geom)),
  centre geometry(Point, 4326),
  -- true for provisional boundaries derived from points (never official ones)
  derived boolean NOT NULL DEFAULT false,
  source_crs text NOT NULL DEFAULT 'EPSG:4326',
  CHECK ((level = 'county') = (parent_code IS NULL))
);
CREATE INDEX admin_areas_geom_idx ON admin_areas USING gist (geom);
CREATE INDEX admin_areas_parent_idx ON admin_areas (parent_code);

CREATE TABLE grids (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  village_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  worker_name text,
  worker_phone text CHECK (worker_phone IS NULL OR worker_phone ~ '^[0-9+\- ]{5,20}$'),
  households integer CHECK (households >= 0),
  population integer CHECK (population >= 0),
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX grids_geom_idx ON grids USING gist (geom);
CREATE INDEX grids_township_idx ON grids (township_code);
