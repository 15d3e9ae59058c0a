'use client';
// 重点场所: the key places of map.places (schools, hospitals, stations, markets, hazardous
// goods, government, …) with one colour and symbol per family of place types
// (geodata/dictionaries/place-types.json), clustered up to zoom 13; a click on a bubble
// zooms to where it breaks up.
import { bubbleTooltip, clusteredPoints, clusterZoom, markerNavigation, markerSet, type MarkerSet } from '../cluster';
import { defineLayer } from '../types';
import { useQueryData } from '../query-data';
import { selectionRing, symbolLayers, symbolLegendItem, type SymbolName } from '../symbols';
import { usePlaceQuery, type Place } from '../hazards/data';
import { placeGroupOf, sizeBand } from '../hazards/helpers';
import { PLACE_CLUSTER, PLACE_FAMILIES, placeFamily, type PlaceFamily } from '../hazards/styles';

export const PLACE_CLUSTER_MAX_ZOOM = 13;

export interface PlaceMarker extends Place { family: PlaceFamily; symbol: SymbolName }

type PlaceData = MarkerSet<PlaceMarker>;

function placeMarker(p: Place): PlaceMarker {
  const family = placeFamily(placeGroupOf(p.type));
  return { ...p, family, symbol: family.symbol };
}

function tooltipOf(p: PlaceMarker): string {
  return `${p.name}\n${p.typeName}${p.townshipName ? ` · ${p.townshipName}` : ''}${p.family.group === 'private' ? '\n私密场所:依法不得安装视频监控' : ''}`;
}

export const placesLayer = defineLayer<PlaceData>({
  id: 'places',
  title: '重点场所',
  group: '风险隐患',
  renderer: 'deck',
  useData: (env) => useQueryData(usePlaceQuery(env), (answer) => markerSet(answer.map(placeMarker), { maxZoom: PLACE_CLUSTER_MAX_ZOOM, radiusPx: 48 })),
  deps: (env) => [clusterZoom(env.view, PLACE_CLUSTER_MAX_ZOOM), sizeBand(env.view)],
  build: (d, env) => {
    const { singles, bubbles } = clusteredPoints(d.index, clusterZoom(env.view, PLACE_CLUSTER_MAX_ZOOM), { id: 'places', color: PLACE_CLUSTER, labelOf: (m) => m.family.label });
    return [
      ...symbolLayers<PlaceMarker>({
        id: 'places',
        data: singles,
        getPosition: (m) => [m.lon, m.lat],
        getSymbol: (m) => m.symbol,
        getColor: (m) => m.family.color,
        getSize: [20, 23, 26][sizeBand(env.view)],
      }),
      ...bubbles,
    ];
  },
  highlight: (d, sel) => {
    const m = d?.byId.get(Number(sel.id)) ?? (sel.object as PlaceMarker | undefined);
    return m && 'lon' in m ? [selectionRing('places', m, 16)] : [];
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
    if (layer.id === 'places:clusters') return bubbleTooltip(object, '处重点场所');
    return layer.id === 'places' ? tooltipOf(object as PlaceMarker) : null;
  },
  ...markerNavigation(16),
  selectionOf: ({ object, layer }) => (layer?.id === 'places' && object ? { layer: 'places', id: (object as PlaceMarker).id, object } : null),
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
