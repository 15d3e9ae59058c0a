-- Staged areas whose parent is neither in the table nor in the same file.
SELECT s.row_no, s.parent_code
FROM import_stage s
WHERE s.level <> 'county'
  AND NOT EXISTS (SELECT 1 FROM admin_areas a WHERE a.code = s.parent_code)
  AND NOT EXISTS (SELECT 1 FROM import_stage p WHERE p.code = s.parent_code)
