-- Patrol analytics (issue 15). GPS tracks are cleaned by the rules of
-- geodata/patrol-rules.json (server/services/patrol/clean.ts): a dropped fix leaves
-- patrol_track_points for patrol_fix_rejects with its rule, so nothing raw is lost and every
-- analysis reads only kept fixes; each cleaning run leaves a report per track
-- (patrol_cleaning): fixes read and kept, drops by rule, the pieces a long silence splits
-- the track into, and the device's fix interval that visits are measured with.
CREATE TABLE patrol_fix_rejects (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id text NOT NULL,
  team_id integer REFERENCES patrol_teams (id) ON DELETE CASCADE,
  township_code char(12),
  recorded_at timestamptz NOT NULL,
  speed_kmh real,
  geom geometry(Point, 4326) NOT NULL,
  rule text NOT NULL CHECK (rule IN ('outside', 'backwards', 'duplicate', 'speed')),
  detail text NOT NULL,
  -- the file (or 'stored' for a re-cleaning of stored fixes) and its row
  source text NOT NULL,
  row_no integer,
  rejected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_fix_rejects_device_idx ON patrol_fix_rejects (device_id, recorded_at);

CREATE TABLE patrol_cleaning (
  id serial PRIMARY KEY,
  device_id text NOT NULL,
  team_id integer REFERENCES patrol_teams (id) ON DELETE CASCADE,
  township_code char(12),
  source text NOT NULL,
  first_at timestamptz,
  last_at timestamptz,
  fixes integer NOT NULL CHECK (fixes >= 0),
  kept integer NOT NULL CHECK (kept >= 0 AND kept <= fixes),
  -- { "outside": n, "backwards": n, "duplicate": n, "speed": n }
  dropped jsonb NOT NULL CHECK (jsonb_typeof(dropped) = 'object'),
  -- [{ "from": iso, "to": iso, "fixes": n }]: the track's pieces between silences
  segments jsonb NOT NULL CHECK (jsonb_typeof(segments) = 'array'),
  -- the median seconds between consecutive kept fixes of one piece
  interval_s real CHECK (interval_s IS NULL OR interval_s > 0),
  rules jsonb NOT NULL,
  cleaned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_cleaning_device_idx ON patrol_cleaning (device_id, cleaned_at DESC);

-- Where a team's shift starts and ends (a police station, a 警务室): route suggestions
-- loop from here. NULL: the start of the team's first route.
ALTER TABLE patrol_teams ADD COLUMN base geometry(Point, 4326);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patrol_fix_rejects', 'patrol_cleaning'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY township_scope ON %I USING (app_scope_allows(township_code)) WITH CHECK (app_scope_allows(township_code))', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON %I FOR EACH ROW WHEN (NEW.township_code IS NULL AND NEW.team_id IS NOT NULL) EXECUTE FUNCTION fill_township_of_team()', t || '_township', t);
  END LOOP;
END
$$;
