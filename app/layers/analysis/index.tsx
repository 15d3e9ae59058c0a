'use client';
// 研判分析 layers: Gi* hot and cold spots, the kernel density surface, emerging hot-spot
// patterns and the townships' 平安指数. On the planner the page hands each its analysis
// input (env.params[id]) — the same query the page's panels read, so react-query runs it
// once; on the situational map they take the map's window and categories with the
// planner's default cells. Fills are translucent and drawn under the labels; at street
// zoom they fade further so street names stay readable.
import { GeoJsonLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, GeoJsonProperties, Geometry } from 'geojson';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { defineLayer, type LayerEnv, type LayerModule, type Rgb, type Rgba } from '../types';
import { useQueryData, type QueryState } from '../query-data';
import { rgb } from '../scale';
import { chinaDay } from '@/lib/china-time';
import { LIMITS } from '@/lib/limits';
import { FORECAST_METHOD_LABELS } from '../../../lib/forecast-labels';
import { EMERGING_COLOR, EMERGING_STYLE, GISTAR_COLOR, GISTAR_LABEL, GISTAR_STYLE, INDEX_COLORS, KDE_COLORS, kdeClass, type HotspotClass } from '../../planner/analysis-styles';

type In = inferRouterInputs<AppRouter>['hotspots'];
type Out = inferRouterOutputs<AppRouter>['hotspots'];
type PeaceOut = inferRouterOutputs<AppRouter>['peaceIndex']['compute'];

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
/** Fill alpha: firm at county zoom, lighter at street zoom where labels and roads matter. */
const alphaAt = (zoom: number | undefined, county: number) => ((zoom ?? 10) >= 13 ? Math.round(county * 0.6) : county);
const zoomBand = (env: LayerEnv) => [(env.view?.zoom ?? 10) >= 13, env.params['analysis-dim']];

function windowOf(env: LayerEnv) {
  return { from: chinaDay(env.filters.from), to: new Date(chinaDay(env.filters.to).getTime() + 86_400_000), categories: env.filters.categories.length ? env.filters.categories : undefined };
}
const tallyOf = <T,>(rows: T[] | undefined, key: (r: T) => string) => {
  const t = new Map<string, number>();
  for (const r of rows ?? []) t.set(key(r), (t.get(key(r)) ?? 0) + 1);
  return t;
};

// ---- the cell analyses -----------------------------------------------------------------
// Gi*, kernel density and emerging hot spots share one shape: an analysis run asked once per
// input (the planner's, or the map's window with default cells), its cells drawn as one
// translucent GeoJSON layer under the roads, and the legend's counts per class.
interface CellData<A> { out: A; fc: FeatureCollection; tally: Map<string, number> }
type Trpc = ReturnType<typeof useTRPC>;

interface CellSpec<A extends { cells: unknown[] }> extends Omit<LayerModule<CellData<A>>, 'group' | 'renderer' | 'below' | 'useData' | 'deps' | 'build'> {
  /** The analysis run, read with `cached(env)`: env.params[id] on the planner, a default input on the map. */
  useAnswer(env: LayerEnv, trpc: Trpc): QueryState<A>;
  /** The cells drawn. */
  features(out: A): Feature[];
  /** The class a cell is counted under in the legend. */
  classOf(cell: A['cells'][number], out: A): string;
  /** A drawn cell's colour at the map's zoom. */
  fill(p: NonNullable<GeoJsonProperties>, zoom: number | undefined): Rgba;
  /** Outlines around the cells, if any. */
  outline?: { width: number; color: Rgba };
}

/** An analysis is computed once per input and kept: the planner's panels read the same cache. */
const cached = (env: LayerEnv) => ({ enabled: env.active, retry: false, staleTime: Infinity }) as const;

