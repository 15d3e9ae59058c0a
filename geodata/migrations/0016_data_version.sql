-- The data version: a number that grows whenever data an analysis or a map layer reads
-- changes, so results computed from it can be cached until then (server/services/analysis).
-- A sequence, not a row: bumping it takes no lock, so concurrent writers never wait on it.
-- Statement-level triggers bump it and mark the transaction (app.data_changed); the
-- request scope bumps it once more after such a transaction commits, so a result computed
-- while the change was still invisible is never kept under the new number.
CREATE SEQUENCE IF NOT EXISTS data_version;

CREATE OR REPLACE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('data_version');
  PERFORM set_config('app.data_changed', 'on', true);
  RETURN NULL;
END $$;

-- Attaches the trigger to every table of the schema except accounts, sessions, the audit
-- log, import job progress and the migration record. Run after every migrate, so tables of
-- later migrations are covered.
CREATE OR REPLACE FUNCTION data_version_attach() RETURNS void LANGUAGE plpgsql AS $$
DECLARE t regclass;
BEGIN
  FOR t IN
    SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND c.relname NOT IN ('schema_migrations', 'app_users', 'app_sessions', 'sign_in_failures', 'displays', 'app_secrets', 'audit_log', 'import_jobs')
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_version_bump')
  LOOP
    EXECUTE format('CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump()', t);
  END LOOP;
END $$;

SELECT data_version_attach();
