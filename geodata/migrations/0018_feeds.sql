-- Feeds from outside (issue 14): the systems that push camera status and hazard alerts to
-- POST /api/ingest/… (a video aggregation platform's alarm push, the 气象/自然资源 warning
-- system). Like a wall display, a feed is not a person: a named, long-lived, revocable
-- token (`npm run cli -- feed add <name>`), stored as its SHA-256 only, allowed the topics
-- listed and, optionally, only some townships (row-level security then hides the other
-- townships' cameras and hazards from it, so it cannot change them).
CREATE TABLE feeds (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
  token_hash text NOT NULL UNIQUE,
  topics text[] NOT NULL CHECK (cardinality(topics) >= 1 AND topics <@ ARRAY['camera-status', 'hazard-alert']),
  townships text[] CHECK (townships IS NULL OR cardinality(townships) >= 1),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- The feeds' own bookkeeping is not data an analysis reads: keep it out of the data version.
CREATE OR REPLACE FUNCTION data_version_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname NOT IN ('schema_migrations', 'app_users', 'app_sessions', 'sign_in_failures', 'displays', 'feeds', 'app_secrets', 'audit_log', 'import_jobs', 'live_events')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
  LOOP
    EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
  END LOOP;
END $$;

-- One warning of the sending system (its alert id) may change level (黄色 → 橙色): each level
-- is a row of its own with the same external id, so the id is indexed, not unique.
DROP INDEX hazard_alerts_external_idx;
CREATE INDEX hazard_alerts_external_idx ON hazard_alerts (source, external_id) WHERE external_id IS NOT NULL;
