'use client';
// 案事件热力: incident counts per hexagon of the server's lattice (server/services/map/lattice.ts:
// flat-top hexagons in Web Mercator, anchored at the origin), drawn as flat deck.gl columns with
// six sides so they tile the view, coloured yellow → red by count on log classes. Playback shows
// one day of the window or one hour of the day at a time (the filter panel's control); the next
// frame is fetched ahead and the current heat stays up while a frame loads.
import { ColumnLayer, PathLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { keepPreviousData, skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTRPC } from '../../trpc';
import { defineLayer, type LayerEnv, type MapFilters, type Rgb } from '../types';
import { rgb } from '../scale';
import { HEX_ANGLE_DEG, hexOf, hexVertices, mercX, mercY } from '@/server/services/map/lattice';
import { classLabels, clampFrame, countBreaks, countClass, frameCount, frameLabel, HEAT_RAMP, hexRadius, metresText, nextFrame, viewQuery } from './helpers';

/** Fill opacity of the hexagons: roads and streets stay visible through the heat. */
export const HEAT_ALPHA = 150;
const SELECTED: Rgb = [49, 130, 206];
const PLAY_STEP_MS = 1000;

interface BinsAnswer { shape: 'hex'; sizeM: number; centres: number[]; counts: number[]; max: number; total: number }

interface HeatBinary {
  length: number;
  attributes: { getPosition: { value: Float64Array; size: 2 }; getFillColor: { value: Uint8Array; size: 4 } };
  /** Back to the module's data from a picked layer (deck.gl gives an index with binary data). */
  src: HeatCore;
}

/** One bins answer, decoded once: positions and colours as deck.gl binary attributes. */
interface HeatCore {
  sizeM: number;
  rung: number;
  mercatorS: number;
  radiusCommon: number;
  centres: Float64Array;
  counts: number[];
  total: number;
  max: number;
  min: number;
  breaks: number[];
  binary: HeatBinary;
  /** The frame this answer is for ("全部时段", "2026-03-01(周日)", "20 时"). */
  label: string;
}

export interface HeatData extends HeatCore {
  /** True while the heat shown is the previous frame's and the asked one is loading. */
  pending: boolean;
}

export interface HeatBin { index: number; lon: number; lat: number; count: number; id: string }

function decode(a: BinsAnswer, label: string): HeatCore {
  const n = a.counts.length;
  const centres = Float64Array.from(a.centres);
  let latMin = Infinity;
  let latMax = -Infinity;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    latMin = Math.min(latMin, centres[2 * i + 1]!);
    latMax = Math.max(latMax, centres[2 * i + 1]!);
    min = Math.min(min, a.counts[i]!);
  }
  const size = n ? hexRadius(a.sizeM, (latMin + latMax) / 2) : { rung: 0, mercatorS: 0, radiusCommon: 0 };
  const breaks = countBreaks(a.counts);
  const colors = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const c = HEAT_RAMP[countClass(a.counts[i]!, breaks)]!;
    colors.set([c[0], c[1], c[2], HEAT_ALPHA], i * 4);
  }
  const out: HeatCore = {
    sizeM: a.sizeM, ...size, centres, counts: a.counts, total: a.total, max: a.max, min: n ? min : 0, breaks, label,
    binary: { length: n, attributes: { getPosition: { value: centres, size: 2 }, getFillColor: { value: colors, size: 4 } }, src: undefined as unknown as HeatCore },
  };
  out.binary.src = out;
  return out;
}

function binAt(d: HeatCore, index: number): HeatBin | null {
  if (!(index >= 0 && index < d.counts.length)) return null;
  const lon = d.centres[2 * index]!;
  const lat = d.centres[2 * index + 1]!;
  const [q, r] = hexOf(mercX(lon), mercY(lat), d.mercatorS);
  return { index, lon, lat, count: d.counts[index]!, id: `${d.rung}_${q}_${r}` };
}

function pickedBin(info: PickingInfo): HeatBin | null {
  const src = (info.layer?.props.data as HeatBinary | undefined)?.src;
  return src && info.index >= 0 ? binAt(src, info.index) : null;
}

