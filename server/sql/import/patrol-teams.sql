-- Patrol teams named by the staged rows that do not exist yet.
INSERT INTO patrol_teams (name)
SELECT DISTINCT team FROM import_stage WHERE team IS NOT NULL AND team <> ''
ON CONFLICT (name) DO NOTHING
