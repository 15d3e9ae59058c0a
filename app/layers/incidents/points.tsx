'use client';
// 案事件点位: single incidents from zoom 14 on, coloured by top-level category. The server sends
// a view's points as base64 typed arrays (Float32 offsets from an origin, Uint8 category
// indexes); they are decoded once per answer and handed to deck.gl as binary attributes, so
// picking gives an index, which the module maps back to the incident's id. A click opens the
// incident's record (map.incident) with its handling history.
import { ScatterplotLayer } from '@deck.gl/layers';
import { COORDINATE_SYSTEM, type PickingInfo } from '@deck.gl/core';
import { keepPreviousData, skipToken, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTRPC } from '../../trpc';
import { errorText } from '../../components/error-text';
import { defineLayer, type LayerEnv, type Rgb } from '../types';
import { rgb } from '../scale';
import { chinaTimeText } from '@/lib/china-time';
import { CATEGORY_COLORS, categoryName, decodePoints, frameLabel, nextFrame, OTHER_COLOR, pointPosition, TOP_CATEGORIES, topCategoryOf, viewQuery, type PointsAnswer, type PointsBinary, type PointsData } from './helpers';

/** Single incidents are drawn from this zoom on (the server refuses below it). */
export const POINTS_MIN_ZOOM = 14;

const SELECTED: Rgb = [49, 130, 206];

export const STATUS_NAMES: Record<string, string> = { received: '受理', dispatched: '流转', handling: '处置', closed: '办结', supervised: '督办' };
export const SOURCE_NAMES: Record<string, string> = { '110': '110 报警', grid: '网格上报', '12345': '12345 热线', other: '其他来源' };
export const SEVERITY_NAMES: Record<string, string> = { ordinary: '一般', major: '重大' };

/** What a selection holds: enough to draw the ring and title the panel before the record loads. */
export interface IncidentPoint { id: number; lon: number; lat: number; category: string; occurredAt: number }

function pointAt(d: PointsData, i: number): IncidentPoint | null {
  if (!(i >= 0 && i < d.ids.length)) return null;
  const [lon, lat] = pointPosition(d, i);
  return { id: d.ids[i]!, lon, lat, category: d.codes[d.cats[i]!] ?? '', occurredAt: d.occurredAt[i]! };
}

function picked(info: PickingInfo): IncidentPoint | null {
  const src = (info.layer?.props.data as PointsBinary | undefined)?.src;
  return src && info.index >= 0 ? pointAt(src, info.index) : null;
}

const zoomedIn = (env: LayerEnv) => env.view !== null && env.view.zoom >= POINTS_MIN_ZOOM;

function usePoints(env: LayerEnv) {
  const trpc = useTRPC();
  const on = env.active && zoomedIn(env);
  const q = useQuery({
    ...trpc.map.incidentPoints.queryOptions(on ? viewQuery(env.view!, env.filters) : skipToken),
    enabled: on,
    placeholderData: keepPreviousData,
  });
  // during playback the next frame's points are fetched ahead, as the heat's are
  const qc = useQueryClient();
  const f = env.filters;
  const next = f.play ? nextFrame(f.play, f.from, f.to) : null;
  useEffect(() => {
    if (!on || !next) return;
    void qc.prefetchQuery(trpc.map.incidentPoints.queryOptions(viewQuery(env.view!, { ...f, play: next })));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the next frame's inputs
  }, [on, env.view, f.from, f.to, f.categories, next?.mode, next?.index, qc, trpc]);
  const answer = on ? (q.data as PointsAnswer | undefined) : undefined;
  const label = frameLabel(env.filters);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- decoded once per answer; the label is the frame's when it arrived
  const data = useMemo(() => (answer ? decodePoints(answer, label) : undefined), [answer]);
  return { data, loading: on && q.isFetching, error: on ? q.error : null };
}

const n = (v: number) => v.toLocaleString('zh-CN');

