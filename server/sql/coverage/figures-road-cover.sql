-- Each road piece's union of the views touching it, for effective views and for all views
-- (nominal). One scan of the views per piece: the nominal union is the effective union
-- joined with the union of the other views (most views are effective, so this is cheaper
-- than two independent unions).
UPDATE cov_road r SET
  len = ST_Length(r.g),
  u_eff = x.u_eff,
  u_nom = CASE WHEN x.u_off IS NULL THEN x.u_eff WHEN x.u_eff IS NULL THEN x.u_off ELSE ST_Union(x.u_eff, x.u_off) END
FROM (
  SELECT p.piece, l.u_eff, l.u_off
  FROM cov_road p
  CROSS JOIN LATERAL (
    SELECT ST_Union(v.g) FILTER (WHERE v.eff) AS u_eff, ST_Union(v.g) FILTER (WHERE NOT v.eff) AS u_off
    FROM cov_view v WHERE v.g && p.g AND ST_Intersects(v.g, p.g)
  ) l
) x
WHERE x.piece = r.piece
