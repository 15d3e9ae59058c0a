-- Rectification targets (挂牌整治) and the demo-data marker.
CREATE TABLE rectification_targets (
  id serial PRIMARY KEY,
  name text NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(reasons) = 'array'),
  responsible_unit text NOT NULL,
  starts_on date NOT NULL,
  deadline date NOT NULL,
  status text NOT NULL DEFAULT 'listed' CHECK (status IN ('listed', 'in_progress', 'completed', 'delisted')),
  evaluation jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (deadline >= starts_on)
);
CREATE INDEX rectification_targets_geom_idx ON rectification_targets USING gist (geom);

-- One row per dataset loaded by the demo generator, so the UI can label 示例数据.
CREATE TABLE dataset_info (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
