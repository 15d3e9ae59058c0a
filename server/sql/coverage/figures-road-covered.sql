UPDATE cov_road SET
  c_nom = CASE WHEN u_nom IS NULL THEN NULL ELSE ST_CollectionExtract(ST_Intersection(g, u_nom), 2) END,
  c_eff = CASE WHEN u_eff IS NULL THEN NULL ELSE ST_CollectionExtract(ST_Intersection(g, u_eff), 2) END
