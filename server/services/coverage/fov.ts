// Each camera's field of view, built in PostGIS (sql/coverage/fov-refresh.sql, function
// fov_polygon in migration 0012) and cached in camera_fov. Reading code calls `refreshViews`
// first: it rebuilds only the views whose camera changed, so an edited camera is never
// measured with its old view.
import type pg from 'pg';
import { one, sql } from '../../db/index';
import { RULES, VIEW_RULES_VERSION } from './rules';

/** Rebuilds stale views for the metric projection `srid`; returns how many were built. */
export async function refreshViews(c: pg.PoolClient, srid: number): Promise<number> {
  const r = await one<{ built: number }>(sql('coverage/fov-refresh.sql'), [srid, VIEW_RULES_VERSION, JSON.stringify(RULES.view.rangeFactor), RULES.view.arcStepDeg, RULES.view.occlusion], 'building the cameras\' fields of view', c);
  return r.built;
}
