// The pages of the map are presets of one map view: which layers are on when the page opens,
// which the layer panel offers, and which panels stand beside the map (the page's own
// children). A link's ?layers= overrides the preset's defaults.
import { LAYER_IDS } from './registry';

export interface Preset {
  id: 'map' | 'planner' | 'audit' | 'patrol';
  /** Layers on when no link says otherwise. */
  layers: string[];
  /** Layers the panel lists; the others cannot be switched on from this page. */
  offered: string[];
  /** Whether the shared time-window and category filters are shown (a page with its own form hides them). */
  filterPanel: boolean;
}

const BASE = ['county', 'townships', 'roads', 'labels'];

/** Layers a page drives from its own panels (its mode, tab or computed result): not offered on the panel there. */
const PLANNER_DRIVEN = ['gistar', 'kde', 'forecast', 'emerging', 'peace-index', 'ranked-targets', 'evaluation'];
const PLANNER_ONLY = ['ranked-targets', 'evaluation'];
/** Layers the patrol page drives (its analyses): offered nowhere else. */
const PATROL_DRIVEN = ['patrol-dosage', 'visibility', 'suggested-route'];
/** Layers the audit page drives (its tabs and runs). */
const AUDIT_DRIVEN = ['findings', 'recommend'];

export const PRESETS: Record<Preset['id'], Preset> = {
  map: { id: 'map', layers: [...BASE, 'incidents', 'hazards'], offered: LAYER_IDS.filter((id) => !PLANNER_ONLY.includes(id) && !AUDIT_DRIVEN.includes(id) && !PATROL_DRIVEN.includes(id) && id !== 'candidates'), filterPanel: true },
  planner: { id: 'planner', layers: [...BASE, 'targets'], offered: LAYER_IDS.filter((id) => !PLANNER_DRIVEN.includes(id) && !AUDIT_DRIVEN.includes(id) && !PATROL_DRIVEN.includes(id) && id !== 'candidates'), filterPanel: false },
  audit: { id: 'audit', layers: [...BASE, 'cameras', 'coverage-gaps', 'hotspot-cover', 'occluders', 'candidates'], offered: LAYER_IDS.filter((id) => !PLANNER_ONLY.includes(id) && !AUDIT_DRIVEN.includes(id) && !PATROL_DRIVEN.includes(id)), filterPanel: false },
  patrol: { id: 'patrol', layers: [...BASE, 'patrol-routes', 'patrol-dosage', 'suggested-route'], offered: LAYER_IDS.filter((id) => !PLANNER_ONLY.includes(id) && !AUDIT_DRIVEN.includes(id) && !PATROL_DRIVEN.includes(id) && id !== 'candidates'), filterPanel: true },
};
