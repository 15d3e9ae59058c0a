-- Yearly partitions for the time-partitioned tables, 2020–2035, plus a default partition
-- so that a row outside that span is still stored (and visible to an operator) rather
-- than rejected.
DO $$
DECLARE
  y integer;
BEGIN
  FOR y IN 2020..2035 LOOP
    EXECUTE format('CREATE TABLE incidents_%s PARTITION OF incidents FOR VALUES FROM (%L) TO (%L)',
                   y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
    EXECUTE format('CREATE TABLE patrol_track_points_%s PARTITION OF patrol_track_points FOR VALUES FROM (%L) TO (%L)',
                   y, make_date(y, 1, 1), make_date(y + 1, 1, 1));
  END LOOP;
END $$;
CREATE TABLE incidents_default PARTITION OF incidents DEFAULT;
CREATE TABLE patrol_track_points_default PARTITION OF patrol_track_points DEFAULT;
