'use client';
// 视频覆盖缺口: what no working camera sees, from the coverage figures' gap list
// (coverage.figures with hotspots off — a heavy analysis, cached on the server). Uncovered
// road stretches are bright dashed lines on a white casing; uncovered key places are small
// hollow rings, summed per township below zoom 12 (one ring and count per township, so the
// county view is not hundreds of dots over the township names).
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import { PathStyleExtension, type PathStyleExtensionProps } from '@deck.gl/extensions';
import type { Layer } from '@deck.gl/core';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { useMemo } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { errorText } from '../../components/error-text';
import { defineLayer, type LayerEnv, type Rgb } from '../types';
import { rgb } from '../scale';
import { selectionRing } from '../symbols';
import roadClasses from '@/geodata/dictionaries/road-classes.json';
import { placeAggregates, type PlaceAggregate } from './aggregate';

type Gaps = NonNullable<inferRouterOutputs<AppRouter>['coverage']['figures']['gaps']>;
type RoadGap = Gaps['roads'][number];
export type GapPlace = Gaps['places'][number] & { townshipName: string | null };

/** The figures input of this layer on the map; the audit page hands its own (hotspots on) in env.params['coverage-figures'], so its page and layers share one run. */
export const GAPS_FIGURES_INPUT = { hotspots: false } as const;
export const GAP_ROAD_COLOR: Rgb = [214, 51, 108];
export const GAP_PLACE_COLOR: Rgb = [156, 54, 181];
/** From this zoom each uncovered place is a ring of its own; below it one ring per township. */
export const GAP_PLACE_ZOOM = 12;

const ROAD_CLASS = new Map(roadClasses.map((r) => [r.code, r.name]));
const roadClassName = (c: string) => ROAD_CLASS.get(c) ?? c;
const metres = (m: number) => (m >= 1000 ? `${(m / 1000).toFixed(2)} 公里` : `${Math.round(m)} 米`);

export interface Ready {
  phase: 'ready';
  roads: FeatureCollection;
  /** Per road: the stretches listed and their total uncovered length. */
  byRoad: Map<number, { name: string | null; roadClass: string; pieces: number; gapM: number; incidents: number }>;
  places: GapPlace[];
  byPlace: Map<number, GapPlace>;
  townships: PlaceAggregate<GapPlace>[];
  totalM: number;
}
/** Undefined while the analysis runs (the legend then says so); 'failed' carries the server's sentence. */
export type GapData = Ready | { phase: 'failed'; message: string };

const dash = [new PathStyleExtension({ dash: true })];
const detailed = (env: LayerEnv) => (env.view?.zoom ?? 9) >= GAP_PLACE_ZOOM;

/** The gap list as the layer draws it: road features, per-road totals, places with their township, per-township rings. */
export function gapData(g: Gaps, townships: FeatureCollection): Ready {
  const names = new Map(townships.features.map((f) => [String(f.properties?.code), String(f.properties?.name)]));
  const byRoad: Ready['byRoad'] = new Map();
  for (const r of g.roads) {
    const b = byRoad.get(r.roadId) ?? { name: r.name, roadClass: r.roadClass, pieces: 0, gapM: 0, incidents: 0 };
    b.pieces++;
    b.gapM += r.gapM;
    b.incidents += r.incidents;
    byRoad.set(r.roadId, b);
  }
  const roads: FeatureCollection = {
    type: 'FeatureCollection',
    features: g.roads.map((r: RoadGap, i): Feature => ({
      type: 'Feature', geometry: r.geometry as Geometry,
      properties: { kind: 'road', i, roadId: r.roadId, name: r.name, roadClass: r.roadClass, gapM: r.gapM, risk: r.risk, incidents: r.incidents },
    })),
  };
  const places = g.places.map((p): GapPlace => ({ ...p, townshipName: p.townshipCode ? names.get(p.townshipCode) ?? null : null }));
  return {
    phase: 'ready', roads, byRoad, places,
    byPlace: new Map(places.map((p) => [p.id, p])),
    townships: placeAggregates(places, (p) => p.townshipCode, (p) => p.townshipName, (p) => p.typeName),
    totalM: g.roads.reduce((a, r) => a + r.gapM, 0),
  };
}

