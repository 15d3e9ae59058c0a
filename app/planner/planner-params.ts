// The planner's URL parameters (/planner and /planner/report) and the analysis form's
// fields: one schema per parameter, so a bad link and a bad entry in the form are told the
// same thing. The bounds are the form's; the server's analysis schemas and cost bounds
// stay the final word (their refusals are shown as the server words them).
import { LIMITS } from '@/lib/limits';
import { z } from 'zod';
import incidentCategories from '@/geodata/dictionaries/incident-categories.json';
import { calendarDay, oneOf, readParams, wholeNumber, type ParamSpec, type SearchInput } from '@/lib/url-params';

export type Mode = 'gistar' | 'kde' | 'forecast' | 'emerging';
export type Tab = 'targets' | 'listed' | 'index';
export const MODES: [Mode, string][] = [['gistar', '热点(Gi*)'], ['kde', '核密度'], ['forecast', '热点预测'], ['emerging', '时空热点']];
export const TABS: [Tab, string][] = [['targets', '整治目标'], ['listed', '挂牌督办'], ['index', '平安指数']];

const CATEGORY_CODES = incidentCategories.map((c) => c.code) as [string, ...string[]];

const spec = <T,>(s: ParamSpec<T>) => s;
const WINDOW_LABEL = '最近 12 个月(时空热点为 24 个月)';

/** The analysis parameters (the form's fields); `from`/`to` default to a window the page computes. */
export const ANALYSIS_PARAMS = {
  cell: spec({ schema: wholeNumber(LIMITS.cellM.min, LIMITS.cellM.max, '网格单元边长', '米'), fallback: 500, label: '500 米' }),
  distance: spec({ schema: wholeNumber(LIMITS.distanceM.min, LIMITS.distanceM.max, '邻域距离', '米'), fallback: 1200, label: '1200 米' }),
  from: spec<string | null>({ schema: calendarDay, fallback: null, label: WINDOW_LABEL }),
  to: spec<string | null>({ schema: calendarDay, fallback: null, label: WINDOW_LABEL }),
  category: spec<string>({ schema: z.enum(CATEGORY_CODES, { error: '须为案件类别字典中的类别代码,如 criminal.theft' }), fallback: '', label: '全部类别' }),
  bandwidth: spec<number | null>({ schema: wholeNumber(LIMITS.bandwidthM.min, LIMITS.bandwidthM.max, '带宽', '米'), fallback: null, label: 'Silverman 空间规则' }),
  slices: spec({ schema: wholeNumber(LIMITS.slices.min, LIMITS.slices.max, '时段数'), fallback: 12, label: '12 个时段' }),
};

/** The page's own parameters: the analysis on the map and the right-hand tab. */
export const PLANNER_PARAMS = {
  mode: spec<Mode>({ schema: oneOf(['gistar', 'kde', 'forecast', 'emerging'], MODES.map(([m, l]) => `${m} ${l}`)), fallback: 'gistar', label: '热点(Gi*)' }),
  tab: spec<Tab>({ schema: oneOf(['targets', 'listed', 'index'], TABS.map(([t, l]) => `${t} ${l}`)), fallback: 'targets', label: '整治目标' }),
  ...ANALYSIS_PARAMS,
};

/** The printed report's parameters. */
export const REPORT_PARAMS = {
  paper: spec<'A4' | 'A3'>({ schema: oneOf(['A4', 'A3']), fallback: 'A4', label: 'A4' }),
  mode: PLANNER_PARAMS.mode,
  ...ANALYSIS_PARAMS,
  from: { ...ANALYSIS_PARAMS.from, label: '全部时间' },
  to: { ...ANALYSIS_PARAMS.to, label: '全部时间' },
  top: spec({ schema: wholeNumber(1, 200, '目标数'), fallback: 20, label: '前 20 个' }),
};

/**
 * Reads the planner's parameters, fills a missing end of the window from `defaultWindow`
 * (the page's; the report leaves it to the server), then the one rule between two of
 * them: a window whose start is not before its end falls back to the default window,
 * with a notice.
 */
export function readPlannerParams<S extends typeof PLANNER_PARAMS | typeof REPORT_PARAMS>(
  search: SearchInput,
  specs: S,
  defaultWindow?: (mode: Mode) => { from: string; to: string },
) {
  const read = readParams(search, specs);
  const v = read.values as { mode: Mode; from: string | null; to: string | null };
  const given = { from: v.from, to: v.to };
  const fallback = defaultWindow?.(v.mode);
  if (fallback) {
    v.from ??= fallback.from;
    v.to ??= fallback.to;
  }
  if (v.from && v.to && v.from >= v.to) {
    const shown = [given.from && `from=${given.from}`, given.to && `to=${given.to}`].filter(Boolean).join('&');
    read.notices.push(`链接参数 ${shown} 无效(开始日期须早于结束日期),已改用默认的时间段。`);
    v.from = fallback?.from ?? null;
    v.to = fallback?.to ?? null;
  }
  return read;
}
