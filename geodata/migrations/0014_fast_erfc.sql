-- stat_erfc again, same formula and constants (Numerical Recipes' erfcc), in PL/pgSQL: the
-- SQL version (a SELECT over a subquery) cannot be inlined, and PostgreSQL 15 ran it
-- through the SQL-function executor at ~220 µs a call — 11 s of the 13 s Gi* on 50,000
-- cells (bench hotspots-1m). As PL/pgSQL it costs a few µs.
CREATE OR REPLACE FUNCTION stat_erfc(x float8) RETURNS float8
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  z float8 := abs(x);
  t float8;
  r float8;
BEGIN
  -- beyond |x| = 26 the result is below the smallest double: answer 0 (or 2) instead of
  -- letting exp() underflow, which PostgreSQL reports as an error
  IF z > 26 THEN
    RETURN CASE WHEN x >= 0 THEN 0 ELSE 2 END;
  END IF;
  t := 1 / (1 + 0.5 * z);
  r := t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
       t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
       t * (-0.82215223 + t * 0.17087277)))))))));
  RETURN CASE WHEN x >= 0 THEN r ELSE 2 - r END;
END
$$;
