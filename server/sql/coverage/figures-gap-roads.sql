-- Road gaps: the part of each road piece outside every effective view, with the incidents
-- of the hotspot window within $2 m of it, and a risk score: uncovered km × class weight
-- ($1 jsonb) × (1 + $3 × incidents). The $4 riskiest, longest first on ties, in EPSG:4326.
WITH gap AS (
  SELECT r.road_id, r.road_class,
         CASE WHEN r.u_eff IS NULL THEN r.g ELSE ST_CollectionExtract(ST_Difference(r.g, r.u_eff), 2) END AS g
  FROM cov_road r
),
measured AS (
  SELECT gap.*, ST_Length(gap.g) AS gap_m,
         (SELECT count(*) FROM cov_incident i WHERE ST_DWithin(i.g, gap.g, $2::float8))::int AS incidents
  FROM gap WHERE NOT ST_IsEmpty(gap.g) AND ST_Length(gap.g) >= 1
)
SELECT m.road_id AS "roadId", rd.name, m.road_class AS "roadClass", m.gap_m AS "gapM", m.incidents,
       (m.gap_m / 1000) * coalesce(($1::jsonb ->> m.road_class)::float8, 0.5) * (1 + $3::float8 * m.incidents) AS risk,
       ST_AsGeoJSON(ST_Transform(m.g, 4326), 6)::json AS geometry
FROM measured m JOIN roads rd ON rd.id = m.road_id
ORDER BY risk DESC, m.gap_m DESC, m.road_id
LIMIT $4
