-- What imports need: a camera status of "unknown" (registers often lack it, and assuming
-- "online" would inflate 在线率), one GPS fix per device and time (re-imports upsert),
-- and the record of import jobs the import page follows.
ALTER TABLE cameras DROP CONSTRAINT IF EXISTS cameras_status_check;
ALTER TABLE cameras ADD CONSTRAINT cameras_status_check CHECK (status IN ('online', 'offline', 'faulty', 'unknown'));

CREATE UNIQUE INDEX patrol_track_points_device_time_key ON patrol_track_points (device_id, recorded_at);
DROP INDEX IF EXISTS patrol_track_points_device_time_idx;

CREATE TABLE import_jobs (
  id serial PRIMARY KEY,
  layer text NOT NULL,
  file_name text NOT NULL,
  dry_run boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'committed', 'dry_run', 'rolled_back', 'failed')),
  rows_read integer NOT NULL DEFAULT 0,
  bytes_total bigint,
  report jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
