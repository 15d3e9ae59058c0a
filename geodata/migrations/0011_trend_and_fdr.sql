-- Mann-Kendall trend test and Benjamini–Hochberg adjustment as SQL functions, for the
-- emerging-hotspot analysis (Gi* per time slice, then a trend per cell).

-- Mann-Kendall: S = Σ_{i<j} sign(x_j − x_i); Var(S) with the tie correction
-- (n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18; z with continuity correction; two-sided p.
CREATE OR REPLACE FUNCTION stat_mann_kendall(x float8[], OUT s float8, OUT variance float8, OUT z float8, OUT p float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH v AS (SELECT i, xv FROM unnest(x) WITH ORDINALITY AS u(xv, i) WHERE xv IS NOT NULL),
  cnt AS (SELECT count(*)::float8 AS n FROM v),
  sum_s AS (SELECT coalesce(sum(sign(b.xv - a.xv)), 0)::float8 AS s FROM v a JOIN v b ON b.i > a.i),
  ties AS (SELECT coalesce(sum(t * (t - 1) * (2 * t + 5)), 0) AS tt FROM (SELECT count(*)::float8 AS t FROM v GROUP BY xv) g),
  var_s AS (SELECT (n * (n - 1) * (2 * n + 5) - tt) / 18 AS variance FROM cnt, ties),
  zed AS (
    SELECT sum_s.s, var_s.variance,
           CASE WHEN var_s.variance <= 0 THEN 0::float8
                WHEN sum_s.s > 0 THEN (sum_s.s - 1) / sqrt(var_s.variance)
                WHEN sum_s.s < 0 THEN (sum_s.s + 1) / sqrt(var_s.variance)
                ELSE 0::float8 END AS z
    FROM sum_s, var_s
  )
  SELECT s, variance, z, stat_two_sided_p(z) FROM zed
$$;

-- Benjamini–Hochberg adjusted p-values, in the order given (as R's p.adjust(p, "BH")).
CREATE OR REPLACE FUNCTION stat_bh_adjust(p float8[]) RETURNS float8[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT array_agg(adj ORDER BY i) FROM (
    SELECT i, least(1, min(pv * m / r) OVER (ORDER BY pv DESC, r DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS adj
    FROM (SELECT i, pv, row_number() OVER (ORDER BY pv, i) AS r, count(*) OVER () AS m FROM unnest(p) WITH ORDINALITY AS u(pv, i)) a
  ) b
$$;
