-- camera_fov is a cache of the cameras' views, rebuilt from the cameras (which bump the data
-- version themselves) at the start of every analysis that reads it. Its refresh is an
-- INSERT … ON CONFLICT DO UPDATE, whose statement-level triggers fire even when no view is
-- stale: every targeting or coverage run moved the data version twice, so every cached
-- analysis was thrown away after one (measured: data_version 280 → 282 per targeting run).
-- The cache no longer bumps the version; the cameras' own changes still do.
DROP TRIGGER IF EXISTS data_version_bump ON camera_fov;

CREATE OR REPLACE FUNCTION data_version_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname NOT IN ('schema_migrations', 'app_users', 'app_sessions', 'sign_in_failures', 'displays', 'app_secrets', 'audit_log', 'import_jobs', 'camera_fov')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
  LOOP
    EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
  END LOOP;
END $$;
