-- Access control: accounts, sessions, display tokens, the append-only audit log, and
-- township row-level security on every table with township-scoped rows.
--
-- Every request runs in a transaction that does SET LOCAL ROLE pingan_app (a role that owns
-- no table and has neither SUPERUSER nor BYPASSRLS) and sets app.townships ('*' for the
-- whole county, else a comma-separated list of township codes), app.actor and app.roles.
-- Grants to pingan_app are (re)applied after every migrate by server/db/migrate.ts, so
-- tables added later are covered too.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pingan_app') THEN
    CREATE ROLE pingan_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

-- Policies call these. Each is a single SELECT of an expression (no FROM), which
-- PostgreSQL inlines; a SELECT over a subquery would not be (see stat_erfc, 0014).
-- Once a transaction-local setting has been used it reads back as '' rather than NULL,
-- hence nullif. No setting at all means no rows: the scope must be set explicitly.
CREATE OR REPLACE FUNCTION app_scope_allows(township text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(current_setting('app.townships', true), '') = '*'
                  OR township = ANY (string_to_array(nullif(current_setting('app.townships', true), ''), ',')), false)
$$;

CREATE OR REPLACE FUNCTION app_has_role(role text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(role = ANY (string_to_array(nullif(current_setting('app.roles', true), ''), ',')), false)
$$;

-- The township a point lies in (for rows whose township is derived from their position).
CREATE OR REPLACE FUNCTION township_at(g geometry) RETURNS char(12)
LANGUAGE sql STABLE AS $$
  SELECT code FROM admin_areas WHERE level = 'township' AND ST_Intersects(geom, ST_PointOnSurface(g)) ORDER BY code LIMIT 1
$$;

-- ---------------------------------------------------------------------------------------
-- Accounts, sessions, sign-in failures, display tokens, secrets, published results
-- ---------------------------------------------------------------------------------------
CREATE TABLE app_users (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,40}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (cardinality(roles) >= 1 AND roles <@ ARRAY['admin', 'commander', 'analyst', 'township', 'auditor']::text[]),
  -- NULL: the whole county; a township officer has exactly the townships listed
  townships text[] CHECK (townships IS NULL OR cardinality(townships) >= 1),
  must_change_password boolean NOT NULL DEFAULT true,
  disabled boolean NOT NULL DEFAULT false,
  failed_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  password_changed_at timestamptz,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT ('township' = ANY (roles)) OR townships IS NOT NULL)
);

CREATE TABLE app_sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES app_users (id) ON DELETE CASCADE,
  address text,
  user_agent text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE INDEX app_sessions_user_idx ON app_sessions (user_id);

CREATE TABLE sign_in_failures (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  address text NOT NULL,
  username text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, at);

-- One wall display (大屏) per row: a long-lived token bound to it, revocable by an admin.
CREATE TABLE displays (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 60),
  token_hash text NOT NULL UNIQUE,
  townships text[] CHECK (townships IS NULL OR cardinality(townships) >= 1),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE app_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO app_secrets (name, value) VALUES ('print-token-key', encode(sha256((gen_random_uuid()::text || clock_timestamp()::text || random()::text)::bytea), 'hex'));

