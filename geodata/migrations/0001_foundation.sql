-- Extensions and the reference dictionaries every other table points at.
-- The dictionary rows themselves live in geodata/dictionaries/*.json and are upserted
-- by `migrate` on every run, so editing a JSON file and re-running migrate is enough.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE road_classes (
  code text PRIMARY KEY,
  name text NOT NULL,
  rank smallint NOT NULL CHECK (rank BETWEEN 1 AND 9),
  typical_width_m real NOT NULL CHECK (typical_width_m > 0)
);

CREATE TABLE place_types (
  code text PRIMARY KEY,
  name text NOT NULL,
  place_group text NOT NULL,
  -- private spaces where the 2025 公共安全视频图像信息系统管理条例 forbids cameras
  is_private boolean NOT NULL DEFAULT false
);

CREATE TABLE hazard_types (
  code text PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('geological', 'fire'))
);

CREATE TABLE incident_categories (
  code text PRIMARY KEY,
  name text NOT NULL,
  parent_code text REFERENCES incident_categories (code),
  CHECK (parent_code IS NULL OR parent_code <> code)
);
