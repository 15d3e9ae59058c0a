-- Lookup tables for assigning staged incidents to grid cells and townships: the areas cut
-- into pieces of at most 64 vertices (ST_Subdivide) so each point-in-polygon test is cheap.
-- A grid cell carries its township, so the township table is only asked where no grid is.
DROP TABLE IF EXISTS import_grid_parts, import_township_parts;
CREATE TEMP TABLE import_grid_parts ON COMMIT DROP AS SELECT code, township_code, ST_Subdivide(geom, 64) AS geom FROM grids;
CREATE INDEX ON import_grid_parts USING gist (geom);
CREATE TEMP TABLE import_township_parts ON COMMIT DROP AS
  SELECT code, ST_Subdivide(geom, 64) AS geom FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL;
CREATE INDEX ON import_township_parts USING gist (geom);
ANALYZE import_grid_parts;
ANALYZE import_township_parts;
