-- 建档 completeness: for every camera, the required register fields that are empty, in the
-- order of REQUIRED_FIELDS (server/services/coverage/audit.ts). A text field counts as empty
-- when it is blank; the azimuth is required of fixed cameras only (a dome or PTZ camera
-- turns). A camera is fully registered (counts towards 建档率) when `missing` is empty.
SELECT c.id AS camera_id,
       array_remove(ARRAY[
         CASE WHEN nullif(btrim(c.gb_id), '') IS NULL THEN 'gb_id' END,
         CASE WHEN nullif(btrim(c.name), '') IS NULL THEN 'name' END,
         CASE WHEN c.mount_height_m IS NULL THEN 'mount_height_m' END,
         CASE WHEN c.camera_type = 'fixed' AND c.azimuth_deg IS NULL THEN 'azimuth_deg' END,
         CASE WHEN c.fov_deg IS NULL THEN 'fov_deg' END,
         CASE WHEN c.range_m IS NULL THEN 'range_m' END,
         CASE WHEN nullif(btrim(c.owner), '') IS NULL THEN 'owner' END,
         CASE WHEN c.installed_on IS NULL THEN 'installed_on' END,
         CASE WHEN c.township_code IS NULL THEN 'township_code' END
       ], NULL)::text[] AS missing
FROM cameras c
ORDER BY c.id
