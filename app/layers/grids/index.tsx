'use client';
// 网格: the management grids as a choropleth by a chosen metric (incidents, rate per 1,000
// residents, open grid events, population) over the map's time window, with the grid worker
// and phone in the detail panel. Geometry comes from the cached base-map query; the figures
// from map.gridStats (the window and categories are its inputs).
import { GeoJsonLayer } from '@deck.gl/layers';
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import type { Feature, FeatureCollection } from 'geojson';
import { useMemo } from 'react';
import { useTRPC } from '../../trpc';
import { defineLayer, type GridMetric, type LayerEnv, type Rgb } from '../types';
import { quantileBreaks, classOf, classLabel, rgb, fmt } from '../scale';
import { GRID_METRICS } from './metrics';

export const GRID_OUTLINE: Rgb = [12, 133, 153];
/** Sequential ramp, light (few) to dark (many). */
export const GRID_RAMP: Rgb[] = [[240, 249, 232], [186, 228, 188], [123, 204, 196], [67, 162, 202], [8, 104, 172]];

interface GridStat { code: string; name: string; incidents: number; openEvents: number; population: number | null; households: number | null; ratePer1000: number | null; workerName: string | null; workerPhone: string | null }
interface GridData { fc: FeatureCollection; stats: Map<string, GridStat>; metric: GridMetric; values: Map<string, number | null>; breaks: number[]; min: number }

function metricValue(s: GridStat | undefined, p: Record<string, unknown>, m: GridMetric): number | null {
  if (m === 'population') return (s?.population ?? (p.population as number | null)) ?? null;
  if (!s) return null;
  if (m === 'incidents') return s.incidents;
  if (m === 'openEvents') return s.openEvents;
  return s.ratePer1000;
}

function useGridData(env: LayerEnv) {
  const trpc = useTRPC();
  const f = env.filters;
  const geo = useQuery({ ...trpc.basemap.grids.queryOptions(), enabled: env.active, staleTime: Infinity });
  const stats = useQuery({
    ...trpc.map.gridStats.queryOptions({ from: f.from, to: f.to, categories: f.categories.length ? f.categories : undefined }),
    enabled: env.active && f.gridMetric !== 'population',
    placeholderData: keepPreviousData,
  });
  const metric = f.gridMetric;
  const data = useMemo<GridData | undefined>(() => {
    if (!geo.data) return undefined;
    if (metric !== 'population' && !stats.data) return undefined;
    const byCode = new Map((stats.data?.grids ?? []).map((g) => [g.code, g as GridStat]));
    const values = new Map<string, number | null>();
    // the value rides on each feature, so the tooltip reads it from what was picked
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: (geo.data as FeatureCollection).features.map((ft) => {
        const code = String(ft.properties?.code);
        const value = metricValue(byCode.get(code), ft.properties ?? {}, metric);
        values.set(code, value);
        return { ...ft, properties: { ...ft.properties, value } };
      }),
    };
    const known = [...values.values()].filter((v): v is number => v !== null);
    return { fc, stats: byCode, metric, values, breaks: quantileBreaks(known, GRID_RAMP.length), min: known.length ? Math.min(...known) : 0 };
  }, [geo.data, stats.data, metric]);
  return { data, loading: geo.isFetching || stats.isFetching, error: geo.error ?? stats.error };
}

const METRIC_LABEL = Object.fromEntries(GRID_METRICS) as Record<GridMetric, string>;
const UNIT: Record<GridMetric, string> = { incidents: '起', rate: '起/千人', openEvents: '件', population: '人' };

