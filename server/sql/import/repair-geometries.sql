-- Repairs invalid geometries with ST_MakeValid, keeping only parts of the expected dimension
-- ($1: 1 point, 2 line, 3 polygon); returns what became of each repaired row.
UPDATE import_stage SET geom = ST_CollectionExtract(ST_MakeValid(geom), $1::int)
WHERE row_no = ANY($2::int[])
RETURNING row_no, ST_IsEmpty(geom) AS empty, ST_IsValid(geom) AS valid
