'use client';
// 风险隐患点: the point hazards of map.hazards — geological hazard points as warning triangles,
// fire key units as a flame in a square, other kinds as diamonds — coloured by risk level in
// the Chinese warning colours (红 极高, 橙 高, 黄 中, 蓝 低), with a ring around those on
// alert. Below zoom 13 they are clustered (a click on a bubble zooms to where it breaks up);
// the detail panel shows the threatened households and the monitoring contact.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { bubbleTooltip, clusteredPoints, clusterZoom, markerNavigation, markerSet, type MarkerSet } from '../cluster';
import { defineLayer, type LegendItem } from '../types';
import { useQueryData } from '../query-data';
import { rgb } from '../scale';
import { selectionRing, symbolLayers, symbolLegendItem, type SymbolName } from '../symbols';
import { useHazardQuery, type HazardPoint } from './data';
import { hazardKindOf, plural, sizeBand } from './helpers';
import { ALERT_COLOR, HAZARD_CLUSTER, HAZARD_KINDS, hazardSymbol, NEUTRAL, RISK_COLOR, RISK_LABEL, RISK_LEVELS, RISK_UNKNOWN, riskColor, riskLabel } from './styles';

/** Clusters form up to this zoom; from the next one every hazard stands alone. */
export const HAZARD_CLUSTER_MAX_ZOOM = 12;

export interface HazardMarker extends HazardPoint { symbol: SymbolName }

type HazardData = MarkerSet<HazardMarker>;

/** Draw order: low risk first, so the most dangerous symbol is on top where they overlap. */
function drawRank(m: HazardPoint): number {
  return m.riskLevel === null ? 5 : m.riskLevel;
}

/** Pixels per size band (the cell; the shape is about 70 % of it), bigger for the higher risks. */
const SIZES = [22, 26, 30] as const;
function markerSize(m: HazardMarker, band: 0 | 1 | 2): number {
  const base = SIZES[band];
  return m.riskLevel === 1 ? base + 4 : m.riskLevel === 2 ? base + 2 : base;
}

function hazardTooltip(m: HazardMarker): string {
  const threat = m.threatenedHouseholds || m.threatenedPeople ? `\n受威胁:${plural(m.threatenedHouseholds, '户')} / ${plural(m.threatenedPeople, '人')}` : '';
  return `${m.name}\n${m.kindName} · 风险等级 ${riskLabel(m.riskLevel)}${threat}${m.onAlert ? '\n【预警中】' : ''}`;
}

