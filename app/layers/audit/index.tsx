'use client';
// The camera auditor's layers (雪亮工程 审计): hotspot cells by whether the views cover them,
// buildings that hide part of a view, register findings (with the suggested fix of the
// selected one), the recommended new cameras with their views and ranks, and the
// planner-drawn candidate sites. Each reads the same cached query as the audit page's
// panels; page state (the finding filter and selection, the recommender's run) arrives
// in env.params.
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { defineLayer, type Rgb } from '../types';
import { rgb } from '../scale';
import { useQueryData } from '../query-data';

type Outputs = inferRouterOutputs<AppRouter>['coverage'];
type Finding = Outputs['audit']['findings'][number];
type Pick = Outputs['recommend']['picks'][number];

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });
export const COVERED: Rgb = [12, 166, 120];
export const UNCOVERED: Rgb = [201, 42, 42];
export const RECOMMEND: Rgb = [25, 113, 194];
/** The figures query the audit page reads: one input, one cached run. */
export const AUDIT_FIGURES_INPUT = { hotspots: true } as const;

export const hotspotCoverLayer = defineLayer<FeatureCollection>({
  id: 'hotspot-cover',
  title: '热点网格覆盖',
  group: '视频监控',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => {
    const trpc = useTRPC();
    const q = useQuery({ ...trpc.coverage.figures.queryOptions(AUDIT_FIGURES_INPUT), enabled: env.active, retry: false, staleTime: Infinity });
    return useQueryData(q, (f) => fc(f.hotspotCells.map((h) => ({ type: 'Feature', geometry: h.geometry as Geometry, properties: { cls: h.class, incidents: h.incidents, eff: h.effectiveIncidents, covered: h.coveredEffective } }))));
  },
  build: (d) => [new GeoJsonLayer({
    id: 'hotspot-cover', data: d, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 2,
    getFillColor: (x: Feature) => [...(x.properties!.covered ? COVERED : UNCOVERED), 40],
    getLineColor: (x: Feature) => [...(x.properties!.covered ? COVERED : UNCOVERED), 220],
  })],
  legend: (d) => ({
    items: [
      { label: '已覆盖热点网格', color: rgb(COVERED), shape: 'line', width: 2, value: d ? String(d.features.filter((f) => f.properties!.covered).length) : undefined },
      { label: '未覆盖热点网格', color: rgb(UNCOVERED), shape: 'line', width: 2, value: d ? String(d.features.filter((f) => !f.properties!.covered).length) : undefined },
    ],
    note: '近 12 个月 Gi* 热点网格;一半以上案事件落在在线视野内为已覆盖',
  }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `热点网格(${String(p.cls).replace('hot-', '')}% 置信)\n案事件 ${p.incidents} 起,有效视野内 ${p.eff} 起\n${p.covered ? '已覆盖' : '未覆盖'}` : null;
  },
  selectionOf: () => null,
});

export const occludersLayer = defineLayer<FeatureCollection>({
  id: 'occluders',
  title: '遮挡建筑',
  group: '视频监控',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const q = useQuery({ ...trpc.coverage.occluders.queryOptions(), enabled: env.active, retry: false, staleTime: Infinity });
    return useQueryData(q, (rows) => fc(rows.map((h) => ({ type: 'Feature', geometry: h.footprint as Geometry, properties: { name: h.name, heightM: h.heightM, floors: h.floors, views: h.views } }))));
  },
  build: (d) => [new GeoJsonLayer({ id: 'occluders', data: d, filled: true, stroked: true, pickable: true, lineWidthUnits: 'pixels', getLineWidth: 1.5, getFillColor: [52, 58, 64, 200], getLineColor: [33, 37, 41, 255] })],
  legend: (d) => ({ items: [{ label: '遮挡视野的建筑', color: 'rgba(52,58,64,0.8)', shape: 'fill', value: d ? String(d.features.length) : undefined }] }),
  tooltip: ({ object }) => {
    const p = (object as Feature | null)?.properties;
    return p ? `遮挡建筑:${p.name}\n高 ${p.heightM} m · ${p.floors} 层\n遮挡 ${p.views} 个视野(其后方地面不计入覆盖)` : null;
  },
  selectionOf: () => null,
});

interface FindingParams { code: string; selected: number | null }
interface FindingData { rows: Finding[]; selected: number | null }

