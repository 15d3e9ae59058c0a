-- Statistical helpers for the hotspot analyses, in SQL so every engine has them
-- (PostgreSQL 15 has no erf/erfc; PGlite's 18 does, under other names we do not rely on).

-- Complementary error function (Numerical Recipes' erfcc, Chebyshev fit; fractional
-- error below 1.2e-7 everywhere), used for two-sided normal p-values.
CREATE OR REPLACE FUNCTION stat_erfc(x float8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  -- Beyond |x| = 26 the result is below the smallest double: answer 0 (or 2) instead of
  -- letting exp() underflow, which PostgreSQL reports as an error.
  SELECT CASE WHEN z > 26 THEN (CASE WHEN x >= 0 THEN 0 ELSE 2 END) WHEN x >= 0 THEN r ELSE 2 - r END
  FROM (SELECT z, CASE WHEN z > 26 THEN 0 ELSE t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
               t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
               t * (-0.82215223 + t * 0.17087277))))))))) END AS r
        FROM (SELECT abs(x) AS z, 1 / (1 + 0.5 * abs(x)) AS t) a) b
$$;

-- Two-sided p-value of a standard normal z-score.
CREATE OR REPLACE FUNCTION stat_two_sided_p(z float8) RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT least(1, stat_erfc(abs(z) / sqrt(2)))
$$;
