// The coverage rules (geodata/coverage.json): how a camera's view is built, what counts as
// effective, when a place or hotspot is covered, the KPI targets and the recommender's
// weights. Checked with zod at load; `rulesVersion` changes whenever the view rules change,
// which makes every cached view stale.
import crypto from 'node:crypto';
import { z } from 'zod';
import config from '../../../geodata/coverage.json';

const share = z.number().min(0).max(1);
const Target = z.object({ target: share, basis: z.string().min(1) });
const CameraTypeRule = z.object({ fovDeg: z.number().min(1).max(360), rangeM: z.number().positive().max(2000), directions: z.number().int().min(1).max(36).optional() });

export const RulesSchema = z.object({
  view: z.object({
    arcStepDeg: z.number().min(0.1).max(15),
    rangeFactor: z.object({ fixed: z.number().positive().max(1), dome: z.number().positive().max(1), ptz: z.number().positive().max(1) }),
    occlusion: z.boolean(),
    note: z.string(),
  }),
  effective: z.object({ statuses: z.array(z.enum(['online', 'offline', 'faulty'])).min(1), note: z.string() }),
  roads: z.object({ note: z.string() }),
  places: z.object({ footprintShare: share, note: z.string() }),
  grids: z.object({ note: z.string() }),
  hazards: z.object({ note: z.string() }),
  hotspots: z.object({ cellM: z.number().positive(), distanceM: z.number().positive(), months: z.number().int().min(1).max(60), coveredIncidentShare: share, note: z.string() }),
  kpiTargets: z.object({ online: Target, working: Target, networked: Target, smart: Target, registerComplete: Target, keyPlaces: Target }),
  recommend: z.object({
    cameraTypes: z.object({ fixed: CameraTypeRule, dome: CameraTypeRule, ptz: CameraTypeRule }),
    roadSampleM: z.number().min(5).max(200),
    roadSampleWeight: z.number().min(0),
    roadClassWeight: z.record(z.string(), z.number().min(0)),
    incidentRadiusM: z.number().positive(),
    incidentWeight: z.number().min(0),
    hotspotFactor: z.object({ hot99: z.number().min(1), hot95: z.number().min(1), hot90: z.number().min(1) }),
    placeWeight: z.number().min(0),
    hazardWeightPerLevel: z.record(z.enum(['1', '2', '3', '4']), z.number().min(0)),
    minSiteSpacingM: z.number().min(0),
    note: z.string(),
  }),
});
export type CoverageRules = z.infer<typeof RulesSchema>;

function load(): CoverageRules {
  const r = RulesSchema.safeParse(config);
  if (!r.success) throw new Error(`geodata/coverage.json is not a valid rule set: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export const RULES: CoverageRules = load();

/** Identifies the view rules a cached view was built with. */
export const VIEW_RULES_VERSION = crypto.createHash('sha1').update(JSON.stringify({ step: RULES.view.arcStepDeg, f: RULES.view.rangeFactor, o: RULES.view.occlusion })).digest('hex').slice(0, 12);
