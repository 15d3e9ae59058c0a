-- Patrol teams, planned routes and GPS tracks. Track points grow without bound, so the
-- table is partitioned by time (yearly, with a default partition as a safety net).
CREATE TABLE patrol_teams (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  township_code char(12) REFERENCES admin_areas (code) ON DELETE SET NULL,
  leader_name text,
  members smallint CHECK (members > 0)
);

CREATE TABLE patrol_routes (
  id serial PRIMARY KEY,
  external_id text UNIQUE,
  team_id integer REFERENCES patrol_teams (id) ON DELETE SET NULL,
  name text NOT NULL,
  -- shifts as [{ "start": "20:00", "end": "22:00", "days": [1..7] }]
  schedule jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(schedule) = 'array'),
  geom geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  source_crs text NOT NULL DEFAULT 'EPSG:4326'
);
CREATE INDEX patrol_routes_geom_idx ON patrol_routes USING gist (geom);

CREATE TABLE patrol_track_points (
  id bigint GENERATED ALWAYS AS IDENTITY,
  team_id integer REFERENCES patrol_teams (id) ON DELETE CASCADE,
  route_id integer REFERENCES patrol_routes (id) ON DELETE SET NULL,
  device_id text NOT NULL,
  recorded_at timestamptz NOT NULL,
  speed_kmh real CHECK (speed_kmh >= 0 AND speed_kmh < 300),
  geom geometry(Point, 4326) NOT NULL,
  source_crs text NOT NULL DEFAULT 'EPSG:4326',
  PRIMARY KEY (id, recorded_at)
) PARTITION BY RANGE (recorded_at);
CREATE INDEX patrol_track_points_time_idx ON patrol_track_points (recorded_at);
CREATE INDEX patrol_track_points_device_time_idx ON patrol_track_points (device_id, recorded_at);
CREATE INDEX patrol_track_points_geom_idx ON patrol_track_points USING gist (geom);