export const incidentPointsLayer = defineLayer<PointsData>({
  id: 'incident-points',
  title: '案事件点位',
  group: '案事件',
  renderer: 'deck',
  useData: usePoints,
  build: (d) => [
    new ScatterplotLayer({
      id: 'incident-points',
      data: d.binary as never,
      coordinateSystem: COORDINATE_SYSTEM.LNGLAT_OFFSETS,
      coordinateOrigin: [d.origin[0], d.origin[1], 0],
      radiusUnits: 'pixels',
      getRadius: 5,
      stroked: true,
      getLineColor: [255, 255, 255, 230],
      lineWidthUnits: 'pixels',
      getLineWidth: 1,
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 110],
    }),
  ],
  highlight: (d, sel) => {
    const p = (sel.object as Partial<IncidentPoint> | undefined) ?? (d ? findPoint(d, sel.id) : undefined);
    if (!p || !Number.isFinite(p.lon) || !Number.isFinite(p.lat)) return [];
    return [
      new ScatterplotLayer<IncidentPoint>({
        id: 'incident-points:selected:top',
        data: [p as IncidentPoint],
        getPosition: (x) => [x.lon, x.lat],
        radiusUnits: 'pixels',
        getRadius: 9,
        filled: false,
        stroked: true,
        getLineColor: [...SELECTED, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
      }),
    ];
  },
  legend: (d, env) => {
    const items = TOP_CATEGORIES.map((c) => ({
      label: c.name,
      color: rgb(CATEGORY_COLORS[c.code] ?? OTHER_COLOR),
      shape: 'point' as const,
      ...(d && zoomedIn(env) ? { value: `${n(d.tally.get(c.code) ?? 0)} 起` } : {}),
    }));
    if (!zoomedIn(env)) return { items, note: `放大到 ${POINTS_MIN_ZOOM} 级以上显示单个案事件` };
    if (!d) return { items, note: '正在读取视野内的案事件…' };
    if (d.capped) return { items, note: `显示 ${n(d.ids.length)} / 共 ${n(d.count)} 起(最新的在前),请放大` };
    return { items, note: `${d.label}:视野内共 ${n(d.count)} 起` };
  },
  deps: (env) => [zoomedIn(env)],
  tooltip: (info) => {
    const p = picked(info);
    if (!p) return null;
    const top = topCategoryOf(p.category);
    return `${categoryName(p.category)}${top !== p.category ? `(${categoryName(top)})` : ''}\n${chinaTimeText(new Date(p.occurredAt * 1000))}\n点击查看详情`;
  },
  selectionOf: (info) => {
    const p = picked(info);
    return p ? { layer: 'incident-points', id: p.id, object: p } : null;
  },
  // an incident outside this view's points (a link, a search hit) stays selected by its id: the panel reads it by id
  find: (d, id) => findPoint(d, id) ?? { id: Number(id) },
  locate: (o) => {
    const p = o as Partial<IncidentPoint>;
    return Number.isFinite(p.lon) && Number.isFinite(p.lat) ? { lon: p.lon!, lat: p.lat!, zoom: 16 } : null;
  },
  Detail: IncidentDetail,
});

function findPoint(d: PointsData, id: string | number): IncidentPoint | undefined {
  const i = d.ids.indexOf(Number(id));
  return i < 0 ? undefined : (pointAt(d, i) ?? undefined);
}

function IncidentDetail({ sel }: { sel: { id: string | number } }) {
  const trpc = useTRPC();
  const id = Number(sel.id);
  const valid = Number.isInteger(id) && id > 0;
  const q = useQuery({ ...trpc.map.incident.queryOptions(valid ? { id } : skipToken), enabled: valid });
  if (!valid) return <p className="bad">案事件编号无效:{String(sel.id)}</p>;
  if (q.isPending) return <p className="muted">正在读取案事件 {id}…</p>;
  if (q.error) return <p className="bad" role="alert">读取案事件失败:{errorText(q.error)}</p>;
  const r = q.data;
  const top = topCategoryOf(r.category);
  return (
    <div className="incident-detail" data-testid="incident-detail">
      <dl className="detail-list">
        <dt>案事件编号</dt><dd>{r.externalId ?? r.id}{r.externalId ? <span className="muted">(#{r.id})</span> : null}</dd>
        <dt>类别</dt><dd>{r.categoryName}{top !== r.category ? `(${categoryName(top)})` : ''}</dd>
        <dt>发生时间</dt><dd>{chinaTimeText(new Date(r.occurredAt))}</dd>
        <dt>来源</dt><dd>{SOURCE_NAMES[r.source] ?? r.source}</dd>
        <dt>等级</dt><dd>{SEVERITY_NAMES[r.severity] ?? r.severity}</dd>
        <dt>状态</dt><dd><span className={`incident-status incident-status-${r.status}`}>{STATUS_NAMES[r.status] ?? r.status}</span></dd>
        <dt>所属乡镇/网格</dt><dd>{r.townshipName ?? '—'} / {r.gridName ?? r.gridCode ?? '—'}</dd>
        <dt>摘要</dt><dd>{r.summary ?? '—'}</dd>
      </dl>
      <h3 className="incident-history-title">处置记录</h3>
      {r.history.length === 0 ? (
        <p className="muted">暂无状态变更记录</p>
      ) : (
        <ol className="incident-history" data-testid="incident-history">
          {r.history.map((h, i) => (
            <li key={i}>
              <span className="incident-history-time">{chinaTimeText(new Date(h.changedAt))}</span>
              <span className={`incident-status incident-status-${h.status}`}>{STATUS_NAMES[h.status] ?? h.status}</span>
              {h.actor && <span className="incident-history-actor">{h.actor}</span>}
              {h.note && <span className="incident-history-note">{h.note}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