function cellLayer<A extends { cells: unknown[] }>(spec: CellSpec<A>): LayerModule<CellData<A>> {
  const { useAnswer, features, classOf, fill, outline, ...module } = spec;
  return defineLayer<CellData<A>>({
    ...module,
    group: '研判分析',
    renderer: 'deck',
    below: 'roads',
    useData: (env) => useQueryData(useAnswer(env, useTRPC()), (out) => ({ out, fc: fc(features(out)), tally: tallyOf(out.cells, (c) => classOf(c, out)) })),
    deps: zoomBand,
    build: (d, env) => [new GeoJsonLayer({
      id: spec.id, data: d.fc, filled: true, pickable: true,
      ...(outline ? { stroked: true, lineWidthUnits: 'pixels' as const, getLineWidth: outline.width, getLineColor: outline.color } : { stroked: false }),
      opacity: (env.params['analysis-dim'] as number | undefined) ?? 1,
      getFillColor: (f: Feature) => fill(f.properties!, env.view?.zoom),
      updateTriggers: { getFillColor: [env.view ? env.view.zoom >= 13 : false] },
    })],
  });
}

// ---- Gi* -------------------------------------------------------------------------------
type GiData = CellData<Out['gistar']>;
const giCell = (d: GiData | undefined, id: string | number) => d?.fc.features.find((f) => String(f.properties?.id) === String(id));

export const gistarLayer = cellLayer<Out['gistar']>({
  id: 'gistar',
  title: '统计热点(Gi*)',
  useAnswer: (env, trpc) => useQuery({
    ...trpc.hotspots.gistar.queryOptions((env.params.gistar as In['gistar'] | undefined) ?? { shape: 'square', cellM: 500, neighbours: { kind: 'distance', metres: 1200 }, ...windowOf(env), withGeometry: true }),
    ...cached(env),
  }),
  features: (out) => out.cells.filter((c) => c.class !== 'none' && c.polygon).map((c) => ({ type: 'Feature', geometry: c.polygon as Geometry, properties: { id: c.id, count: c.count, z: c.z, pFdr: c.pFdr, cls: c.class } })),
  classOf: (c) => c.class,
  fill: (p, zoom) => [...GISTAR_COLOR[p.cls as HotspotClass], alphaAt(zoom, 165)],
  legend: (d) => ({
    items: GISTAR_STYLE.map(([k, label, c]) => ({ label, color: rgb(c), shape: 'fill' as const, value: d ? String(d.tally.get(k) ?? 0) : undefined })),
    scale: { low: '冷点(蓝)', high: '热点(红)', better: 'low' },
    note: d ? `${d.out.method.incidents.toLocaleString('zh-CN')} 起案事件 · ${d.out.method.cells.toLocaleString('zh-CN')} 个单元(数字为单元数)` : undefined,
  }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `${GISTAR_LABEL[p.cls as HotspotClass]}\n案事件数:${p.count}\nGi* z = ${Number(p.z).toFixed(2)}\nFDR 校正 p = ${Number(p.pFdr).toPrecision(2)}` : null;
  },
  selectionOf: ({ object }) => {
    const id = (object as Feature | null)?.properties?.id;
    return id === undefined ? null : { layer: 'gistar', id, object };
  },
  find: (d, id) => giCell(d, id),
  highlight: (d, sel) => {
    const f = (sel.object as Feature | undefined) ?? giCell(d, sel.id);
    return f ? [new GeoJsonLayer({ id: 'gistar:selected:top', data: [f], filled: false, stroked: true, getLineColor: [33, 37, 41, 255], lineWidthUnits: 'pixels', getLineWidth: 3 })] : [];
  },
  Detail: ({ sel, data }) => {
    const f = (sel.object as Feature | undefined) ?? giCell(data, sel.id);
    const p = f?.properties;
    if (!p) return <p className="muted">该单元不在当前结果中</p>;
    return (
      <dl className="detail-list">
        <dt>类别</dt><dd>{GISTAR_LABEL[p.cls as HotspotClass]}</dd>
        <dt>案事件数</dt><dd>{p.count} 起</dd>
        <dt>Gi* z 值</dt><dd>{Number(p.z).toFixed(2)}</dd>
        <dt>FDR 校正 p</dt><dd>{Number(p.pFdr).toPrecision(2)}</dd>
      </dl>
    );
  },
});

