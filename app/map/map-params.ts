// The map view's URL state: everything a link must carry to reproduce what the user saw.
// ?layers=county,roads,… (empty = none; missing = the page's preset), from/to (China days),
// cat (incident categories), metric (grid choropleth), play (day:N | hour:H), tday/tsec
// (patrol playback), sel (layer:id), basemap (a configured basemap's id; which ids exist is
// known at run time: app/map/basemap-select.tsx checks it). The view itself (#zoom/lat/lon) is
// maplibre's hash, in the coordinates of the basemap (GCJ-02 over a GCJ-02 basemap).
import { z } from 'zod';
import type { ParamSpec } from '@/lib/url-params';
import { isLayerId, LAYER_MODULES } from '../layers/registry';
import type { GridMetric, MapFilters, Selection } from '../layers/types';
import { GRID_METRICS } from '../layers/grids/metrics';
import incidentCategories from '@/geodata/dictionaries/incident-categories.json';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayText = z.string().regex(DAY, { error: '日期须为 YYYY-MM-DD' }).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: '不是有效的日期' });
const CATEGORY_CODES = new Set((incidentCategories as { code: string }[]).map((c) => c.code));


export const MAP_PARAMS = {
  layers: {
    schema: z
      .string()
      .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
      .refine((ids) => ids.every(isLayerId), { error: `图层须为 ${LAYER_MODULES.map((l) => `${l.id}(${l.title})`).join('、')},以逗号分隔` }),
    fallback: null,
    label: '默认图层',
  } satisfies ParamSpec<string[] | null>,
  from: { schema: dayText, fallback: null, label: '默认时间段' } satisfies ParamSpec<string | null>,
  to: { schema: dayText, fallback: null, label: '默认时间段' } satisfies ParamSpec<string | null>,
  cat: {
    schema: z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)).refine((c) => c.every((x) => CATEGORY_CODES.has(x)), { error: '案事件类别须为类别代码,以逗号分隔' }),
    fallback: [],
    label: '全部类别',
  } satisfies ParamSpec<string[]>,
  metric: { schema: z.enum(GRID_METRICS.map(([m]) => m) as [GridMetric, ...GridMetric[]], { error: `可选:${GRID_METRICS.map(([m, l]) => `${m} ${l}`).join('、')}` }), fallback: 'incidents', label: '案事件数' } satisfies ParamSpec<GridMetric>,
  play: {
    schema: z.string().regex(/^(day|hour):\d{1,3}$/, { error: '回放须为 day:N 或 hour:H' }).transform((s) => ({ mode: s.split(':')[0] as 'day' | 'hour', index: Number(s.split(':')[1]) })).refine((p) => p.mode === 'day' || p.index < 24, { error: '小时须在 0–23 之间' }),
    fallback: null,
    label: '不回放',
  } satisfies ParamSpec<MapFilters['play']>,
  tday: { schema: dayText, fallback: null, label: '最近一天' } satisfies ParamSpec<string | null>,
  tsec: { schema: z.coerce.number().int().min(0).max(86_399), fallback: 0, label: '0 时' } satisfies ParamSpec<number>,
  sel: {
    schema: z.string().regex(/^[a-z][a-z0-9-]*:[A-Za-z0-9._-]{1,64}$/, { error: '选中对象须为 图层:编号' }).refine((s) => isLayerId(s.split(':')[0]!), { error: '未知图层' }).transform((s): Selection => {
      const [layer, id] = [s.slice(0, s.indexOf(':')), s.slice(s.indexOf(':') + 1)];
      return { layer, id: /^\d+$/.test(id) ? Number(id) : id };
    }),
    fallback: null,
    label: '不选中',
  } satisfies ParamSpec<Selection | null>,
  basemap: { schema: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { error: '底图编号须为小写字母开头的字母、数字或 -' }), fallback: null, label: '默认底图' } satisfies ParamSpec<string | null>,
};

/** The layers to show: the link's, or the preset's. `layers=` (empty) shows none: the user switched them all off. */
export function visibleFromParams(search: URLSearchParams, read: string[] | null, preset: readonly string[]): string[] {
  if (read) return read;
  return search.has('layers') && search.get('layers') === '' ? [] : [...preset];
}

export function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`); // calendar arithmetic only
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** The default time window of the map: the last 30 days of the data. */
export const DEFAULT_WINDOW_DAYS = 30;

/** The URL for a state; unchanged defaults are left out so links stay short. */
export function stateSearch(base: URLSearchParams, s: { layers: readonly string[]; filters: MapFilters; sel: Selection | null; /** the chosen basemap, null when it is the default */ basemap?: string | null }, defaults: { layers: readonly string[]; from: string; to: string }): URLSearchParams {
  const q = new URLSearchParams(base);
  const same = s.layers.length === defaults.layers.length && s.layers.every((l) => defaults.layers.includes(l));
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('layers', same ? null : s.layers.join(','));
  const f = s.filters;
  set('from', f.from === defaults.from && f.to === defaults.to ? null : f.from);
  set('to', f.from === defaults.from && f.to === defaults.to ? null : f.to);
  set('cat', f.categories.length ? f.categories.join(',') : null);
  set('metric', f.gridMetric === 'incidents' ? null : f.gridMetric);
  set('play', f.play ? `${f.play.mode}:${f.play.index}` : null);
  set('tday', f.trackDay);
  set('tsec', f.trackDay ? String(f.trackSecond) : null);
  set('sel', s.sel ? `${s.sel.layer}:${s.sel.id}` : null);
  if (s.basemap !== undefined) set('basemap', s.basemap);
  return q;
}