export const findingsLayer = defineLayer<FindingData>({
  id: 'findings',
  title: '档案问题点位',
  group: '视频监控',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const p = (env.params.findings as FindingParams | undefined) ?? { code: '', selected: null };
    const q = useQuery({ ...trpc.coverage.audit.queryOptions(), enabled: env.active, retry: false, staleTime: Infinity });
    return useQueryData(q, (a) => ({ rows: a.findings.filter((x) => !p.code || x.code === p.code), selected: p.selected }), [p.code, p.selected]);
  },
  build: (d) => {
    const layers = [new ScatterplotLayer<Finding>({
      id: 'findings', data: d.rows, pickable: true, radiusUnits: 'pixels', getRadius: (x) => (x.cameraId === d.selected ? 10 : 5), stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2,
      getPosition: (x) => [x.lon, x.lat], getFillColor: (x) => (x.severity === 'error' ? [240, 62, 62, 230] : [250, 176, 5, 230]), getLineColor: [33, 37, 41, 255],
    })];
    const sel = d.rows.find((x) => x.cameraId === d.selected && x.suggested);
    if (sel?.suggested) {
      layers.push(new GeoJsonLayer({
        id: 'findings:fix', data: fc([{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[sel.lon, sel.lat], [sel.suggested.lon, sel.suggested.lat]] }, properties: {} }, { type: 'Feature', geometry: { type: 'Point', coordinates: [sel.suggested.lon, sel.suggested.lat] }, properties: {} }]),
        stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2, getLineColor: [25, 113, 194, 255], pointRadiusUnits: 'pixels', getPointRadius: 7, getFillColor: [25, 113, 194, 255],
      }) as never);
    }
    return layers;
  },
  legend: (d) => ({
    items: [
      { label: '错误', color: 'rgb(240,62,62)', shape: 'point', value: d ? String(d.rows.filter((x) => x.severity === 'error').length) : undefined },
      { label: '警告', color: 'rgb(250,176,5)', shape: 'point', value: d ? String(d.rows.filter((x) => x.severity !== 'error').length) : undefined },
    ],
    note: '数字为问题条数(一台摄像机可有多条)',
  }),
  tooltip: ({ object }) => {
    const x = object as Finding | null;
    return x ? `${x.title}\n${x.name}\n${x.detail}` : null;
  },
  selectionOf: () => null,
});

type Run = { budget: number; type: 'dome' | 'fixed' | 'ptz' };

export const recommendLayer = defineLayer<Outputs['recommend']>({
  id: 'recommend',
  title: '补点建议',
  group: '视频监控',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const run = env.params.recommend as Run | undefined;
    const q = useQuery({ ...trpc.coverage.recommend.queryOptions(run ?? { budget: 1, type: 'dome' }), enabled: env.active && !!run, retry: false, staleTime: Infinity });
    return { data: run ? q.data : undefined, loading: q.isFetching, error: q.error };
  },
  build: (d) => [
    new GeoJsonLayer({
      id: 'recommend:views', data: fc(d.picks.map((p) => ({ type: 'Feature', geometry: p.view as Geometry, properties: { rank: p.rank } }))),
      filled: true, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2, getFillColor: [...RECOMMEND, 90], getLineColor: [...RECOMMEND, 255],
    }),
    new ScatterplotLayer<Pick>({
      id: 'recommend', data: d.picks, pickable: true, radiusUnits: 'pixels', getRadius: 9, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2,
      getPosition: (p) => [p.lon, p.lat], getFillColor: [...RECOMMEND, 255], getLineColor: [255, 255, 255, 255],
    }),
    new TextLayer<Pick>({
      id: 'recommend:rank', data: d.picks, getPosition: (p) => [p.lon, p.lat], getText: (p) => String(p.rank),
      getSize: 11, getColor: [255, 255, 255, 255], fontWeight: 700, characterSet: '0123456789',
    }),
  ],
  legend: (d) => ({ items: [{ label: '补点建议(数字为优先顺序)', color: rgb(RECOMMEND), shape: 'point', value: d ? `${d.picks.length} 台` : undefined }] }),
  tooltip: ({ object, layer }) => {
    if (layer?.id !== 'recommend') return null;
    const p = object as Pick | null;
    return p ? `补点建议第 ${p.rank} 台\n${p.label ?? ''}${p.azimuthDeg === null ? '' : `\n朝向 ${p.azimuthDeg}°`}\n边际增益 ${p.gain.toFixed(1)}:道路 ${p.newRoadM} m,场所 ${p.newPlaces},隐患点 ${p.newHazards}` : null;
  },
  selectionOf: () => null,
});

export const candidatesLayer = defineLayer<Outputs['candidates']>({
  id: 'candidates',
  title: '手绘候选点',
  group: '视频监控',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const q = useQuery({ ...trpc.coverage.candidates.queryOptions(), enabled: env.active, retry: false });
    return { data: q.data, loading: q.isFetching, error: q.error };
  },
  build: (d) => [new ScatterplotLayer<Outputs['candidates'][number]>({
    id: 'candidates', data: d, pickable: true, radiusUnits: 'pixels', getRadius: 5, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2,
    getPosition: (c) => [c.lon, c.lat], getFillColor: [255, 255, 255, 255], getLineColor: [33, 37, 41, 255],
  })],
  legend: (d) => ({ items: [{ label: '手绘候选点', color: '#212529', shape: 'ring', value: d ? String(d.length) : undefined }] }),
  tooltip: ({ object }) => (object ? `手绘候选点:${(object as { name: string }).name}` : null),
  selectionOf: () => null,
});
