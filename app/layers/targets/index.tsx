'use client';
// 整治目标 layers: the listed rectification targets (挂牌整治) by status with overdue ones
// in red, the planner's ranked candidate cells, and a target's evaluation areas (the
// target, its surrounding ring, the comparison cells) handed in by the planner page.
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { defineLayer, type Rgb } from '../types';
import { useQueryData } from '../query-data';
import { rgb } from '../scale';
import { STATUS_LABEL } from '../../planner/analysis-styles';
import { todayInChina } from '@/lib/china-time';

type Outputs = inferRouterOutputs<AppRouter>;
type Listed = Outputs['targets']['list'][number];
type Ranked = Outputs['targets']['rank']['targets'][number];
type Evaluation = Outputs['targets']['evaluate'];

export const TARGET_STATUS_COLOR: Record<string, Rgb> = { listed: [25, 25, 112], in_progress: [12, 102, 214], completed: [43, 138, 62], delisted: [134, 142, 150] };
export const OVERDUE_COLOR: Rgb = [201, 42, 42];

interface ListedData { rows: Listed[]; fc: FeatureCollection }

export const targetsLayer = defineLayer<ListedData>({
  id: 'targets',
  title: '挂牌整治目标',
  group: '研判分析',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const q = useQuery({ ...trpc.targets.list.queryOptions({ today: todayInChina() }), enabled: env.active, retry: false });
    return useQueryData(q, (rows) => ({
      rows,
      fc: { type: 'FeatureCollection', features: rows.map((t): Feature => ({ type: 'Feature', geometry: t.polygon as Geometry, properties: { id: t.id, name: t.name, status: t.status, overdue: t.overdue, unit: t.responsibleUnit, deadline: t.deadline } })) } as FeatureCollection,
    }));
  },
  build: (d) => [
    new GeoJsonLayer({
      id: 'targets', data: d.fc, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 3,
      getFillColor: (f: Feature) => [...(f.properties!.overdue ? OVERDUE_COLOR : TARGET_STATUS_COLOR[f.properties!.status as string] ?? [25, 25, 112]), 25],
      getLineColor: (f: Feature) => [...(f.properties!.overdue ? OVERDUE_COLOR : TARGET_STATUS_COLOR[f.properties!.status as string] ?? [25, 25, 112]), 255],
    }),
  ],
  legend: (d) => ({
    items: [
      ...Object.entries(TARGET_STATUS_COLOR).map(([k, c]) => ({ label: STATUS_LABEL[k] ?? k, color: rgb(c), shape: 'line' as const, width: 3, value: d ? String(d.rows.filter((t) => t.status === k && !t.overdue).length) : undefined })),
      { label: '已逾期(督办)', color: rgb(OVERDUE_COLOR), shape: 'line' as const, width: 3, value: d ? String(d.rows.filter((t) => t.overdue).length) : undefined },
    ],
  }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `挂牌整治:${p.name}\n状态:${STATUS_LABEL[p.status] ?? p.status}\n责任单位:${p.unit}\n期限:${p.deadline}${p.overdue ? '(已逾期)' : ''}` : null;
  },
  selectionOf: ({ object }) => {
    const id = (object as Feature | null)?.properties?.id;
    return id === undefined ? null : { layer: 'targets', id, object };
  },
  find: (d, id) => d.rows.find((t) => String(t.id) === String(id)),
  locate: (o) => ('lon' in (o as object) ? { lon: (o as Listed).lon, lat: (o as Listed).lat, zoom: 14 } : null),
  highlight: (d, sel) => {
    const f = d?.fc.features.find((x) => String(x.properties?.id) === String(sel.id));
    return f ? [new GeoJsonLayer({ id: 'targets:selected:top', data: [f], filled: false, stroked: true, getLineColor: [255, 212, 59, 255], lineWidthUnits: 'pixels', getLineWidth: 5 })] : [];
  },
  Detail: ({ sel, data }) => {
    const t = data?.rows.find((x) => String(x.id) === String(sel.id));
    if (!t) return <p className="muted">该整治目标不在范围内</p>;
    return (
      <dl className="detail-list">
        <dt>名称</dt><dd>{t.name}</dd>
        <dt>状态</dt><dd>{STATUS_LABEL[t.status] ?? t.status}{t.overdue ? '(已逾期)' : ''}</dd>
        <dt>责任单位</dt><dd>{t.responsibleUnit}</dd>
        <dt>整治期限</dt><dd>{t.startsOn} 至 {t.deadline}{t.daysLeft !== null && t.daysLeft >= 0 ? `(剩 ${t.daysLeft} 天)` : ''}</dd>
      </dl>
    );
  },
});