function useHeat(env: LayerEnv) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const f = env.filters;
  const view = env.view;
  const on = env.active && view !== null;
  const q = useQuery({
    ...trpc.map.incidentBins.queryOptions(on ? viewQuery(view, f) : skipToken),
    enabled: on,
    placeholderData: keepPreviousData,
  });
  // the next frame is fetched while this one shows, so playback steps to data already here
  const next = f.play ? nextFrame(f.play, f.from, f.to) : null;
  useEffect(() => {
    if (!on || !next) return;
    void qc.prefetchQuery(trpc.map.incidentBins.queryOptions(viewQuery(view, { ...f, play: next })));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the next frame's inputs
  }, [on, view, f.from, f.to, f.categories, next?.mode, next?.index, qc, trpc]);
  const label = frameLabel(f);
  const answer = on ? (q.data as BinsAnswer | undefined) : undefined;
  // the label belongs to the answer, not to the frame asked for: keep it with the data
  const labelRef = useRef(new WeakMap<object, string>());
  if (answer && !q.isPlaceholderData && !labelRef.current.has(answer)) labelRef.current.set(answer, label);
  const decoded = useMemo(() => (answer ? decode(answer, labelRef.current.get(answer) ?? label) : undefined), [answer]); // eslint-disable-line react-hooks/exhaustive-deps
  const pending = q.isPlaceholderData;
  const data = useMemo<HeatData | undefined>(() => (decoded ? { ...decoded, pending } : undefined), [decoded, pending]);
  return { data, loading: on && q.isFetching, error: q.error };
}

export const incidentsLayer = defineLayer<HeatData>({
  id: 'incidents',
  title: '案事件热力',
  group: '案事件',
  renderer: 'deck',
  below: 'roads',
  useData: useHeat,
  build: (d) => [
    new ColumnLayer({
      id: 'incidents',
      data: d.binary as never,
      diskResolution: 6,
      angle: HEX_ANGLE_DEG,
      // the Mercator circumradius in common units: exact at every latitude (see hexRadius)
      radius: d.radiusCommon,
      radiusUnits: 'common',
      extruded: false,
      stroked: false,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
    }),
  ],
  highlight: (d, sel) => {
    const b = d ? findBin(d, String(sel.id)) : undefined;
    if (!d || !b) return [];
    return [
      // the outline as a path through the lattice's own vertices (ColumnLayer's stroke offset assumes metre radii)
      new PathLayer<[number, number][]>({
        id: 'incidents:selected:top',
        data: [ring(d, b)],
        getPath: (x) => x,
        getColor: [...SELECTED, 255],
        widthUnits: 'pixels',
        getWidth: 2.5,
        jointRounded: true,
      }),
    ];
  },
  legend: (d, env) => {
    if (!env.view) return { items: [], note: '等待地图视野…' };
    if (!d) return { items: [], note: '正在统计视野内的案事件…' };
    if (d.counts.length === 0) return { items: [], note: `${d.label}:视野内没有案事件` };
    const labels = classLabels(d.breaks, d.min, d.max);
    const tally = new Array<number>(labels.length).fill(0);
    for (const c of d.counts) tally[countClass(c, d.breaks)]!++;
    return {
      items: labels.map((label, k) => ({ label, color: rgb(HEAT_RAMP[k]!), shape: 'fill' as const, value: `${tally[k]} 格` })),
      scale: { low: '浅黄:少', high: '深红:多', better: 'low' },
      note: `${d.label}${d.pending ? '(加载中)' : ''}:六边形边长 ${metresText(d.sizeM)},共 ${d.total.toLocaleString('zh-CN')} 起(对数分级)`,
    };
  },
  deps: (env) => [env.filters.play?.mode, env.filters.play?.index],
  tooltip: (info) => {
    const b = pickedBin(info);
    return b ? `案事件 ${b.count.toLocaleString('zh-CN')} 起` : null;
  },
  selectionOf: (info) => {
    const b = pickedBin(info);
    return b ? { layer: 'incidents', id: b.id, object: b } : null;
  },
  find: (d, id) => findBin(d, String(id)),
  locate: (o) => {
    const b = o as HeatBin;
    return { lon: b.lon, lat: b.lat, zoom: 14 };
  },
  Detail: ({ sel, data }) => {
    // the count of the frame on screen: the same hexagon is looked up again as frames change
    const cur = data ? findBin(data, String(sel.id)) : undefined;
    const b = cur ?? (sel.object as HeatBin | undefined);
    return (
      <dl className="detail-list" data-testid="incident-bin-detail">
        <dt>起数</dt><dd>{cur ? `${cur.count.toLocaleString('zh-CN')} 起` : !data ? '—' : !String(sel.id).startsWith(`${data.rung}_`) ? '—(缩放后六边形大小已变,请重新点选)' : '0 起(当前时段此六边形内没有案事件)'}</dd>
        <dt>时段</dt><dd>{data?.label ?? '—'}</dd>
        <dt>六边形边长</dt><dd>{data ? metresText(data.sizeM) : '—'}</dd>
        <dt>中心位置</dt><dd>{b ? `${b.lon.toFixed(5)}, ${b.lat.toFixed(5)}` : '—'}</dd>
        <dt>说明</dt><dd>放大到 14 级以上可查看单个案事件(打开“案事件点位”图层)</dd>
      </dl>
    );
  },
  Controls: PlaybackControls,
});

