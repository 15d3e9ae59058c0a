'use client';
// 巡防力量: the planned patrol routes (map.patrolRoutes) as lines in each team's colour, and
// one day's GPS tracks (map.patrolTracks) played back with deck.gl's TripsLayer: the last
// 20 minutes of each device's path fade behind a head at its position of the moment. The
// playback second is a map filter (trackSecond), so only this layer rebuilds per frame; its
// trips keep their data and accessors, so deck.gl re-uploads nothing but the clock.
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { Layer } from '@deck.gl/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../../trpc';
import { chinaDateOf } from '@/lib/china-time';
import { defineLayer, type LayerEnv, type LegendItem } from '../types';
import { rgb } from '../scale';
import { useQueryData } from '../query-data';
import { dayWindow, headAt, hhmm, pathLengthM, shiftText, splitTrips, teamColor, type DeviceTrack, type Trip } from './playback';
import { TrackControls } from './controls';

type Outputs = inferRouterOutputs<AppRouter>['map'];
type Route = Outputs['patrolRoutes'][number];

// ---- planned routes ----------------------------------------------------------------------
export interface RouteData { routes: (Route & { lengthM: number; shifts: string })[]; teams: { id: number | null; name: string; routes: number }[] }

const near = (env: LayerEnv) => (env.view?.zoom ?? 9) >= 14;

function teamsOf<T extends { teamId: number | null; teamName: string | null }>(rows: T[]): { id: number | null; name: string; routes: number }[] {
  const m = new Map<number | null, { id: number | null; name: string; routes: number }>();
  for (const r of rows) {
    const t = m.get(r.teamId) ?? { id: r.teamId, name: r.teamName ?? '未编队', routes: 0 };
    t.routes++;
    m.set(r.teamId, t);
  }
  return [...m.values()].sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity));
}

/** The routes as the layer draws them (with length and shift text), and the teams for the legend. */
export function routeData(rows: readonly Route[]): RouteData {
  const routes = rows.filter((r) => r.path.length >= 2).map((r) => ({ ...r, lengthM: pathLengthM(r.path), shifts: shiftText(r.schedule) }));
  return { routes, teams: teamsOf(routes) };
}

