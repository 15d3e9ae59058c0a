-- GB/T 28181 ids held by more than one camera (ids compared without surrounding blanks;
-- empty ids are a completeness finding, not a duplicate).
SELECT btrim(gb_id) AS "gbId", array_agg(id ORDER BY id) AS ids
FROM cameras
WHERE nullif(btrim(gb_id), '') IS NOT NULL
GROUP BY btrim(gb_id)
HAVING count(*) > 1
ORDER BY 1
