-- The county (or counties) the register belongs to: division codes and names, for the
-- GB/T 28181 prefix check and the findings' wording.
SELECT code::text AS code, name FROM admin_areas WHERE level = 'county' ORDER BY code
