-- Incidents (案事件) with their handling-status history, partitioned by time.
CREATE TABLE incidents (
  id bigint GENERATED ALWAYS AS IDENTITY,
  external_id text,
  occurred_at timestamptz NOT NULL,
  category_code text NOT NULL REFERENCES incident_categories (code),
  source text NOT NULL CHECK (source IN ('110', 'grid', '12345', 'other')),
  severity text NOT NULL DEFAULT 'ordinary' CHECK (severity IN ('ordinary', 'major')),
  -- 受理 → 流转 → 处置 → 办结; 督办 when overdue
  status text NOT NULL CHECK (status IN ('received', 'dispatched', 'handling', 'closed', 'supervised')),
  summary text,
  township_code char(12),
  grid_code text,
  geom geometry(Point, 4326) NOT NULL,
  source_crs text NOT NULL DEFAULT 'EPSG:4326',
  PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX incidents_time_idx ON incidents (occurred_at);
CREATE INDEX incidents_category_time_idx ON incidents (category_code, occurred_at);
CREATE INDEX incidents_township_idx ON incidents (township_code);
CREATE INDEX incidents_geom_idx ON incidents USING gist (geom);
CREATE UNIQUE INDEX incidents_external_id_idx ON incidents (external_id, occurred_at);

CREATE TABLE incident_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id bigint NOT NULL,
  incident_occurred_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('received', 'dispatched', 'handling', 'closed', 'supervised')),
  changed_at timestamptz NOT NULL,
  actor text,
  note text,
  FOREIGN KEY (incident_id, incident_occurred_at) REFERENCES incidents (id, occurred_at) ON DELETE CASCADE,
  CHECK (changed_at >= incident_occurred_at)
);
CREATE INDEX incident_status_history_incident_idx ON incident_status_history (incident_id, changed_at);
