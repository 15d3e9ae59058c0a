'use client';
// 巡防研判 layers of the patrol page: dosage per hotspot (presence minutes, red where no patrol
// came), 见警率 per grid or township, and the suggested loop with its numbered stops. The
// page hands each its input (env.params[id]) — the same query its panels read, so
// react-query runs it once. Off the patrol page (no input) they ask nothing.
import { GeoJsonLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { defineLayer, type LayerEnv } from '../types';
import { useQueryData } from '../query-data';
import { rgb } from '../scale';
import { DOSAGE_COLORS, DOSAGE_LABELS, dosageClass, pctText as pct, VISIBILITY_COLORS, VISIBILITY_LABELS, visibilityClass } from '../../patrol/patrol-styles';

type In = inferRouterInputs<AppRouter>['patrol'];
type Out = inferRouterOutputs<AppRouter>['patrol'];
type DosageArea = Out['dosage']['areas'][number];
type Unit = Out['visibility']['units'][number];

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
const street = (env: LayerEnv) => (env.view?.zoom ?? 10) >= 14;
const cached = (env: LayerEnv, input: unknown) => ({ enabled: env.active && input !== undefined, retry: false, staleTime: Infinity }) as const;

// ---- dosage per hotspot ---------------------------------------------------------------
const tooltipOf = (a: DosageArea) => `${a.label}\n巡逻停留 ${Math.round(a.presenceMinutes)} 分钟,到访 ${a.visits} 次,路过 ${a.driveThroughs} 次\nKoper 合规 ${pct(a.koperShare)} · 复巡 ${a.hotSlotsMet}/${a.hotSlots}`;
interface DosageData { out: Out['dosage']; fc: FeatureCollection; tally: number[] }

export const dosageLayer = defineLayer<DosageData>({
  id: 'patrol-dosage',
  title: '热点巡防投放量',
  group: '巡防力量',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => {
    const trpc = useTRPC();
    const input = env.params['patrol-dosage'] as In['dosage'] | undefined;
    const q = useQuery({ ...trpc.patrol.dosage.queryOptions(input ?? { period: { from: '2000-01-01', to: '2000-01-02' }, areas: { kind: 'targets' } }), ...cached(env, input) });
    return useQueryData(q, (out) => {
      const tally = DOSAGE_LABELS.map(() => 0);
      for (const a of out.areas) tally[dosageClass(a.presenceMinutes)]!++;
      return { out, tally, fc: fc(out.areas.map((a): Feature => ({ type: 'Feature', geometry: a.geometry as Geometry, properties: { id: a.id, k: dosageClass(a.presenceMinutes), text: tooltipOf(a) } }))) };
    });
  },
  deps: (env) => [street(env)],
  build: (d, env) => [
    new GeoJsonLayer({
      id: 'patrol-dosage', data: d.fc, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 1,
      updateTriggers: { getFillColor: [street(env)] },
      // firm at county zoom; at street zoom the roads and names under a 500 m cell must stay readable
      getFillColor: (f: Feature) => [...DOSAGE_COLORS[f.properties!.k as number]!, street(env) ? 70 : 150],
      getLineColor: (f: Feature) => [...DOSAGE_COLORS[f.properties!.k as number]!, 255],
    }),
  ],
  legend: (d) => ({
    items: DOSAGE_LABELS.map((label, k) => ({ label, color: rgb(DOSAGE_COLORS[k]!), shape: 'fill' as const, value: d ? `${d.tally[k]} 个` : undefined })),
    note: d ? `${d.out.totals.areas} 个区域,统计期内巡逻停留分钟数(${d.out.method.radiusM} 米内)` : undefined,
  }),
  tooltip: ({ object }) => ((object as Feature | null)?.properties?.text as string | undefined) ?? null,
  selectionOf: ({ object }) => {
    const id = (object as Feature | null)?.properties?.id;
    return id === undefined ? null : { layer: 'patrol-dosage', id, object };
  },
  find: (d, id) => d.out.areas.find((a) => String(a.id) === String(id)),
  locate: (o) => ({ lon: (o as DosageArea).lon, lat: (o as DosageArea).lat, zoom: 15 }),
  highlight: (d, sel) => {
    const f = d?.fc.features.find((x) => String(x.properties?.id) === String(sel.id));
    return f ? [new GeoJsonLayer({ id: 'patrol-dosage:selected:top', data: [f], filled: false, stroked: true, getLineColor: [255, 212, 59, 255], lineWidthUnits: 'pixels', getLineWidth: 4 })] : [];
  },
  Detail: ({ sel, data }) => {
    const a = data?.out.areas.find((x) => String(x.id) === String(sel.id));
    if (!a) return <p className="muted">该区域不在结果中</p>;
    return (
      <dl className="detail-list">
        <dt>区域</dt><dd>{a.label}</dd>
        <dt>案事件(近一年)</dt><dd>{a.incidents} 起;集中时段 {a.hotHours.map((h) => `${h}时`).join('、') || '—'}</dd>
        <dt>巡逻停留</dt><dd>{Math.round(a.presenceMinutes)} 分钟;到访 {a.visits} 次,平均 {a.meanVisitMinutes ?? '—'} 分钟;路过 {a.driveThroughs} 次</dd>
        <dt>到访间隔</dt><dd>中位数 {a.medianGapMinutes ?? '—'} 分钟</dd>
        <dt>Koper 合规</dt><dd>{a.koperVisits} 次 10–15 分钟({pct(a.koperShare)});热时段 2 小时内复巡 {a.hotSlotsMet}/{a.hotSlots}</dd>
        <dt>分时段</dt><dd>{a.bands.map((b) => `${b.name} ${Math.round(b.presenceMinutes)} 分钟`).join(' · ')}</dd>
      </dl>
    );
  },
});


// ---- 见警率 ---------------------------------------------------------------------------
interface VisData { out: Out['visibility']; fc: FeatureCollection; tally: number[] }

export const visibilityLayer = defineLayer<VisData>({
  id: 'visibility',
  title: '见警率',
  group: '巡防力量',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => {
    const trpc = useTRPC();
    const input = env.params.visibility as In['visibility'] | undefined;
    const q = useQuery({ ...trpc.patrol.visibility.queryOptions(input ?? { period: { from: '2000-01-01', to: '2000-01-02' } }), ...cached(env, input) });
    return useQueryData(q, (out) => {
      const tally = VISIBILITY_LABELS.map(() => 0);
      for (const u of out.units) tally[visibilityClass(u.rate)]!++;
      return { out, tally, fc: fc(out.units.map((u): Feature => ({ type: 'Feature', geometry: u.geometry as Geometry, properties: { id: u.id, name: u.name, rate: u.rate, k: visibilityClass(u.rate), incidents: u.incidents } }))) };
    });
  },
  deps: (env) => [street(env)],
  build: (d, env) => [
    new GeoJsonLayer({
      id: 'visibility', data: d.fc, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 0.6,
      updateTriggers: { getFillColor: [street(env)] },
      getFillColor: (f: Feature) => [...VISIBILITY_COLORS[f.properties!.k as number]!, street(env) ? 60 : 120],
      getLineColor: [255, 255, 255, 200],
    }),
  ],
  legend: (d) => ({
    items: VISIBILITY_LABELS.map((label, k) => ({ label, color: rgb(VISIBILITY_COLORS[k]!), shape: 'fill' as const, value: d ? `${d.tally[k]} 个` : undefined })),
    scale: { low: '见警率低', high: '见警率高', better: 'high' },
    note: d ? `全县见警率 ${pct(d.out.rate)}(${d.out.method.unit === 'grid' ? '网格' : '乡镇'} × 日 × 小时,停留 ≥ ${d.out.method.minVisitMinutes} 分钟)` : undefined,
  }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `${p.name}\n见警率 ${pct(p.rate as number)} · 案事件 ${p.incidents}` : null;
  },
  selectionOf: ({ object }) => {
    const id = (object as Feature | null)?.properties?.id;
    return id === undefined ? null : { layer: 'visibility', id, object };
  },
  find: (d, id) => d.out.units.find((u) => String(u.id) === String(id)),
  Detail: ({ sel, data }) => {
    const u: Unit | undefined = data?.out.units.find((x) => String(x.id) === String(sel.id));
    if (!u) return <p className="muted">该单元不在结果中</p>;
    const peaks = data!.out.peaks.filter((p) => p.code === u.code);
    return (
      <dl className="detail-list">
        <dt>{data!.out.method.unit === 'grid' ? '网格' : '乡镇'}</dt><dd>{u.name}{u.township && u.township !== u.name ? `(${u.township})` : ''}</dd>
        <dt>见警率</dt><dd>{pct(u.rate)}({u.cellsMet} / {u.cells} 个时段)</dd>
        <dt>案发高峰</dt><dd>{peaks.map((p) => `${p.hour}时 ${p.incidents} 起,有巡逻 ${pct(p.presenceShare, 0)} 天${p.miss ? '(不足)' : ''}`).join(';') || '—'}</dd>
      </dl>
    );
  },
});

// ---- the suggested loop --------------------------------------------------------------
type Suggestion = Out['suggest'];

export const suggestedRouteLayer = defineLayer<Suggestion>({
  id: 'suggested-route',
  title: '建议巡逻路线',
  group: '巡防力量',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const input = env.params['suggested-route'] as In['suggest'] | undefined;
    const q = useQuery({ ...trpc.patrol.suggest.queryOptions(input ?? { teamId: 1, to: '2000-01-01' }), ...cached(env, input) });
    return useQueryData(q, (s) => s);
  },
  build: (s) => [
    new PathLayer({ id: 'suggested-route:casing', data: [s.path], getPath: (p: [number, number][]) => p, getColor: [255, 255, 255, 230], widthUnits: 'pixels', getWidth: 8, capRounded: true, jointRounded: true }),
    new PathLayer({ id: 'suggested-route', data: [s.path], getPath: (p: [number, number][]) => p, getColor: [174, 62, 201, 240], widthUnits: 'pixels', getWidth: 4, capRounded: true, jointRounded: true }),
    new ScatterplotLayer({ id: 'suggested-route:base', data: [s.base], getPosition: (b: Suggestion['base']) => [b.lon, b.lat], getRadius: 9, radiusUnits: 'pixels', getFillColor: [33, 37, 41, 255], getLineColor: [255, 255, 255, 255], stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2 }),
    new ScatterplotLayer({ id: 'suggested-route:stops', data: s.stops, pickable: true, getPosition: (p: Suggestion['stops'][number]) => [p.lon, p.lat], getRadius: 11, radiusUnits: 'pixels', getFillColor: [255, 255, 255, 255], getLineColor: [174, 62, 201, 255], stroked: true, lineWidthUnits: 'pixels', getLineWidth: 3 }),
    new TextLayer({ id: 'suggested-route:numbers', data: s.stops, getPosition: (p: Suggestion['stops'][number]) => [p.lon, p.lat], getText: (p: Suggestion['stops'][number]) => String(p.order), getSize: 13, getColor: [33, 37, 41, 255], fontWeight: 700, characterSet: '0123456789' }),
  ],
  legend: (s) => ({
    items: [
      { label: '建议路线', color: 'rgb(174,62,201)', shape: 'line', width: 4 },
      { label: '停留点(Koper 时长)', color: 'rgb(174,62,201)', shape: 'ring', value: s ? `${s.stops.length} 个` : undefined },
      { label: s ? s.base.source : '出发点', color: 'rgb(33,37,41)', shape: 'point' },
    ],
    note: s ? `${s.team.name} ${s.shift.start}–${s.shift.end}:${s.minutes.total} 分钟,覆盖风险 ${pct(s.weight.share)}` : undefined,
  }),
  tooltip: ({ object }) => {
    const p = object as Suggestion['stops'][number] | null;
    return p && 'order' in p ? `${p.order}. ${p.label}\n约第 ${p.arriveMinute} 分钟到达 · 权重 ${p.weight}` : null;
  },
  selectionOf: () => null,
});
