'use client';
// 摄像机: the camera register (coverage.cameras) by status. Below street zoom the cameras
// of each status are clustered on their own (green, grey and red bubbles: where the broken
// ones gather stays visible), with lone cameras as small symbols; from zoom 15 every camera
// stands alone with its field of view (the cached `view` polygon) as a translucent fill.
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { defineLayer, type LayerEnv } from '../types';
import { rgb } from '../scale';
import { useQueryData } from '../query-data';
import { bubbleTooltip, clusteredPoints, clusterZoom, markerIndex, markerNavigation, type ClusterIndex } from '../cluster';
import { selectionRing, symbolLayers, symbolLegendItem } from '../symbols';
import { areaLocator, bearingText, CAMERA_STATUSES, STATUS_COLOR, STATUS_LABEL, statusCounts, statusOf, TYPE_LABEL, type CameraStatus } from './status';

type CameraRow = inferRouterOutputs<AppRouter>['coverage']['cameras'][number];
export interface Camera extends CameraRow { st: CameraStatus; township: string | null }

export const CAMERA_CLUSTER_MAX_ZOOM = 13;
/** From this zoom every camera is drawn with its field of view. */
export const CAMERA_VIEW_ZOOM = 15;

export interface CameraData {
  cams: Camera[];
  byId: Map<number, Camera>;
  counts: Record<CameraStatus, number>;
  /** One index per status, so that a bubble has one status and its colour. */
  indexes: { status: CameraStatus; index: ClusterIndex<Camera> }[];
  views: FeatureCollection;
}

/** Cameras outside every township: registered, but not counted by the coverage figures of the county. */
const outside = (d: CameraData) => d.cams.filter((c) => !c.township).length;
const street = (env: LayerEnv) => (env.view?.zoom ?? 9) >= CAMERA_VIEW_ZOOM;
const typeText = (t: string | null | undefined) => (t ? TYPE_LABEL[t] ?? t : '—');
const SIZE = { county: 16, town: 20, street: 24 };

/** The cameras as the layer draws them: status, township, one cluster index per status, the views. */
export function cameraData(rows: readonly CameraRow[], townships: FeatureCollection | undefined): CameraData {
  const where = areaLocator(townships);
  const cams = rows.map((c): Camera => ({ ...c, st: statusOf(c.status), township: where(c.lon, c.lat) }));
  const indexes = CAMERA_STATUSES.map((status) => ({
    status,
    index: markerIndex(cams.filter((c) => c.st === status), { maxZoom: CAMERA_CLUSTER_MAX_ZOOM, radiusPx: 44 }),
  })).filter((x) => x.index.points.length > 0);
  const views: FeatureCollection = {
    type: 'FeatureCollection',
    features: cams.filter((c) => c.view).map((c): Feature => ({ type: 'Feature', geometry: c.view as Geometry, properties: { id: c.id, st: c.st, name: c.name, gbId: c.gbId, cameraType: c.cameraType } })),
  };
  return { cams, byId: new Map(cams.map((c) => [c.id, c])), counts: statusCounts(cams), indexes, views };
}

function useCameraData(env: LayerEnv) {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.coverage.cameras.queryOptions(), enabled: env.active, retry: false, staleTime: 5 * 60_000 });
  const townships = env.basemap.townships;
  return useQueryData(q, (rows) => cameraData(rows, townships), [townships]);
}

/** Cameras as camera symbols in their status colour. */
function cameraSymbols(data: Camera[], size: number): Layer[] {
  return symbolLayers<Camera>({
    id: 'cameras',
    data,
    getPosition: (c) => [c.lon, c.lat],
    getSymbol: 'camera',
    getColor: (c) => STATUS_COLOR[c.st],
    getSize: size,
  });
}

function cameraTooltip(c: Pick<Camera, 'name' | 'gbId' | 'st' | 'cameraType'>): string {
  return `${c.name}\n国标编码:${c.gbId ?? '—'}\n状态:${STATUS_LABEL[c.st]}\n类型:${typeText(c.cameraType)}`;
}

/** A fixed camera's bearing; a dome or PTZ turns (its register bearing, if any, is where it rests). */
function orientationText(c: Camera): string {
  const b = bearingText(c.azimuthDeg);
  if (c.cameraType === 'dome' || c.cameraType === 'ptz') return b ? `${b} · 可转动` : c.kind === 'circle' ? '全向(可转动)' : '可转动';
  return b ?? '未登记';
}

function cameraOf(d: CameraData | undefined, id: unknown): Camera | undefined {
  return d?.byId.get(Number(id));
}

