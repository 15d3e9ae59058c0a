UPDATE cov_road SET nom_len = coalesce(ST_Length(c_nom), 0), eff_len = coalesce(ST_Length(c_eff), 0)
