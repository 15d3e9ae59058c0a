-- Road samples: scale by incidents nearby ($1 per incident) and the hotspot factor ($2 jsonb).
UPDATE rec_demand SET weight = weight * (1 + $1::float8 * incidents) * coalesce(($2::jsonb ->> hot)::float8, 1) WHERE kind = 'road'
