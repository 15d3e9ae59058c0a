'use client';
// 森林防火区: the polygon hazards of map.hazards (forest-fire zones and any other area hazard)
// as diagonal hatching over a faint tint with a clear outline, in the risk colours, so the
// roads, place names and points underneath stay readable. Zones on alert get a second,
// dashed-looking outline in the alert colour.
import { GeoJsonLayer } from '@deck.gl/layers';
import { FillStyleExtension } from '@deck.gl/extensions';
import type { Feature, FeatureCollection } from 'geojson';
import { defineLayer } from '../types';
import { useQueryData } from '../query-data';
import { rgb } from '../scale';
import { useHazardQuery, type HazardZone } from '../hazards/data';
import { ALERT_COLOR, RISK_COLOR, RISK_LEVELS, RISK_UNKNOWN, riskColor, riskLabel } from '../hazards/styles';

interface ZoneData { zones: HazardZone[]; fc: FeatureCollection; byId: Map<number, HazardZone> }

/** Hatching: 1.5-pixel lines, 7 pixels apart, at 45°, steady on screen at every zoom. */
export const ZONE_HATCH = { hatch: { type: 'hatch', angle: 45, strokeWidth: 1.5, gap: 7 } } as const;
/** Alpha of the hatch lines, of the tint behind them, of the outline. */
export const ZONE_ALPHA = { hatch: 150, tint: 26, outline: 230 } as const;

const hatch = new FillStyleExtension({ pattern: true, proceduralPattern: true });

function zoneTooltip(z: HazardZone): string {
  return `${z.name}\n${z.kindName} · 风险等级 ${riskLabel(z.riskLevel)}${z.onAlert ? '\n【预警中】' : ''}`;
}

/** A zone's label point: the middle of its outer ring's box (the detail panel's fly-to). */
function centreOf(z: HazardZone): { lon: number; lat: number } | null {
  const g = z.polygon;
  const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.type === 'MultiPolygon' ? g.coordinates.map((p) => p[0]) : [];
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of rings) for (const [x, y] of r ?? []) { w = Math.min(w, x!); e = Math.max(e, x!); s = Math.min(s, y!); n = Math.max(n, y!); }
  return Number.isFinite(w) ? { lon: (w + e) / 2, lat: (s + n) / 2 } : null;
}

export const fireZonesLayer = defineLayer<ZoneData>({
  id: 'fire-zones',
  title: '森林防火区',
  group: '风险隐患',
  renderer: 'deck',
  below: 'roads',
  useData: (env) => useQueryData(useHazardQuery(env), ({ zones }): ZoneData => ({
    zones,
    fc: { type: 'FeatureCollection', features: zones.map((z): Feature => ({ type: 'Feature', id: z.id, geometry: z.polygon, properties: z })) },
    byId: new Map(zones.map((z) => [z.id, z])),
  })),
  build: (d) => [
    new GeoJsonLayer({
      id: 'fire-zones',
      data: d.fc,
      filled: true,
      stroked: true,
      pickable: true,
      extensions: [hatch],
      fillPatternMapping: ZONE_HATCH,
      fillPatternSizeUnits: 'pixels',
      fillPatternMask: true,
      getFillPattern: () => 'hatch',
      getFillColor: (f: Feature) => [...riskColor((f.properties as HazardZone).riskLevel), ZONE_ALPHA.hatch],
      getFillPatternBackgroundColor: (f: Feature) => [...riskColor((f.properties as HazardZone).riskLevel), ZONE_ALPHA.tint],
      getLineColor: (f: Feature) => [...riskColor((f.properties as HazardZone).riskLevel), ZONE_ALPHA.outline],
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 60],
    }),
    // zones on alert: a wider outline in the alert colour, outside the zone's own
    new GeoJsonLayer({
      id: 'fire-zones:alerts',
      data: { type: 'FeatureCollection', features: d.fc.features.filter((f) => (f.properties as HazardZone).onAlert) },
      filled: false,
      stroked: true,
      getLineColor: [...ALERT_COLOR, 200],
      lineWidthUnits: 'pixels',
      getLineWidth: 4,
    }),
  ],
  highlight: (d, sel) => {
    const f = d?.fc.features.find((x) => x.id === Number(sel.id));
    return f ? [new GeoJsonLayer({ id: 'fire-zones:selected:top', data: [f], filled: false, stroked: true, getLineColor: [255, 212, 59, 255], lineWidthUnits: 'pixels', getLineWidth: 4 })] : [];
  },
  legend: (d) => {
    const zs = d?.zones ?? [];
    const count = (f: (z: HazardZone) => boolean) => (d ? String(zs.filter(f).length) : undefined);
    const items = RISK_LEVELS
      .filter((l) => !d || zs.some((z) => z.riskLevel === l))
      .map((l) => ({ label: `风险等级 ${riskLabel(l)}`, color: rgb(RISK_COLOR[l], 0.55), shape: 'fill' as const, value: count((z) => z.riskLevel === l) }));
    if (zs.some((z) => z.riskLevel === null)) items.push({ label: '风险等级未评定', color: rgb(RISK_UNKNOWN, 0.55), shape: 'fill', value: count((z) => z.riskLevel === null) });
    return {
      items: [...items, { label: '预警中', color: rgb(ALERT_COLOR), shape: 'line' as const, width: 4, value: count((z) => z.onAlert) }],
      scale: { low: '蓝:低', high: '红:极高', better: 'low' },
      note: d && zs.length === 0 ? '当前范围内没有面状隐患区' : '斜线填充为防火区范围,边线颜色表示风险等级',
    };
  },
  tooltip: ({ object, layer }) => (layer?.id === 'fire-zones' && object ? zoneTooltip((object as Feature).properties as HazardZone) : null),
  selectionOf: ({ object, layer }) => {
    const z = (object as Feature | null)?.properties as HazardZone | undefined;
    return layer?.id === 'fire-zones' && z ? { layer: 'fire-zones', id: z.id, object: z } : null;
  },
  find: (d, id) => d.byId.get(Number(id)),
  locate: (o) => {
    const c = centreOf(o as HazardZone);
    return c ? { ...c, zoom: 13 } : null;
  },
  Detail: ({ sel, data }) => {
    const z = data?.byId.get(Number(sel.id)) ?? (sel.object as HazardZone | undefined);
    if (!z) return <p className="muted">该防火区不在当前数据范围内</p>;
    return (
      <dl className="detail-list" data-testid="fire-zone-detail">
        <dt>名称</dt><dd>{z.name}</dd>
        <dt>类型</dt><dd>{z.kindName}</dd>
        <dt>风险等级</dt><dd><span className="risk-chip" style={{ background: rgb(riskColor(z.riskLevel)) }} />{riskLabel(z.riskLevel)}</dd>
        <dt>是否预警</dt><dd>{z.onAlert ? <strong className="alert-text">预警中</strong> : '否'}</dd>
      </dl>
    );
  },
});