function useGapData(env: LayerEnv) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.coverage.figures.queryOptions((env.params['coverage-figures'] as { hotspots: boolean } | undefined) ?? GAPS_FIGURES_INPUT), enabled: env.active, retry: false, staleTime: Infinity });
  const townships = env.basemap.townships;
  const data = useMemo<GapData | undefined>(() => {
    if (!env.active) return undefined;
    if (q.error && !q.data) return { phase: 'failed', message: errorText(q.error) };
    if (!q.data) return undefined;
    const g = q.data.gaps;
    if (!g) return { phase: 'failed', message: '服务器未返回覆盖缺口' };
    return gapData(g, townships);
  }, [env.active, q.data, q.error, townships]);
  return { data, loading: q.isFetching, error: q.error };
}

const ready = (d: GapData | undefined): d is Ready => d?.phase === 'ready';

export const coverageGapsLayer = defineLayer<GapData>({
  id: 'coverage-gaps',
  title: '视频覆盖缺口',
  group: '视频监控',
  renderer: 'deck',
  useData: useGapData,
  deps: (env) => [detailed(env)],
  build: (d, env) => {
    if (!ready(d)) return [];
    const near = detailed(env);
    const width = near ? 5 : 3.5;
    const layers: Layer[] = [
      new GeoJsonLayer({
        id: 'coverage-gaps:casing', data: d.roads, stroked: true, filled: false, pickable: false,
        lineWidthUnits: 'pixels', getLineWidth: width + 3, getLineColor: [255, 255, 255, 220], lineCapRounded: true, lineJointRounded: true,
      }),
      new GeoJsonLayer<Record<string, unknown>, PathStyleExtensionProps>({
        id: 'coverage-gaps:roads', data: d.roads, stroked: true, filled: false, pickable: true,
        lineWidthUnits: 'pixels', getLineWidth: width, getLineColor: [...GAP_ROAD_COLOR, 255],
        extensions: dash, getDashArray: [4, 2.5], dashJustified: true, dashGapPickable: true,
      }),
    ];
    if (near) {
      layers.push(new ScatterplotLayer<GapPlace>({
        id: 'coverage-gaps:places', data: d.places, pickable: true, getPosition: (p) => [p.lon, p.lat],
        radiusUnits: 'pixels', getRadius: 6, filled: true, getFillColor: [255, 255, 255, 90],
        stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2.5, getLineColor: [...GAP_PLACE_COLOR, 255],
      }));
    } else {
      layers.push(
        new ScatterplotLayer<PlaceAggregate<GapPlace>>({
          id: 'coverage-gaps:townships', data: d.townships, pickable: true, getPosition: (a) => [a.lon, a.lat],
          radiusUnits: 'pixels', getRadius: (a) => 8 + Math.min(12, Math.sqrt(a.count) * 1.5), filled: true, getFillColor: [255, 255, 255, 110],
          stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2.5, getLineColor: [...GAP_PLACE_COLOR, 255],
        }),
        new TextLayer<PlaceAggregate<GapPlace>>({
          id: 'coverage-gaps:township-counts', data: d.townships, getPosition: (a) => [a.lon, a.lat], getText: (a) => String(a.count),
          getSize: 12, fontWeight: 700, getColor: [...GAP_PLACE_COLOR, 255], characterSet: '0123456789',
          fontSettings: { sdf: true }, outlineWidth: 3, outlineColor: [255, 255, 255, 230],
          getTextAnchor: 'middle', getAlignmentBaseline: 'center',
        }),
      );
    }
    return layers;
  },
  highlight: (d, sel) => {
    if (!ready(d)) return [];
    const [kind, raw] = String(sel.id).split(':');
    if (kind === 'road') {
      const pieces = d.roads.features.filter((f) => f.properties!.roadId === Number(raw));
      return pieces.length ? [new GeoJsonLayer({ id: 'coverage-gaps:selected:top', data: pieces, stroked: true, filled: false, lineWidthUnits: 'pixels', getLineWidth: 7, getLineColor: [255, 212, 59, 230] })] : [];
    }
    const p = d.byPlace.get(Number(raw));
    return p ? [selectionRing('coverage-gaps', p, 13)] : [];
  },
  legend: (d, env) => {
    if (!d) return env.active ? { items: [], note: '正在计算覆盖缺口…(分析量大,首次需数秒到数十秒)' } : { items: [] };
    if (d.phase === 'failed') return { items: [], note: `覆盖缺口计算失败:${d.message}` };
    return {
      items: [
        { label: '未覆盖路段', color: rgb(GAP_ROAD_COLOR), shape: 'dashed', width: 3, value: `${d.roads.features.length} 段 · ${(d.totalM / 1000).toFixed(1)} 公里` },
        { label: '未覆盖重点场所', color: rgb(GAP_PLACE_COLOR), shape: 'ring', value: `${d.places.length} 处` },
      ],
      note: `在线摄像机视野之外;路段按风险取前 ${d.roads.features.length} 段。${detailed(env) ? '' : `场所按乡镇汇总(圈内数字为处数,点击放大),放大到 ${GAP_PLACE_ZOOM} 级显示单个场所`}`,
    };
  },
  tooltip: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'coverage-gaps:roads') {
      const p = (object as Feature).properties!;
      return `未覆盖路段:${p.name ?? '无名道路'}\n等级:${roadClassName(p.roadClass)}\n未覆盖长度:${metres(p.gapM)}`;
    }
    if (layer.id === 'coverage-gaps:places') {
      const p = object as GapPlace;
      return `未覆盖重点场所:${p.name}\n类别:${p.typeName}${p.townshipName ? `\n${p.townshipName}` : ''}`;
    }
    if (layer.id === 'coverage-gaps:townships') {
      const a = object as PlaceAggregate<GapPlace>;
      return `${a.name ?? '乡镇未知'}:未覆盖重点场所 ${a.count} 处\n${a.summary}\n点击放大查看`;
    }
    return null;
  },
  onClick: (info, act) => {
    if (info.layer?.id !== 'coverage-gaps:townships' || !info.object) return false;
    const a = info.object as PlaceAggregate<GapPlace>;
    act.flyTo(a.bbox[0] === a.bbox[2] && a.bbox[1] === a.bbox[3] ? { lon: a.lon, lat: a.lat, zoom: GAP_PLACE_ZOOM + 2 } : { bbox: a.bbox });
    return true;
  },
  selectionOf: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'coverage-gaps:roads') return { layer: 'coverage-gaps', id: `road:${(object as Feature).properties!.roadId}`, object };
    if (layer.id === 'coverage-gaps:places') return { layer: 'coverage-gaps', id: `place:${(object as GapPlace).id}`, object };
    return null;
  },
  find: (d, id) => {
    if (!ready(d)) return undefined;
    const [kind, raw] = String(id).split(':');
    return kind === 'road' ? d.roads.features.find((f) => f.properties!.roadId === Number(raw)) : d.byPlace.get(Number(raw));
  },
  locate: (o) => {
    const f = o as Feature | GapPlace;
    if ('lon' in f) return { lon: f.lon, lat: f.lat, zoom: 16 };
    const c = (f.geometry as { coordinates: unknown }).coordinates;
    const first = (f.geometry.type === 'LineString' ? (c as number[][])[0] : (c as number[][][])[0]?.[0]) as number[] | undefined;
    return first ? { lon: first[0]!, lat: first[1]!, zoom: 15 } : null;
  },
  Detail: ({ sel, data }) => {
    if (!ready(data)) return <p className="muted">正在计算覆盖缺口…</p>;
    const [kind, raw] = String(sel.id).split(':');
    if (kind === 'road') {
      const r = data.byRoad.get(Number(raw));
      const piece = (sel.object as Feature | undefined)?.properties;
      if (!r) return <p className="muted">该路段已不在覆盖缺口清单中</p>;
      return (
        <dl className="detail-list" data-testid="coverage-gap-detail">
          <dt>道路名称</dt><dd>{r.name ?? '无名道路'}</dd>
          <dt>等级</dt><dd>{roadClassName(r.roadClass)}</dd>
          {piece && <><dt>本段未覆盖</dt><dd>{metres(Number(piece.gapM))}</dd></>}
          <dt>未覆盖长度</dt><dd>{metres(r.gapM)}(清单内 {r.pieces} 段合计)</dd>
          <dt>说明</dt><dd>不在任何在线摄像机视野内的路段,按风险(未覆盖长度 × 道路等级权重)排序</dd>
        </dl>
      );
    }
    const p = data.byPlace.get(Number(raw));
    if (!p) return <p className="muted">该场所已不在覆盖缺口清单中</p>;
    return (
      <dl className="detail-list" data-testid="coverage-gap-detail">
        <dt>场所名称</dt><dd>{p.name}</dd>
        <dt>类别</dt><dd>{p.typeName}</dd>
        <dt>所属乡镇</dt><dd>{p.townshipName ?? '—'}</dd>
        <dt>坐标</dt><dd>{p.lon.toFixed(6)}, {p.lat.toFixed(6)}</dd>
        <dt>说明</dt><dd>该场所未被在线摄像机有效覆盖</dd>
      </dl>
    );
  },
});
