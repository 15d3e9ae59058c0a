-- The townships the index ranks: code, name and registered population.
SELECT code::text AS code, name, population
FROM admin_areas
WHERE level = 'township'
ORDER BY code
