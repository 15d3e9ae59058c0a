// The one list of map layers, in drawing order (bottom to top). The layer panel, the
// legend, the URL state, the presets, the wall's themes and the tests read this list, so a
// layer is added here once (its module in app/layers/<kind>/) and appears everywhere.
import type { LayerModule } from './types';
import { countyLayer, labelsLayer, roadsLayer, townshipsLayer, villagesLayer } from './base';
import { gridsLayer } from './grids';
import { incidentsLayer } from './incidents';
import { incidentPointsLayer } from './incidents/points';
import { emergingLayer, forecastLayer, gistarLayer, kdeLayer, peaceIndexLayer } from './analysis';
import { evaluationLayer, rankedTargetsLayer, targetsLayer } from './targets';
import { candidatesLayer, findingsLayer, hotspotCoverLayer, occludersLayer, recommendLayer } from './audit';
import { hazardsLayer } from './hazards';
import { fireZonesLayer } from './fire-zones';
import { highRisesLayer } from './high-rises';
import { placesLayer } from './places';
import { camerasLayer } from './cameras';
import { coverageGapsLayer } from './coverage-gaps';
import { patrolRoutesLayer, patrolTracksLayer } from './patrols';
import { dosageLayer, suggestedRouteLayer, visibilityLayer } from './patrol-analysis';

export const LAYER_MODULES: readonly LayerModule[] = [
  countyLayer,
  townshipsLayer,
  villagesLayer,
  peaceIndexLayer,
  visibilityLayer,
  gridsLayer,
  incidentsLayer,
  fireZonesLayer,
  kdeLayer,
  forecastLayer,
  gistarLayer,
  emergingLayer,
  evaluationLayer,
  dosageLayer,
  hotspotCoverLayer,
  occludersLayer,
  targetsLayer,
  highRisesLayer,
  patrolRoutesLayer,
  coverageGapsLayer,
  camerasLayer,
  incidentPointsLayer,
  placesLayer,
  hazardsLayer,
  patrolTracksLayer,
  suggestedRouteLayer,
  rankedTargetsLayer,
  findingsLayer,
  recommendLayer,
  candidatesLayer,
  roadsLayer,
  labelsLayer,
] as LayerModule[];

export const LAYER_IDS = LAYER_MODULES.map((l) => l.id);

export function isLayerId(v: string): boolean {
  return LAYER_IDS.includes(v);
}

export function layerModule(id: string): LayerModule | undefined {
  return LAYER_MODULES.find((l) => l.id === id);
}

/** The module that owns a deck.gl layer (`grids` or `grids:outline` → grids). */
export function ownerOf(deckLayerId: string): LayerModule | undefined {
  return layerModule(deckLayerId.split(':')[0]!);
}