export const patrolRoutesLayer = defineLayer<RouteData>({
  id: 'patrol-routes',
  title: '巡逻路线',
  group: '巡防力量',
  renderer: 'deck',
  useData: (env) => {
    const trpc = useTRPC();
    const q = useQuery({ ...trpc.map.patrolRoutes.queryOptions(), enabled: env.active, retry: false, staleTime: 5 * 60_000 });
    return useQueryData(q, routeData);
  },
  deps: (env) => [near(env)],
  build: (d, env) => [
    new PathLayer<RouteData['routes'][number]>({
      id: 'patrol-routes',
      data: d.routes,
      getPath: (r) => r.path,
      getColor: (r) => [...teamColor(r.teamId), 215],
      widthUnits: 'pixels',
      getWidth: near(env) ? 4 : 2.5,
      capRounded: true,
      jointRounded: true,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
    }),
  ],
  highlight: (d, sel) => {
    const r = d?.routes.find((x) => x.id === Number(sel.id));
    return r ? [new PathLayer({ id: 'patrol-routes:selected:top', data: [r], getPath: (x: Route) => x.path, getColor: [255, 212, 59, 235], widthUnits: 'pixels', getWidth: 7, capRounded: true, jointRounded: true })] : [];
  },
  legend: (d) => ({
    items: (d?.teams ?? []).map((t): LegendItem => ({ label: t.name, color: rgb(teamColor(t.id)), shape: 'line', width: 3, value: `${t.routes} 条` })),
    note: d ? `共 ${d.routes.length} 条计划巡逻路线,颜色区分巡逻队` : undefined,
  }),
  tooltip: ({ object }) => {
    const r = object as RouteData['routes'][number] | null;
    return r ? `路线:${r.name}\n巡逻队:${r.teamName ?? '未编队'}\n班次:${r.shifts}` : null;
  },
  selectionOf: ({ object }) => (object ? { layer: 'patrol-routes', id: (object as Route).id, object } : null),
  find: (d, id) => d.routes.find((r) => r.id === Number(id)),
  locate: (o) => {
    const p = (o as Route).path;
    if (!p.length) return null;
    const xs = p.map((c) => c[0]);
    const ys = p.map((c) => c[1]);
    return { bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
  },
  Detail: ({ sel, data }) => {
    const r = data?.routes.find((x) => x.id === Number(sel.id)) ?? (sel.object as RouteData['routes'][number] | undefined);
    if (!r) return <p className="muted">{data ? '该路线不在当前数据范围内' : '正在加载巡逻路线…'}</p>;
    return (
      <dl className="detail-list" data-testid="patrol-route-detail">
        <dt>路线</dt><dd>{r.name}</dd>
        <dt>巡逻队</dt><dd><span className="status-dot" style={{ background: rgb(teamColor(r.teamId)) }} />{r.teamName ?? '未编队'}</dd>
        <dt>班次</dt><dd>{r.shifts}</dd>
        <dt>路线长度</dt><dd>{r.lengthM >= 1000 ? `${(r.lengthM / 1000).toFixed(2)} 公里` : `${Math.round(r.lengthM)} 米`}</dd>
      </dl>
    );
  },
});

// ---- track playback ------------------------------------------------------------------------
export const TRAIL_SECONDS = 20 * 60;

export interface TrackData {
  /** The China day of these tracks (while another day loads, the previous day's tracks stay); '' when there are no fixes at all. */
  day: string;
  /** The span of all fixes, for the day picker. */
  firstDay: string | null;
  lastDay: string | null;
  tracks: DeviceTrack[];
  trips: Trip[];
  /** The day's first and last fix, seconds since its midnight. */
  span: [number, number] | null;
  decimated: boolean;
  teams: { id: number | null; name: string; routes: number }[];
}

interface Head { device: string; teamId: number | null; teamName: string | null; position: [number, number] }

const tripPath = (t: Trip) => t.path;
const tripTimes = (t: Trip) => t.timestamps;
const tripColor = (t: Trip) => teamColor(t.teamId);
const dayPath = (t: DeviceTrack) => t.path;
const dayColor = (t: DeviceTrack): [number, number, number, number] => [...teamColor(t.teamId), 55];

export function headsAt(tracks: DeviceTrack[], second: number): Head[] {
  const out: Head[] = [];
  for (const t of tracks) {
    const p = headAt(t, second);
    if (p) out.push({ device: t.device, teamId: t.teamId, teamName: t.teamName, position: p });
  }
  return out;
}

/** One day's tracks as the layer plays them: trips split at silences, the day's span, the teams. */
export function trackData(res: Outputs['patrolTracks'], firstDay: string | null, lastDay: string | null): TrackData {
  const tracks: DeviceTrack[] = res.tracks;
  const trips = tracks.flatMap((t) => splitTrips(t));
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of tracks) if (t.times.length) { lo = Math.min(lo, t.times[0]!); hi = Math.max(hi, t.times[t.times.length - 1]!); }
  return { day: chinaDateOf(new Date(res.start * 1000)), firstDay, lastDay, tracks, trips, span: lo <= hi ? [lo, hi] : null, decimated: res.decimated, teams: teamsOf(tracks) };
}

function useTrackData(env: LayerEnv) {
  const trpc = useTRPC();
  const extent = useQuery({ ...trpc.map.patrolExtent.queryOptions(), enabled: env.active, retry: false, staleTime: 5 * 60_000 });
  const lastDay = extent.data?.last ? chinaDateOf(new Date(extent.data.last)) : null;
  const firstDay = extent.data?.first ? chinaDateOf(new Date(extent.data.first)) : null;
  const day = env.filters.trackDay ?? lastDay;
  const win = useMemo(() => (day ? dayWindow(day) : null), [day]);
  const q = useQuery({
    ...trpc.map.patrolTracks.queryOptions(win ?? dayWindow('2000-01-01')),
    enabled: env.active && win !== null, retry: false, staleTime: 5 * 60_000, placeholderData: keepPreviousData,
  });
  // undefined until a day's tracks are there, so a selection restored from a link waits for them
  const data = useMemo<TrackData | undefined>(() => {
    if (extent.data && !extent.data.last) return { day: '', firstDay: null, lastDay: null, tracks: [], trips: [], span: null, decimated: false, teams: [] };
    if (!extent.data || !q.data) return undefined;
    return trackData(q.data, firstDay, lastDay);
  }, [extent.data, q.data, firstDay, lastDay]);
  return { data, loading: extent.isFetching || q.isFetching, error: extent.error ?? q.error };
}

