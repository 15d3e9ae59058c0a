-- Hazards: geological hazard points, fire key units, forest-fire zones; high-rises.
CREATE TABLE hazards (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  hazard_type text NOT NULL REFERENCES hazard_types (code),
  name text NOT NULL,
  -- 1 = 特大型/极高, 2 = 大型/高, 3 = 中型/中, 4 = 小型/低
  risk_level smallint CHECK (risk_level BETWEEN 1 AND 4),
  threatened_households integer CHECK (threatened_households >= 0),
  threatened_people integer CHECK (threatened_people >= 0),
  monitor_name text,
  monitor_phone text,
  on_alert boolean NOT NULL DEFAULT false,
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  geom geometry(Geometry, 4326) NOT NULL CHECK (ST_IsValid(geom) AND GeometryType(geom) IN ('POINT', 'POLYGON', 'MULTIPOLYGON')),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX hazards_geom_idx ON hazards USING gist (geom);
CREATE INDEX hazards_type_idx ON hazards (hazard_type);

CREATE TABLE high_rises (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  name text NOT NULL,
  height_m real NOT NULL CHECK (height_m >= 24 AND height_m <= 700),  -- 高层: 24 m and up (GB 50016)
  floors smallint NOT NULL CHECK (floors BETWEEN 7 AND 200),
  fire_facility_status text NOT NULL CHECK (fire_facility_status IN ('normal', 'defective', 'unknown')),
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  geom geometry(Point, 4326) NOT NULL,
  footprint geometry(MultiPolygon, 4326) CHECK (footprint IS NULL OR ST_IsValid(footprint)),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX high_rises_geom_idx ON high_rises USING gist (geom);