// ---- the planner's ranked candidate cells ---------------------------------------------
interface RankedParams { targets: Ranked[]; selectedCell: number | null }

export const rankedTargetsLayer = defineLayer<RankedParams>({
  id: 'ranked-targets',
  title: '整治目标候选',
  group: '研判分析',
  renderer: 'deck',
  useData: (env) => {
    const p = env.params['ranked-targets'] as RankedParams | undefined;
    return { data: env.active ? p : undefined, loading: false, error: null };
  },
  build: (d) => [
    new ScatterplotLayer<Ranked>({
      id: 'ranked-targets', data: d.targets, pickable: true, radiusUnits: 'pixels', stroked: true, lineWidthUnits: 'pixels',
      getPosition: (t) => [t.lon, t.lat], getRadius: (t) => (t.cellId === d.selectedCell ? 11 : 7), getLineWidth: 2,
      getFillColor: (t) => (t.cellId === d.selectedCell ? [255, 212, 59, 255] : [255, 255, 255, 230]), getLineColor: [33, 37, 41, 255],
    }),
    new TextLayer<Ranked>({
      id: 'ranked-targets:ranks', data: d.targets.slice(0, 10), getPosition: (t) => [t.lon, t.lat], getText: (t) => String(t.rank), getSize: 10,
      getColor: [33, 37, 41, 255], fontWeight: 700, characterSet: '0123456789',
    }),
  ],
  legend: () => ({ items: [{ label: '整治目标候选单元(数字为名次)', color: '#212529', shape: 'ring' }] }),
  tooltip: ({ object }) => {
    const t = object as Ranked | null;
    return t ? `整治目标第 ${t.rank} 名 · 得分 ${t.score.toFixed(3)}\n${t.reason}` : null;
  },
  // the planner's list does the selecting
  selectionOf: () => null,
});

// ---- a target's evaluation areas -----------------------------------------------------
export const evaluationLayer = defineLayer<Evaluation>({
  id: 'evaluation',
  title: '整治成效评估',
  group: '研判分析',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => ({ data: env.active ? (env.params.evaluation as Evaluation | undefined) : undefined, loading: false, error: null }),
  build: (e) => {
    const features: Feature[] = [
      { type: 'Feature', geometry: e.geometry.ring as Geometry, properties: { kind: 'ring', before: e.ring.before, after: e.ring.after } },
      { type: 'Feature', geometry: e.geometry.target as Geometry, properties: { kind: 'target', before: e.target.before, after: e.target.after } },
      ...e.comparison.list.map((c): Feature => ({ type: 'Feature', geometry: c.polygon as Geometry, properties: { kind: 'comparison', before: c.before, after: c.after } })),
    ];
    return [new GeoJsonLayer({
      id: 'evaluation', data: { type: 'FeatureCollection', features } as FeatureCollection, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels',
      getFillColor: (f: Feature) => (f.properties!.kind === 'ring' ? [174, 62, 201, 70] : f.properties!.kind === 'target' ? [0, 0, 0, 0] : [28, 126, 214, 110]),
      getLineColor: (f: Feature) => (f.properties!.kind === 'ring' ? [174, 62, 201, 255] : f.properties!.kind === 'target' ? [0, 0, 0, 255] : [28, 126, 214, 255]),
      getLineWidth: (f: Feature) => (f.properties!.kind === 'target' ? 4 : 2),
    })];
  },
  legend: () => ({ items: [{ label: '周边缓冲区', color: 'rgba(174,62,201,0.4)', shape: 'fill' }, { label: '对照单元', color: 'rgba(28,126,214,0.5)', shape: 'fill' }, { label: '整治目标', color: '#000', shape: 'line', width: 3 }] }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    if (!p) return null;
    const name = p.kind === 'ring' ? '周边缓冲区' : p.kind === 'target' ? '整治目标' : '对照单元';
    return `${name}:整治前 ${p.before} 起,整治后 ${p.after} 起`;
  },
  selectionOf: () => null,
});
