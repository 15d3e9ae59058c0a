-- Getis-Ord Gi* for every cell of the temporary table hotspot_cells (id, pt, n): binary
-- weights with the cell itself included (as spdep::localG with include.self and style
-- "B"), neighbours by distance band or k nearest; two-sided p-values and
-- Benjamini–Hochberg adjusted p-values over all cells.
-- $1: distance band in the cells' metric units (NULL when using k); $2: k (NULL when using a distance);
-- $3: for a square fishnet (cells with integer i, j), the cell size: the distance band then
-- becomes the stencil of offsets (di, dj) with size·√(di² + dj²) ≤ $1, joined on i, j,
-- which is the same neighbour set as ST_DWithin on the centroids, found much faster.
WITH stats AS (
  -- mean and population standard deviation of the counts over all cells
  SELECT count(*)::float8 AS m, avg(n) AS xbar, sqrt(greatest(avg(n * n) - avg(n) * avg(n), 0)) AS s FROM hotspot_cells
),
stencil AS (
  SELECT di, dj FROM generate_series(-floor($1::float8 / $3::float8)::int, floor($1::float8 / $3::float8)::int) AS di,
                     generate_series(-floor($1::float8 / $3::float8)::int, floor($1::float8 / $3::float8)::int) AS dj
  WHERE $3::float8 IS NOT NULL AND (di * di + dj * dj) * $3::float8 * $3::float8 <= $1::float8 * $1::float8 * (1 + 1e-12)
),
pairs AS (
  -- distance band on a square fishnet: the stencil of offsets
  SELECT a.id, b.n FROM hotspot_cells a CROSS JOIN stencil o JOIN hotspot_cells b ON b.i = a.i + o.di AND b.j = a.j + o.dj
  WHERE $1::float8 IS NOT NULL AND $3::float8 IS NOT NULL
  UNION ALL
  -- distance band: every cell whose centroid lies within $1 of this one's (itself included)
  SELECT a.id, b.n FROM hotspot_cells a JOIN hotspot_cells b ON ST_DWithin(a.pt, b.pt, $1::float8)
  WHERE $1::float8 IS NOT NULL AND $3::float8 IS NULL
  UNION ALL
  -- k nearest: the cell itself ...
  SELECT a.id, a.n FROM hotspot_cells a WHERE $2::int IS NOT NULL
  UNION ALL
  -- ... and its k nearest other cells
  SELECT a.id, nb.n FROM hotspot_cells a
  CROSS JOIN LATERAL (SELECT b.n FROM hotspot_cells b WHERE b.id <> a.id ORDER BY b.pt <-> a.pt LIMIT $2::int) nb
  WHERE $2::int IS NOT NULL
),
sums AS (
  -- with binary weights the sum of weights and the sum of squared weights are both the neighbour count
  SELECT id, sum(n) AS lag, count(*)::float8 AS w FROM pairs GROUP BY id
),
scored AS (
  SELECT s.id, (s.lag - st.xbar * s.w) / NULLIF(st.s * sqrt((st.m * s.w - s.w * s.w) / (st.m - 1)), 0) AS z
  FROM sums s, stats st
),
ranked AS (
  SELECT id, z, stat_two_sided_p(z) AS p,
         row_number() OVER (ORDER BY stat_two_sided_p(z) NULLS LAST, id) AS r,
         count(z) OVER () AS m
  FROM scored
)
SELECT id, z, p,
       CASE WHEN p IS NULL THEN NULL
            ELSE least(1, min(p * m / r) OVER (ORDER BY p DESC NULLS FIRST, r DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) END AS p_fdr
FROM ranked
ORDER BY id
