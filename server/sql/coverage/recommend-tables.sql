-- Temporary tables of one placement recommendation (dropped at the end of its
-- transaction): rec_demand, what should be covered and is not yet covered by an effective
-- camera (road sample points, key-place entrances, hazard points) with weights;
-- rec_site, candidate sites
-- with the grid azimuth of true north there (`north`), to turn grid bearings into azimuths.
CREATE TEMP TABLE rec_demand (id serial, kind text, ref_id integer, road_class text, g geometry, incidents integer NOT NULL DEFAULT 0, hot text, weight float8) ON COMMIT DROP;
CREATE TEMP TABLE rec_site (id serial, kind text, ref_id integer, label text, g geometry, geom geometry, north float8, incidents integer NOT NULL DEFAULT 0) ON COMMIT DROP;
