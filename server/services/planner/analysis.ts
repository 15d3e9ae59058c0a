// The planner's three analysis layers run from the URL parameters, one way for the page's
// exports and the printed report: Gi* classes, kernel density, emerging hot spots.
import { runHotspots, type HotspotResult } from '../hotspots/hotspots';
import { runKde, type KdeResult } from '../hotspots/kde';
import { runEmerging } from '../hotspots/emerging';
import { chinaDay, type PlannerParams } from './params';

export type AnalysisMode = 'gistar' | 'kde' | 'emerging';

export type AnalysisResult =
  | { mode: 'gistar'; r: HotspotResult }
  | { mode: 'kde'; r: KdeResult }
  | { mode: 'emerging'; r: Awaited<ReturnType<typeof runEmerging>> };

/** Runs one analysis layer with cell polygons, as the planner page draws it. */
export async function runAnalysis(mode: AnalysisMode, p: PlannerParams): Promise<AnalysisResult> {
  const from = p.from ? chinaDay(p.from) : undefined;
  const to = p.to ? chinaDay(p.to) : undefined;
  const categories = p.category ? [p.category] : undefined;
  if (mode === 'gistar') return { mode, r: await runHotspots({ shape: 'square', cellM: p.cell, neighbours: { kind: 'distance', metres: p.distance }, from, to, categories, withGeometry: true }) };
  if (mode === 'kde') return { mode, r: await runKde({ cellM: p.cell, bandwidthM: p.bandwidth, from, to, categories }) };
  if (!from || !to) throw new Error('emerging hot spots need from and to');
  return { mode, r: await runEmerging({ shape: 'square', cellM: Math.max(p.cell, 200), neighbours: { kind: 'distance', metres: p.distance }, from, to, slices: p.slices, withGeometry: true }) };
}
