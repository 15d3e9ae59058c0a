-- Temporary tables of one coverage computation (dropped at the end of its transaction).
-- cov_scope: the study area cut into small pieces for fast clipping; cov_view: the views
-- that reach it; cov_road: road pieces inside it with the union of views touching them
-- and the covered part (nominal: all views; effective: views of cameras that count as
-- working); cov_zone: townships and grids cut into small pieces; cov_hot: Gi* hotspot
-- cells and cov_hot_incident their incidents; cov_incident: all incidents of the hotspot
-- window in the area. All in metres ($srid) except cov_hot.geom.
CREATE TEMP TABLE cov_scope (g geometry) ON COMMIT DROP;
CREATE TEMP TABLE cov_view (camera_id integer, eff boolean, g geometry) ON COMMIT DROP;
CREATE TEMP TABLE cov_road (piece serial, road_id integer, road_class text, g geometry, len float8,
  u_nom geometry, u_eff geometry, c_nom geometry, c_eff geometry, nom_len float8, eff_len float8) ON COMMIT DROP;
CREATE TEMP TABLE cov_zone (kind text, code text, g geometry) ON COMMIT DROP;
CREATE TEMP TABLE cov_hot (id integer, class text, geom geometry, g geometry) ON COMMIT DROP;
CREATE TEMP TABLE cov_hot_incident (id integer, g geometry) ON COMMIT DROP;
CREATE TEMP TABLE cov_incident (g geometry) ON COMMIT DROP;
