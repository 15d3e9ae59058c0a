-- Staged geometries PostGIS considers invalid, with the reason.
SELECT row_no, ST_IsValidReason(geom) AS reason FROM import_stage WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)