// ---- kernel density --------------------------------------------------------------------
export const kdeLayer = cellLayer<Out['kde']>({
  id: 'kde',
  title: '核密度',
  useAnswer: (env, trpc) => useQuery({ ...trpc.hotspots.kde.queryOptions((env.params.kde as In['kde'] | undefined) ?? { cellM: 500, ...windowOf(env) }), ...cached(env) }),
  features: (out) => out.cells.map((c) => ({ type: 'Feature', geometry: c.polygon as Geometry, properties: { density: c.density, k: kdeClass(c.density, out.method.breaks) } })),
  classOf: (c, out) => String(kdeClass(c.density, out.method.breaks)),
  fill: (p, zoom) => [...KDE_COLORS[p.k as number]!, p.k === 0 ? 50 : alphaAt(zoom, 165)],
  legend: (d) => {
    const b = d?.out.method.breaks ?? [];
    return {
      items: KDE_COLORS.map((c, k) => ({
        label: b.length ? `${(k === 0 ? 0 : b[k - 1]!).toFixed(1)}${b[k] !== undefined ? ` – ${b[k]!.toFixed(1)}` : ' 以上'} 起/km²` : `第 ${k + 1} 级`,
        color: rgb(c), shape: 'fill' as const, value: d ? String(d.tally.get(String(k)) ?? 0) : undefined,
      })),
      scale: { low: '浅:低密度', high: '深:高密度', better: 'low' },
      note: d ? `带宽 ${d.out.method.bandwidthM ?? '—'} 米 · 单元 ${d.out.method.cellM} 米` : undefined,
    };
  },
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `核密度 ${Number(p.density).toFixed(1)} 起/平方公里` : null;
  },
});

// ---- the validated hotspot forecast ----------------------------------------------------
export const forecastLayer = cellLayer<Out['forecast']>({
  id: 'forecast',
  title: '热点预测',
  useAnswer: (env, trpc) => useQuery({ ...trpc.hotspots.forecast.queryOptions((env.params.forecast as In['forecast'] | undefined) ?? { cellM: 500, asOf: windowOf(env).to }), ...cached(env) }),
  features: (out) => out.cells.map((c) => ({ type: 'Feature', geometry: c.polygon as Geometry, properties: { expected: c.expected, k: kdeClass(c.expected, out.method.breaks) } })),
  classOf: (c, out) => String(kdeClass(c.expected, out.method.breaks)),
  fill: (p, zoom) => [...KDE_COLORS[p.k as number]!, p.k === 0 ? 50 : alphaAt(zoom, 165)],
  legend: (d) => {
    const b = d?.out.method.breaks ?? [];
    const days = d?.out.method.horizonDays ?? 90;
    return {
      items: KDE_COLORS.map((c, k) => ({
        label: b.length ? `${(k === 0 ? 0 : b[k - 1]!).toFixed(2)}${b[k] !== undefined ? ` – ${b[k]!.toFixed(2)}` : ' 以上'} 起/${days}天` : `第 ${k + 1} 级`,
        color: rgb(c), shape: 'fill' as const, value: d ? String(d.tally.get(String(k)) ?? 0) : undefined,
      })),
      scale: { low: '浅:预计案件少', high: '深:预计案件多', better: 'low' },
      note: d ? `${FORECAST_METHOD_LABELS[d.out.method.chosen] ?? d.out.method.chosen} · 单元 ${d.out.method.cellM} 米` : undefined,
    };
  },
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `预计未来 90 天 ${Number(p.expected).toFixed(2)} 起` : null;
  },
});

// ---- emerging hot spots ----------------------------------------------------------------
export const emergingLayer = cellLayer<Out['emerging']>({
  id: 'emerging',
  title: '时空热点模式',
  useAnswer: (env, trpc) => {
    const w = windowOf(env);
    return useQuery({
      ...trpc.hotspots.emerging.queryOptions((env.params.emerging as In['emerging'] | undefined) ?? { cellM: LIMITS.emergingCellM, distanceM: 1500, from: w.from, to: w.to, slices: 12, withGeometry: true }),
      ...cached(env),
    });
  },
  features: (out) => out.cells.filter((c) => c.polygon && c.pattern !== 'none').map((c) => ({ type: 'Feature', geometry: c.polygon as Geometry, properties: { label: c.label, pattern: c.pattern, counts: c.counts.join(' '), trendZ: c.trendZ, trendP: c.trendP } })),
  classOf: (c) => c.pattern,
  fill: (p, zoom) => [...(EMERGING_COLOR[p.pattern as string] ?? [128, 128, 128]) as Rgb, alphaAt(zoom, 180)],
  outline: { width: 0.6, color: [80, 80, 80, 120] },
  legend: (d) => ({
    // while computing there are no counts: the legend says so instead of showing zeros
    items: [
      ...EMERGING_STYLE.filter(([k]) => k.endsWith('-hot') || (d?.tally.get(k) ?? 0) > 0).map(([k, label, c]) => ({ label, color: rgb(c), shape: 'fill' as const, value: d ? String(d.tally.get(k) ?? 0) : undefined })),
      { label: '无模式', color: '#ffffff', shape: 'fill' as const, value: d ? String(d.tally.get('none') ?? 0) : undefined },
    ],
    note: d ? `时空立方体:${String(d.out.method.cube).replace('cells', '个单元').replace('slices of', '个时段,每段').replace('days', '天')}(数字为单元数)` : undefined,
  }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `${p.label}\n各时段案事件数:${p.counts}\nMann-Kendall z = ${Number(p.trendZ).toFixed(2)}(p = ${Number(p.trendP).toPrecision(2)})` : null;
  },
});