export const patrolTracksLayer = defineLayer<TrackData>({
  id: 'patrol-tracks',
  title: '巡逻轨迹回放',
  group: '巡防力量',
  renderer: 'deck',
  useData: useTrackData,
  deps: (env) => [env.filters.trackSecond],
  build: (d, env) => {
    const s = env.filters.trackSecond;
    const layers: Layer[] = [
      // the whole day, faint: where each device went
      new PathLayer<DeviceTrack>({
        id: 'patrol-tracks:day', data: d.tracks, getPath: dayPath, getColor: dayColor,
        widthUnits: 'pixels', getWidth: 1.5, capRounded: true, jointRounded: true,
      }),
      new TripsLayer<Trip>({
        id: 'patrol-tracks', data: d.trips, getPath: tripPath, getTimestamps: tripTimes, getColor: tripColor,
        currentTime: s, trailLength: TRAIL_SECONDS, fadeTrail: true,
        widthUnits: 'pixels', getWidth: 4, capRounded: true, jointRounded: true, pickable: true,
      }),
      new ScatterplotLayer<Head>({
        id: 'patrol-tracks:heads', data: headsAt(d.tracks, s), getPosition: (h) => h.position,
        getFillColor: (h) => teamColor(h.teamId), getLineColor: [255, 255, 255, 255], stroked: true,
        radiusUnits: 'pixels', getRadius: 7, lineWidthUnits: 'pixels', getLineWidth: 2, pickable: true,
      }),
    ];
    return layers;
  },
  legend: (d, env) => {
    if (!d) return { items: [], note: env.active ? '正在读取巡逻轨迹…' : undefined };
    if (!d.day) return { items: [], note: '暂无巡逻轨迹数据' };
    const items: LegendItem[] = d.teams.map((t) => ({ label: t.name, color: rgb(teamColor(t.id)), shape: 'line', width: 4, value: `${t.routes} 台设备` }));
    const span = d.span ? `,轨迹时段 ${hhmm(d.span[0])}–${hhmm(d.span[1])}` : '';
    const note = d.tracks.length
      ? `${d.day} ${hhmm(env.filters.trackSecond)}:圆点为当前位置,尾迹为最近 ${TRAIL_SECONDS / 60} 分钟${span}${d.decimated ? '(定位点过多,已按时间均匀抽稀)' : ''}`
      : `${d.day} 无巡逻轨迹`;
    return { items, note };
  },
  tooltip: ({ object, layer }, env) => {
    if (!object || !layer) return null;
    if (layer.id === 'patrol-tracks:heads') {
      const h = object as Head;
      return `巡逻队:${h.teamName ?? '未编队'}\n设备:${h.device}\n${hhmm(env.filters.trackSecond)} 所在位置`;
    }
    if (layer.id === 'patrol-tracks') {
      const t = object as Trip;
      return `巡逻队:${t.teamName ?? '未编队'}\n设备:${t.device}\n本段轨迹 ${hhmm(t.timestamps[0]!)}–${hhmm(t.timestamps[t.timestamps.length - 1]!)}`;
    }
    return null;
  },
  selectionOf: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'patrol-tracks:heads' || layer.id === 'patrol-tracks') return { layer: 'patrol-tracks', id: (object as Head | Trip).device, object };
    return null;
  },
  find: (d, id) => d.tracks.find((t) => t.device === String(id)),
  highlight: (d, sel) => {
    const t = d?.tracks.find((x) => x.device === String(sel.id));
    return t ? [new PathLayer<DeviceTrack>({ id: 'patrol-tracks:selected:top', data: [t], getPath: dayPath, getColor: [255, 212, 59, 200], widthUnits: 'pixels', getWidth: 3, capRounded: true, jointRounded: true })] : [];
  },
  Detail: ({ sel, data, env }) => {
    const t = data?.tracks.find((x) => x.device === String(sel.id));
    if (!t) return <p className="muted">{data ? '该设备当天没有轨迹' : '正在读取轨迹…'}</p>;
    const trips = data!.trips.filter((x) => x.device === t.device);
    const here = headAt(t, env.filters.trackSecond);
    return (
      <dl className="detail-list" data-testid="patrol-track-detail">
        <dt>巡逻队</dt><dd><span className="status-dot" style={{ background: rgb(teamColor(t.teamId)) }} />{t.teamName ?? '未编队'}</dd>
        <dt>设备</dt><dd>{t.device}</dd>
        <dt>日期</dt><dd>{data!.day}</dd>
        <dt>出巡时段</dt><dd>{trips.length ? trips.map((x) => `${hhmm(x.timestamps[0]!)}–${hhmm(x.timestamps[x.timestamps.length - 1]!)}`).join('、') : '—'}</dd>
        <dt>轨迹里程</dt><dd>{(trips.reduce((a, x) => a + pathLengthM(x.path), 0) / 1000).toFixed(2)} 公里</dd>
        <dt>定位点</dt><dd>{t.times.length} 个</dd>
        <dt>{hhmm(env.filters.trackSecond)} 位置</dt><dd>{here ? `${here[0].toFixed(6)}, ${here[1].toFixed(6)}` : '不在巡逻中'}</dd>
      </dl>
    );
  },
  Controls: TrackControls,
});
