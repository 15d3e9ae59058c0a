-- Base demand weights. Road samples: $1 × class weight ($2 jsonb); places: $3 each;
-- hazard points: by risk level ($4 jsonb).
UPDATE rec_demand d SET
  weight = CASE d.kind
    WHEN 'road' THEN $1::float8 * coalesce(($2::jsonb ->> d.road_class)::float8, 0.5)
    WHEN 'place' THEN $3::float8
    ELSE coalesce(($4::jsonb ->> (SELECT coalesce(risk_level, 4)::text FROM hazards WHERE id = d.ref_id))::float8, 10) END