export const hazardsLayer = defineLayer<HazardData>({
  id: 'hazards',
  title: '风险隐患点',
  group: '风险隐患',
  renderer: 'deck',
  useData: (env) => useQueryData(useHazardQuery(env), (answer) => markerSet(
    answer.points
      .map((p): HazardMarker => ({ ...p, symbol: hazardSymbol(p.kind, hazardKindOf(p.kind)) }))
      .sort((a, b) => drawRank(b) - drawRank(a) || a.id - b.id),
    { maxZoom: HAZARD_CLUSTER_MAX_ZOOM, radiusPx: 48 },
  )),
  deps: (env) => [clusterZoom(env.view, HAZARD_CLUSTER_MAX_ZOOM), sizeBand(env.view)],
  build: (d, env) => {
    const band = sizeBand(env.view);
    const { singles, bubbles } = clusteredPoints(d.index, clusterZoom(env.view, HAZARD_CLUSTER_MAX_ZOOM), {
      id: 'hazards',
      color: HAZARD_CLUSTER,
      labelOf: (m) => (m.riskLevel ? RISK_LABEL[m.riskLevel] : '未评定'),
    });
    // clustersOf answers in index order per tile; keep the risk order for drawing
    const alone = singles.sort((a, b) => drawRank(b) - drawRank(a) || a.id - b.id);
    const alerts = alone.filter((m) => m.onAlert);
    const layers: Layer[] = [];
    if (alerts.length) {
      layers.push(new ScatterplotLayer<HazardMarker>({
        id: 'hazards:alerts',
        data: alerts,
        getPosition: (m) => [m.lon, m.lat],
        radiusUnits: 'pixels',
        getRadius: (m) => markerSize(m, band) * 0.4 + 5,
        filled: true,
        getFillColor: [...ALERT_COLOR, 40],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 2.5,
        getLineColor: [...ALERT_COLOR, 255],
      }));
    }
    layers.push(...symbolLayers<HazardMarker>({
      id: 'hazards',
      data: alone,
      getPosition: (m) => [m.lon, m.lat],
      getSymbol: (m) => m.symbol,
      getColor: (m) => riskColor(m.riskLevel),
      getSize: (m) => markerSize(m, band),
    }));
    layers.push(...bubbles);
    return layers;
  },
  highlight: (d, sel) => {
    const m = (sel.object as HazardMarker | undefined) ?? d?.byId.get(Number(sel.id));
    return m && 'lon' in m ? [selectionRing('hazards', m, 19)] : [];
  },
  legend: (d, env) => {
    const zoom = clusterZoom(env.view, HAZARD_CLUSTER_MAX_ZOOM);
    const ms = d?.markers ?? [];
    const count = (f: (m: HazardMarker) => boolean) => (d ? String(ms.filter(f).length) : undefined);
    const kinds: LegendItem[] = HAZARD_KINDS
      .filter((k) => !d || ms.some((m) => m.symbol === k.symbol))
      .map((k) => symbolLegendItem(k.symbol, NEUTRAL, k.label, count((m) => m.symbol === k.symbol)));
    const levels: LegendItem[] = RISK_LEVELS.map((l) => ({ label: `风险等级 ${riskLabel(l)}`, color: rgb(RISK_COLOR[l]), shape: 'fill' as const, value: count((m) => m.riskLevel === l) }));
    if (ms.some((m) => m.riskLevel === null)) levels.push({ label: '风险等级未评定', color: rgb(RISK_UNKNOWN), shape: 'fill', value: count((m) => m.riskLevel === null) });
    return {
      items: [...kinds, ...levels, { label: '预警中', color: rgb(ALERT_COLOR), shape: 'ring', value: count((m) => m.onAlert) }],
      scale: { low: '蓝:低', high: '红:极高', better: 'low' },
      note: zoom <= HAZARD_CLUSTER_MAX_ZOOM ? `符号形状表示类型,颜色表示风险等级;${HAZARD_CLUSTER_MAX_ZOOM + 1} 级以下聚合显示(圆内数字为隐患点数,点击展开)` : '符号形状表示类型,颜色表示风险等级',
    };
  },
  tooltip: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'hazards:clusters') return bubbleTooltip(object, '处风险隐患点', '风险等级:');
    return layer.id === 'hazards' ? hazardTooltip(object as HazardMarker) : null;
  },
  ...markerNavigation(15),
  selectionOf: ({ object, layer }) => (layer?.id === 'hazards' && object ? { layer: 'hazards', id: (object as HazardMarker).id, object } : null),
  Detail: ({ sel, data }) => {
    const m = data?.byId.get(Number(sel.id)) ?? (sel.object as HazardMarker | undefined);
    if (!m) return <p className="muted">该隐患点不在当前数据范围内</p>;
    return (
      <dl className="detail-list" data-testid="hazard-detail">
        <dt>名称</dt><dd>{m.name}</dd>
        <dt>类型</dt><dd>{m.kindName}</dd>
        <dt>风险等级</dt><dd><span className="risk-chip" style={{ background: rgb(riskColor(m.riskLevel)) }} />{riskLabel(m.riskLevel)}</dd>
        <dt>受威胁户数</dt><dd>{plural(m.threatenedHouseholds, '户')}</dd>
        <dt>受威胁人数</dt><dd>{plural(m.threatenedPeople, '人')}</dd>
        <dt>监测责任人</dt><dd>{m.monitorName ?? '未落实'}</dd>
        <dt>联系电话</dt><dd>{m.monitorPhone ?? '—'}</dd>
        <dt>所属乡镇</dt><dd>{m.townshipName ?? '—'}</dd>
        <dt>是否预警</dt><dd>{m.onAlert ? <strong className="alert-text">预警中</strong> : '否'}</dd>
      </dl>
    );
  },
});
