-- Each road piece's covered part: its intersection with the union of the views touching
-- it, for all views (nominal) and for effective views only.
UPDATE cov_road r SET
  len = ST_Length(r.g),
  u_nom = (SELECT ST_Union(v.g) FROM cov_view v WHERE v.g && r.g AND ST_Intersects(v.g, r.g)),
  u_eff = (SELECT ST_Union(v.g) FROM cov_view v WHERE v.eff AND v.g && r.g AND ST_Intersects(v.g, r.g))
