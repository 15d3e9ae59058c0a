-- How many staged rows already exist (they will be updated). The table is partitioned,
-- so the upsert cannot report this itself (no xmax in RETURNING).
SELECT count(*)::int AS n FROM import_stage s WHERE EXISTS (SELECT 1 FROM incidents i WHERE i.external_id = s.external_id AND i.occurred_at = s.time)
