-- The class of the Gi* hotspot cell each demand unit lies in.
UPDATE rec_demand d SET hot = h.class FROM cov_hot h WHERE ST_Intersects(h.g, d.g)