// ---- 平安指数 --------------------------------------------------------------------------
interface PeaceData { out: PeaceOut; byCode: Map<string, PeaceOut['townships'][number]>; lo: number; hi: number }
const INDEX_NAMES = ['最低', '较低', '中等', '较高', '最高'];

export const peaceIndexLayer = defineLayer<PeaceData>({
  id: 'peace-index',
  title: '平安指数',
  group: '研判分析',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => {
    const trpc = useTRPC();
    const input = (env.params['peace-index'] as { from: string; to: string; top: number } | undefined) ?? { from: env.filters.from, to: env.filters.to, top: 3 };
    const q = useQuery({ ...trpc.peaceIndex.compute.queryOptions(input), enabled: env.active, retry: false });
    return useQueryData(q, (out) => {
      const scores = out.townships.map((t) => t.score ?? 0);
      return { out, byCode: new Map(out.townships.map((t) => [t.code.trim(), t])), lo: Math.min(...scores), hi: Math.max(...scores) };
    });
  },
  build: (d, env) => [new GeoJsonLayer({
    id: 'peace-index', data: env.basemap.townships, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 1, getLineColor: [60, 60, 60, 200],
    getFillColor: (f: Feature) => {
      const t = d.byCode.get(String(f.properties?.code).trim());
      if (!t || t.score === null) return [0, 0, 0, 0];
      const k = Math.min(4, Math.floor(((t.score - d.lo) / Math.max(d.hi - d.lo, 1e-9)) * 5));
      return [...INDEX_COLORS[k]!, 140];
    },
    updateTriggers: { getFillColor: [d] },
  })],
  selectionOf: ({ object }) => {
    const code = (object as Feature | null)?.properties?.code;
    return code ? { layer: 'peace-index', id: String(code).trim(), object } : null;
  },
  highlight: (_d, sel, env) => {
    const f = env.basemap.townships.features.find((x) => String(x.properties?.code).trim() === String(sel.id));
    return f ? [new GeoJsonLayer({ id: 'peace-index:selected:top', data: [f], filled: false, stroked: true, getLineColor: [33, 37, 41, 255], lineWidthUnits: 'pixels', getLineWidth: 4 })] : [];
  },
  find: (d, id) => d.byCode.get(String(id)),
  legend: () => ({
    items: INDEX_COLORS.map((c, i) => ({ label: `平安指数${INDEX_NAMES[i]}五分之一`, color: rgb(c), shape: 'fill' as const })),
    scale: { low: '红:低', high: '绿:高', better: 'high' },
  }),
  tooltip: ({ object, layer }, env) => {
    void layer; void env;
    const p = (object as Feature | null)?.properties;
    return p ? `${p.name}(点击查看平安指数)` : null;
  },
  Detail: ({ sel, data }) => {
    const t = data?.byCode.get(String(sel.id));
    if (!t) return <p className="muted">该乡镇无平安指数</p>;
    return (
      <dl className="detail-list">
        <dt>乡镇</dt><dd>{t.name}</dd>
        <dt>平安指数</dt><dd>{t.score?.toFixed(1) ?? '—'}</dd>
        <dt>排名</dt><dd>第 {t.rank} 名{t.list === 'red' ? '(红榜)' : t.list === 'black' ? '(黑榜)' : ''}</dd>
      </dl>
    );
  },
});