export const camerasLayer = defineLayer<CameraData>({
  id: 'cameras',
  title: '摄像机',
  group: '视频监控',
  renderer: 'deck',
  useData: useCameraData,
  deps: (env) => [clusterZoom(env.view, CAMERA_CLUSTER_MAX_ZOOM), street(env)],
  build: (d, env) => {
    // the views stay in the layer list (hidden below street zoom), so crossing zoom 15 does not re-tessellate 2,000 polygons
    const layers: Layer[] = [
      new GeoJsonLayer({
        id: 'cameras:views',
        data: d.views,
        visible: street(env),
        filled: true,
        stroked: true,
        pickable: true,
        getFillColor: (f: Feature) => [...STATUS_COLOR[f.properties!.st as CameraStatus], 56],
        getLineColor: (f: Feature) => [...STATUS_COLOR[f.properties!.st as CameraStatus], 150],
        lineWidthUnits: 'pixels',
        getLineWidth: 1,
      }),
    ];
    if (street(env)) {
      layers.push(...cameraSymbols(d.cams, SIZE.street));
      return layers;
    }
    const zoom = clusterZoom(env.view, CAMERA_CLUSTER_MAX_ZOOM);
    const singles: Camera[] = [];
    const bubbles: Layer[] = [];
    for (const { status, index } of d.indexes) {
      const c = clusteredPoints(index, zoom, { id: `cameras:${status}`, color: STATUS_COLOR[status], labelOf: (x) => typeText(x.cameraType) });
      singles.push(...c.singles);
      bubbles.push(...c.bubbles);
    }
    layers.push(...cameraSymbols(singles, zoom > CAMERA_CLUSTER_MAX_ZOOM ? SIZE.town : SIZE.county));
    // bubbles above the lone cameras; the statuses in the order online, offline, faulty (the rarer on top)
    layers.push(...bubbles);
    return layers;
  },
  highlight: (d, sel) => {
    const c = cameraOf(d, sel.id) ?? (sel.object as Camera | undefined);
    if (!c || !('lon' in c)) return [];
    const out: Layer[] = [];
    if (c.view) {
      out.push(new GeoJsonLayer({
        id: 'cameras:selected-view:top', data: [{ type: 'Feature', geometry: c.view as Geometry, properties: {} }] as Feature[],
        filled: false, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2.5, getLineColor: [255, 212, 59, 255],
      }));
    }
    out.push(selectionRing('cameras', c, 15));
    return out;
  },
  legend: (d, env) => {
    const n = d?.cams.length ?? 0;
    const shown = d ? CAMERA_STATUSES.filter((s) => s !== 'unknown' || d.counts.unknown > 0) : CAMERA_STATUSES.filter((s) => s !== 'unknown');
    const items = shown.map((s) => symbolLegendItem('camera', STATUS_COLOR[s], STATUS_LABEL[s], d ? `${d.counts[s].toLocaleString('zh-CN')} 台` : undefined));
    if (street(env)) items.push({ label: '视场范围', color: rgb(STATUS_COLOR.online, 0.35), shape: 'fill', value: undefined });
    return {
      items,
      note: d
        ? `登记 ${n.toLocaleString('zh-CN')} 台${outside(d) ? `(其中 ${outside(d)} 台不在任何乡镇内,不计入县域覆盖)` : ''};${street(env) ? '扇形为各机视场范围(颜色同状态)' : `圆内数字为该状态摄像机台数,点击展开;放大到 ${CAMERA_VIEW_ZOOM} 级显示视场范围`}`
        : undefined,
    };
  },
  tooltip: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id.endsWith(':clusters')) return bubbleTooltip(object, `台${STATUS_LABEL[layer.id.split(':')[1] as CameraStatus] ?? ''}摄像机`);
    if (layer.id === 'cameras') return cameraTooltip(object as Camera);
    if (layer.id === 'cameras:views') {
      const p = (object as Feature).properties as Pick<Camera, 'name' | 'gbId' | 'st' | 'cameraType'>;
      return `${cameraTooltip(p)}\n(视场范围)`;
    }
    return null;
  },
  ...markerNavigation(16),
  selectionOf: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'cameras') return { layer: 'cameras', id: (object as Camera).id, object };
    if (layer.id === 'cameras:views') return { layer: 'cameras', id: Number((object as Feature).properties!.id) };
    return null;
  },
  Detail: ({ sel, data }) => {
    const c = cameraOf(data, sel.id) ?? (sel.object as Camera | undefined);
    if (!c || !('lon' in c)) return <p className="muted">{data ? '该摄像机不在当前数据范围内' : '正在加载摄像机…'}</p>;
    return (
      <dl className="detail-list" data-testid="camera-detail">
        <dt>名称</dt><dd>{c.name}</dd>
        <dt>国标编码</dt><dd>{c.gbId ?? '—'}</dd>
        <dt>类型</dt><dd>{typeText(c.cameraType)}</dd>
        <dt>状态</dt><dd><span className="status-dot" style={{ background: rgb(STATUS_COLOR[c.st]) }} />{STATUS_LABEL[c.st]}</dd>
        <dt>朝向</dt><dd>{orientationText(c)}</dd>
        <dt>视场角</dt><dd>{c.fovDeg === null ? '未登记' : `${c.fovDeg}°`}</dd>
        <dt>视距</dt><dd>{c.rangeM === null ? '未登记' : `${c.rangeM} 米`}</dd>
        <dt>所属乡镇</dt><dd>{c.township ?? '—'}</dd>
        <dt>坐标</dt><dd>{c.lon.toFixed(6)}, {c.lat.toFixed(6)}</dd>
      </dl>
    );
  },
});
