// The planner's analysis layers run from the URL parameters, one way for the page's
// exports and the printed report: Gi* classes, kernel density, the validated hotspot
// forecast (from the window's end, 90 days ahead, on two years of history), emerging hot spots.
import { runHotspots, type HotspotResult } from '../hotspots/hotspots';
import { runKde, type KdeResult } from '../hotspots/kde';
import { runEmerging } from '../hotspots/emerging';
import { runCountyForecast, type CountyForecast } from '../forecast/county';
import { HotspotInputError } from '../../errors';
import { LIMITS } from '../../../lib/limits';
import { chinaDay, type PlannerParams } from './params';
import type { Tx } from '../../db/scope';

export type AnalysisMode = 'gistar' | 'kde' | 'forecast' | 'emerging';

/** The planner's forecast: 90 days from the window's end, validated on the two years before it. */
export const FORECAST_HORIZON_DAYS = 90;
export const FORECAST_HISTORY_DAYS = 730;

export type AnalysisResult =
  | { mode: 'gistar'; r: HotspotResult }
  | { mode: 'kde'; r: KdeResult }
  | { mode: 'forecast'; r: CountyForecast }
  | { mode: 'emerging'; r: Awaited<ReturnType<typeof runEmerging>> };

/** Runs one analysis layer with cell polygons, as the planner page draws it. */
export async function runAnalysis(tx: Tx, mode: AnalysisMode, p: PlannerParams): Promise<AnalysisResult> {
  const from = p.from ? chinaDay(p.from) : undefined;
  const to = p.to ? chinaDay(p.to) : undefined;
  const categories = p.category ? [p.category] : undefined;
  if (mode === 'gistar') return { mode, r: await runHotspots(tx, { shape: 'square', cellM: p.cell, neighbours: { kind: 'distance', metres: p.distance }, from, to, categories, withGeometry: true }) };
  if (mode === 'kde') return { mode, r: await runKde(tx, { cellM: p.cell, bandwidthM: p.bandwidth, from, to, categories }) };
  if (mode === 'forecast') return { mode, r: await runCountyForecast(tx, { cellM: p.cell, asOf: to, horizonDays: FORECAST_HORIZON_DAYS, historyDays: FORECAST_HISTORY_DAYS, categories }) };
  if (!from || !to) throw new HotspotInputError('An emerging hot spot analysis needs a start and an end date.', '时空热点分析需要开始和结束日期:请选择起止时间。');
  return { mode, r: await runEmerging(tx, { shape: 'square', cellM: Math.max(p.cell, LIMITS.emergingCellM), neighbours: { kind: 'distance', metres: p.distance }, from, to, slices: p.slices, withGeometry: true }) };
}
