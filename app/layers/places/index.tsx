'use client';
// 重点场所: the key places of map.places (schools, hospitals, stations, markets, hazardous
// goods, government, …) with one colour and symbol per family of place types
// (geodata/dictionaries/place-types.json), clustered up to zoom 13; a click on a bubble
// zooms to where it breaks up.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { useMemo } from 'react';
import { clusterIndex, clusterLayers, clustersOf, type ClusterIndex } from '../cluster';
import { defineLayer } from '../types';
import { symbolLayers, symbolLegendItem, type SymbolName } from '../symbols';
import { usePlaceQuery, type Place } from '../hazards/data';
import { clusterZoom, everywhere, expandBubble, placeGroupOf, sizeBand, summarise, type SummarisedBubble } from '../hazards/helpers';
import { PLACE_CLUSTER, PLACE_FAMILIES, placeFamily, type PlaceFamily } from '../hazards/styles';

export const PLACE_CLUSTER_MAX_ZOOM = 13;

export interface PlaceMarker extends Place { family: PlaceFamily; symbol: SymbolName }

interface PlaceData { markers: PlaceMarker[]; index: ClusterIndex<PlaceMarker>; byId: Map<number, PlaceMarker> }

function tooltipOf(p: PlaceMarker): string {
  return `${p.name}\n${p.typeName}${p.townshipName ? ` · ${p.townshipName}` : ''}${p.family.group === 'private' ? '\n私密场所:依法不得安装视频监控' : ''}`;
}

export const placesLayer = defineLayer<PlaceData>({
  id: 'places',
  title: '重点场所',
  group: '风险隐患',
  renderer: 'deck',
  useData: (env) => {
    const q = usePlaceQuery(env);
    const data = useMemo<PlaceData | undefined>(() => {
      if (!q.data) return undefined;
      const markers = q.data.map((p): PlaceMarker => {
        const family = placeFamily(placeGroupOf(p.type));
        return { ...p, family, symbol: family.symbol };
      });
      return {
        markers,
        index: clusterIndex(markers.map((m) => ({ lon: m.lon, lat: m.lat, props: m })), { maxZoom: PLACE_CLUSTER_MAX_ZOOM, radiusPx: 48 }),
        byId: new Map(markers.map((m) => [m.id, m])),
      };
    }, [q.data]);
    return { data, loading: q.isFetching, error: q.error };
  },
  deps: (env) => [clusterZoom(env.view, PLACE_CLUSTER_MAX_ZOOM), sizeBand(env.view)],
  build: (d, env) => {
    const zoom = clusterZoom(env.view, PLACE_CLUSTER_MAX_ZOOM);
    const { bubbles, singles } = clustersOf(d.index, everywhere(zoom));
    const layers: Layer[] = [];
    layers.push(...symbolLayers<PlaceMarker>({
      id: 'places',
      data: singles.map((s) => s.props),
      getPosition: (m) => [m.lon, m.lat],
      getSymbol: (m) => m.symbol,
      getColor: (m) => m.family.color,
      getSize: [20, 23, 26][sizeBand(env.view)],
    }));
    layers.push(...clusterLayers('places', summarise(d.index, bubbles, (m) => m.family.label), PLACE_CLUSTER));
    return layers;
  },
  highlight: (d, sel) => {
    const m = d?.byId.get(Number(sel.id)) ?? (sel.object as PlaceMarker | undefined);
    if (!m || !('lon' in m)) return [];
    return [new ScatterplotLayer({
      id: 'places:selected:top', data: [m], getPosition: (x: PlaceMarker) => [x.lon, x.lat], radiusUnits: 'pixels', getRadius: 16,
      filled: false, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 3, getLineColor: [255, 212, 59, 255],
    })];
  },
  legend: (d, env) => {
    const ms = d?.markers ?? [];
    const zoom = clusterZoom(env.view, PLACE_CLUSTER_MAX_ZOOM);
    const families = d ? PLACE_FAMILIES.filter((f) => ms.some((m) => m.family.group === f.group)) : PLACE_FAMILIES;
    const other = ms.some((m) => m.family.group === 'other') ? [ms.find((m) => m.family.group === 'other')!.family] : [];
    return {
      items: [...families, ...other].map((f) => symbolLegendItem(f.symbol, f.color, f.label, d ? String(ms.filter((m) => m.family.group === f.group).length) : undefined)),
      note: zoom <= PLACE_CLUSTER_MAX_ZOOM ? `${PLACE_CLUSTER_MAX_ZOOM + 1} 级以下聚合显示(圆内数字为场所数,点击展开)` : undefined,
    };
  },
  tooltip: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'places:clusters') {
      const b = object as SummarisedBubble;
      return `${b.count} 处重点场所\n${b.summary}\n点击放大查看`;
    }
    return layer.id === 'places' ? tooltipOf(object as PlaceMarker) : null;
  },
  onClick: (info, act) => expandBubble(info, act),
  selectionOf: ({ object, layer }) => (layer?.id === 'places' && object ? { layer: 'places', id: (object as PlaceMarker).id, object } : null),
  find: (d, id) => d.byId.get(Number(id)),
  locate: (o) => ({ lon: (o as PlaceMarker).lon, lat: (o as PlaceMarker).lat, zoom: 16 }),
  Detail: ({ sel, data }) => {
    const m = data?.byId.get(Number(sel.id)) ?? (sel.object as PlaceMarker | undefined);
    if (!m) return <p className="muted">该场所不在当前数据范围内</p>;
    return (
      <dl className="detail-list" data-testid="place-detail">
        <dt>名称</dt><dd>{m.name}</dd>
        <dt>类别</dt><dd>{m.typeName}({m.family.label})</dd>
        <dt>地址</dt><dd>{m.address ?? '—'}</dd>
        <dt>所属乡镇</dt><dd>{m.townshipName ?? '—'}</dd>
        {m.family.group === 'private' && <><dt>说明</dt><dd>私密场所,依法不得安装视频监控</dd></>}
      </dl>
    );
  },
});