/** The closed outline of a bin (lon/lat, the lattice's six vertices). */
function ring(d: HeatCore, b: HeatBin): [number, number][] {
  const [q, r] = hexOf(mercX(b.lon), mercY(b.lat), d.mercatorS);
  const v = hexVertices(q, r, d.mercatorS);
  return [...v, v[0]!];
}

/** The bin of a selection id (`rung_q_r`) in this answer, if it is there (same rung, in view). */
function findBin(d: HeatCore, id: string): HeatBin | undefined {
  const m = /^(-?\d+)_(-?\d+)_(-?\d+)$/.exec(id);
  if (!m || Number(m[1]) !== d.rung) return undefined;
  for (let i = 0; i < d.counts.length; i++) {
    const b = binAt(d, i);
    if (b && b.id === id) return b;
  }
  return undefined;
}

const MODES: [NonNullable<MapFilters['play']>['mode'] | 'all', string][] = [['all', '整个时段'], ['day', '按日'], ['hour', '按小时']];

function PlaybackControls({ env, data, setFilters }: { env: LayerEnv; data: HeatData | undefined; setFilters: (p: Partial<MapFilters>) => void }) {
  const f = env.filters;
  const play = f.play;
  const [playing, setPlaying] = useState(false);
  // the interval reads the latest frame and readiness through refs, so it is set once per play
  const state = useRef({ play, from: f.from, to: f.to, pending: data?.pending ?? false });
  state.current = { play, from: f.from, to: f.to, pending: data?.pending ?? false };
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      const s = state.current;
      if (!s.play || s.pending) return; // wait for the frame on screen to arrive
      setFilters({ play: nextFrame(s.play, s.from, s.to) });
    }, PLAY_STEP_MS);
    return () => clearInterval(t);
  }, [playing, setFilters]);
  // playback stops when it is switched off (the window changed, or 整个时段)
  useEffect(() => { if (!play) setPlaying(false); }, [play]);

  const n = play ? frameCount(play.mode, f.from, f.to) : 0;
  const index = play ? clampFrame(play.mode, play.index, f.from, f.to) : 0;
  return (
    <div className="heat-playback" data-testid="heat-playback">
      <div className="heat-modes" role="group" aria-label="回放方式">
        {MODES.map(([m, label]) => {
          const active = m === 'all' ? !play : play?.mode === m;
          return (
            <button key={m} type="button" className={`small${active ? ' active' : ''}`} aria-pressed={active} data-testid={`heat-mode-${m}`}
              onClick={() => {
                if (active) return;
                setFilters({ play: m === 'all' ? null : { mode: m, index: 0 } });
                if (m === 'all') setPlaying(false);
              }}>
              {label}
            </button>
          );
        })}
      </div>
      {play && (
        <div className="heat-frame">
          <button type="button" className="small" onClick={() => setPlaying((p) => !p)} aria-label={playing ? '暂停' : '播放'} data-testid="heat-play">
            {playing ? '暂停' : '播放'}
          </button>
          <input type="range" min={0} max={n - 1} step={1} value={index} aria-label={play.mode === 'day' ? '回放日期' : '回放小时'} data-testid="heat-slider"
            onChange={(e) => setFilters({ play: { mode: play.mode, index: Number(e.target.value) } })} />
          <span className="heat-frame-label" data-testid="heat-frame-label">{frameLabel(f)}</span>
        </div>
      )}
    </div>
  );
}