-- County-wide results that township officers may read (平安指数 ranking, 红黑榜): computed
-- with the county's rights and published, never recomputed under an officer's scope.
CREATE TABLE published_results (
  key text PRIMARY KEY,
  params jsonb NOT NULL,
  result jsonb NOT NULL,
  computed_by text NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------------------
-- Audit log: append-only. The application role gets INSERT and SELECT (migrate.ts); this
-- trigger refuses UPDATE, DELETE and TRUNCATE for everyone, the owner included.
-- ---------------------------------------------------------------------------------------
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  roles text[] NOT NULL DEFAULT '{}',
  address text,
  action text NOT NULL,
  object text,
  row_count integer,
  result text NOT NULL CHECK (result IN ('ok', 'refused', 'failed')),
  detail jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_append ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_read ON audit_log FOR SELECT USING (app_has_role('auditor') OR app_has_role('admin'));

-- ---------------------------------------------------------------------------------------
-- Township columns where rows had none, filled from what the row belongs to
-- ---------------------------------------------------------------------------------------
ALTER TABLE incident_status_history ADD COLUMN township_code char(12);
UPDATE incident_status_history h SET township_code = i.township_code
  FROM incidents i WHERE i.id = h.incident_id AND i.occurred_at = h.incident_occurred_at;
CREATE OR REPLACE FUNCTION fill_township_from_incident() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT township_code INTO NEW.township_code FROM incidents WHERE id = NEW.incident_id AND occurred_at = NEW.incident_occurred_at;
  RETURN NEW;
END
$$;
CREATE TRIGGER incident_status_history_township BEFORE INSERT ON incident_status_history
  FOR EACH ROW WHEN (NEW.township_code IS NULL) EXECUTE FUNCTION fill_township_from_incident();

ALTER TABLE patrol_routes ADD COLUMN township_code char(12);
UPDATE patrol_routes r SET township_code = coalesce(t.township_code, township_at(r.geom))
  FROM patrol_teams t WHERE t.id = r.team_id;
UPDATE patrol_routes SET township_code = township_at(geom) WHERE township_code IS NULL;
CREATE OR REPLACE FUNCTION fill_township_of_route() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT township_code INTO NEW.township_code FROM patrol_teams WHERE id = NEW.team_id;
  IF NEW.township_code IS NULL THEN NEW.township_code := township_at(NEW.geom); END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER patrol_routes_township BEFORE INSERT ON patrol_routes
  FOR EACH ROW WHEN (NEW.township_code IS NULL) EXECUTE FUNCTION fill_township_of_route();

ALTER TABLE patrol_track_points ADD COLUMN township_code char(12);
UPDATE patrol_track_points p SET township_code = t.township_code FROM patrol_teams t WHERE t.id = p.team_id;
CREATE OR REPLACE FUNCTION fill_township_of_team() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT township_code INTO NEW.township_code FROM patrol_teams WHERE id = NEW.team_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER patrol_track_points_township BEFORE INSERT ON patrol_track_points
  FOR EACH ROW WHEN (NEW.township_code IS NULL AND NEW.team_id IS NOT NULL) EXECUTE FUNCTION fill_township_of_team();

ALTER TABLE camera_fov ADD COLUMN township_code char(12);
UPDATE camera_fov f SET township_code = c.township_code FROM cameras c WHERE c.id = f.camera_id;
CREATE OR REPLACE FUNCTION fill_township_from_camera() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT township_code INTO NEW.township_code FROM cameras WHERE id = NEW.camera_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER camera_fov_township BEFORE INSERT OR UPDATE ON camera_fov
  FOR EACH ROW EXECUTE FUNCTION fill_township_from_camera();

CREATE OR REPLACE FUNCTION fill_township_at_geom() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.township_code := township_at(NEW.geom);
  RETURN NEW;
END
$$;

ALTER TABLE rectification_targets ADD COLUMN township_code char(12);
UPDATE rectification_targets SET township_code = township_at(geom);
CREATE TRIGGER rectification_targets_township BEFORE INSERT OR UPDATE OF geom ON rectification_targets
  FOR EACH ROW EXECUTE FUNCTION fill_township_at_geom();

ALTER TABLE camera_candidates ADD COLUMN township_code char(12);
UPDATE camera_candidates SET township_code = township_at(geom);
CREATE TRIGGER camera_candidates_township BEFORE INSERT OR UPDATE OF geom ON camera_candidates
  FOR EACH ROW EXECUTE FUNCTION fill_township_at_geom();

-- An import job belongs to the township of the officer who started it (NULL: county-wide).
ALTER TABLE import_jobs ADD COLUMN township_code char(12);
ALTER TABLE import_jobs ADD COLUMN started_by text;

-- ---------------------------------------------------------------------------------------
-- Row-level security: one policy per township-scoped table, forced for the owner as well
-- (superusers, i.e. migrations on a superuser connection and PGlite's one session, are
-- exempt by PostgreSQL's rules).
-- ---------------------------------------------------------------------------------------
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['incidents', 'incident_status_history', 'grids', 'cameras', 'camera_fov', 'camera_candidates',
                           'hazards', 'high_rises', 'places', 'patrol_teams', 'patrol_routes', 'patrol_track_points',
                           'rectification_targets', 'import_jobs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY township_scope ON %I USING (app_scope_allows(township_code)) WITH CHECK (app_scope_allows(township_code))', t);
  END LOOP;
END
$$;
