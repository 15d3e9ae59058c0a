-- Live events for the command-centre wall (issue 14).
--
-- live_events is an outbox: every change the wall shows (a new incident, an incident's
-- status step, a camera going on- or offline, a hazard alert raised or lifted, a target's
-- status, a patrol team's position) writes one row here in the same transaction as the
-- change itself (server/live/outbox.ts). Each server process polls it by id about once a
-- second and fans the rows out to its subscribers; a reconnecting client resumes from the
-- last id it saw. The same path works on PostgreSQL and on the embedded engine, where
-- LISTEN/NOTIFY does not cross connections.
CREATE TABLE live_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  topic text NOT NULL CHECK (topic IN ('incident.new', 'incident.status', 'camera.status', 'hazard.alert', 'target.status', 'patrol.position', 'data.import')),
  -- NULL: county-wide (every scope sees it)
  township_code char(12),
  payload jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(payload) = 'object')
);
CREATE INDEX live_events_at_idx ON live_events (at);
ALTER TABLE live_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_events FORCE ROW LEVEL SECURITY;
CREATE POLICY township_scope ON live_events
  USING (township_code IS NULL OR app_scope_allows(township_code))
  WITH CHECK (township_code IS NULL OR app_scope_allows(township_code));

-- Camera status transitions, so an online rate over a period is measured from the
-- intervals a camera really was online, not sampled. One row per change (and one per
-- camera for its status when history began).
CREATE TABLE camera_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  camera_id integer NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('online', 'offline', 'faulty')),
  changed_at timestamptz NOT NULL,
  -- 'platform' (polled from the video aggregation platform), 'push' (the ingest route),
  -- 'simulator', 'import', 'initial'
  source text NOT NULL,
  township_code char(12)
);
CREATE INDEX camera_status_history_camera_idx ON camera_status_history (camera_id, changed_at);
CREATE INDEX camera_status_history_time_idx ON camera_status_history (changed_at);
ALTER TABLE camera_status_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE camera_status_history FORCE ROW LEVEL SECURITY;
CREATE POLICY township_scope ON camera_status_history USING (app_scope_allows(township_code)) WITH CHECK (app_scope_allows(township_code));

INSERT INTO camera_status_history (camera_id, status, changed_at, source, township_code)
SELECT id, status, coalesce(last_seen_at, now()), 'initial', township_code FROM cameras;

-- Hazard alerts (地质灾害/森林火险 预警): a level, a start, an end (NULL while in force).
-- hazards.on_alert is kept equal to "has an alert in force" by the service that writes here.
CREATE TABLE hazard_alerts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hazard_id integer NOT NULL REFERENCES hazards (id) ON DELETE CASCADE,
  -- 蓝 / 黄 / 橙 / 红 预警 (blue lowest, red highest)
  level text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz CHECK (ends_at IS NULL OR ends_at >= starts_at),
  source text NOT NULL,
  external_id text,
  note text,
  township_code char(12)
);
CREATE INDEX hazard_alerts_hazard_idx ON hazard_alerts (hazard_id, starts_at);
CREATE UNIQUE INDEX hazard_alerts_in_force_idx ON hazard_alerts (hazard_id) WHERE ends_at IS NULL;
CREATE UNIQUE INDEX hazard_alerts_external_idx ON hazard_alerts (source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE hazard_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE hazard_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY township_scope ON hazard_alerts USING (app_scope_allows(township_code)) WITH CHECK (app_scope_allows(township_code));

-- The events table is not data an analysis reads: keep it out of the data version.
CREATE OR REPLACE FUNCTION data_version_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname NOT IN ('schema_migrations', 'app_users', 'app_sessions', 'sign_in_failures', 'displays', 'app_secrets', 'audit_log', 'import_jobs', 'live_events')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
  LOOP
    EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
  END LOOP;
END $$;
