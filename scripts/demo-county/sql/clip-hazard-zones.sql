-- Forest-fire zones are drawn as blobs; keep only the part inside the county.
UPDATE hazards h
SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(h.geom, c.geom)), 3))
FROM admin_areas c
WHERE c.level = 'county' AND h.hazard_type = 'forest_fire_zone';
