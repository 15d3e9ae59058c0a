-- Demand already inside an effective camera's view is not a gap.
DELETE FROM rec_demand d WHERE EXISTS (SELECT 1 FROM cov_view v WHERE v.eff AND v.g && d.g AND ST_Intersects(v.g, d.g))