export const gridsLayer = defineLayer<GridData>({
  id: 'grids',
  title: '网格',
  group: '网格化管理',
  renderer: 'deck',
  below: 'roads',
  useData: useGridData,
  build: (d) => [
    new GeoJsonLayer({
      id: 'grids',
      data: d.fc,
      filled: true,
      stroked: true,
      pickable: true,
      getFillColor: (ft: Feature) => {
        const v = d.values.get(String(ft.properties?.code));
        return v === null || v === undefined ? [0, 0, 0, 0] : [...GRID_RAMP[classOf(v, d.breaks)]!, 150];
      },
      getLineColor: [...GRID_OUTLINE, 140],
      lineWidthUnits: 'pixels',
      getLineWidth: 0.8,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 70],
      updateTriggers: { getFillColor: [d.values, d.breaks] },
    }),
  ],
  highlight: (d, sel) => {
    const ft = d?.fc.features.find((f) => String(f.properties?.code) === String(sel.id));
    return ft ? [new GeoJsonLayer({ id: 'grids:selected:top', data: [ft], filled: false, stroked: true, getLineColor: [230, 73, 128, 255], lineWidthUnits: 'pixels', getLineWidth: 3 })] : [];
  },
  legend: (d, env) => {
    const m = env.filters.gridMetric;
    const breaks = d?.breaks ?? [];
    return {
      items: GRID_RAMP.slice(0, Math.max(1, breaks.length + 1)).map((c, k) => ({
        label: d ? classLabel(k, breaks, d.min, UNIT[m]) : '—',
        color: rgb(c),
        shape: 'fill' as const,
      })),
      scale: { low: '浅色:少', high: '深色:多', better: m === 'population' ? 'neither' : 'low' },
      note: `按${METRIC_LABEL[m]}分级(分位数)${m === 'population' ? '' : `,${env.filters.from} 至 ${env.filters.to}`}`,
    };
  },
  deps: (env) => [env.filters.gridMetric],
  tooltip: ({ object }, env) => {
    const p = (object as Feature | null)?.properties;
    if (!p) return null;
    return `${p.name}\n网格员:${p.workerName ?? '未配备'}\n${METRIC_LABEL[env.filters.gridMetric]}:${p.value === null || p.value === undefined ? '—' : `${fmt(p.value)} ${UNIT[env.filters.gridMetric]}`}`;
  },
  selectionOf: ({ object }) => {
    const code = (object as Feature | null)?.properties?.code;
    return code ? { layer: 'grids', id: String(code), object } : null;
  },
  find: (d, id) => d.fc.features.find((f) => String(f.properties?.code) === String(id)),
  locate: (o) => {
    const p = (o as Feature).properties;
    return p?.labelLon ? { lon: Number(p.labelLon), lat: Number(p.labelLat), zoom: 14 } : null;
  },
  Detail: ({ sel, data }) => {
    const ft = (sel.object as Feature | undefined) ?? data?.fc.features.find((f) => String(f.properties?.code) === String(sel.id));
    const p = ft?.properties ?? {};
    const s = data?.stats.get(String(sel.id));
    return (
      <dl className="detail-list">
        <dt>网格</dt><dd>{p.name ?? '—'}({String(sel.id)})</dd>
        <dt>网格员</dt><dd>{p.workerName ?? '未配备'}</dd>
        <dt>联系电话</dt><dd>{p.workerPhone ?? '—'}</dd>
        <dt>户数 / 人口</dt><dd>{p.households ?? '—'} 户 / {p.population ?? '—'} 人</dd>
        <dt>案事件</dt><dd>{s ? `${s.incidents} 起` : '—'}</dd>
        <dt>每千人</dt><dd>{s?.ratePer1000 === null || s?.ratePer1000 === undefined ? '—' : s.ratePer1000.toFixed(1)}</dd>
        <dt>未办结网格事件</dt><dd>{s ? `${s.openEvents} 件` : '—'}</dd>
      </dl>
    );
  },
  Controls: ({ env, setFilters }) => (
    <label className="metric-select">
      分级指标
      <select value={env.filters.gridMetric} onChange={(e) => setFilters({ gridMetric: e.target.value as GridMetric })} data-testid="grid-metric">
        {GRID_METRICS.map(([m, l]) => <option key={m} value={m}>{l}</option>)}
      </select>
    </label>
  ),
});

