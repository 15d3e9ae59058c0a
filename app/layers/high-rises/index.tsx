'use client';
// 高层建筑: high-rise buildings (≥ 24 m) coloured by the state of their fire facilities. In the
// county view a small building symbol each (clustered up to zoom 13); from zoom 15 the
// footprints; from 16 the footprints raised to the building's height. The map looks straight
// down unless the user tilts it: seen from above a raised block shows its roof, outlined by
// the wireframe so neighbouring blocks stay apart, and tilting shows the walls.
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Feature, FeatureCollection } from 'geojson';
import { bubbleTooltip, clusteredPoints, clusterZoom, markerNavigation, markerSet, type MarkerSet } from '../cluster';
import { defineLayer } from '../types';
import { useQueryData } from '../query-data';
import { rgb } from '../scale';
import { selectionRing, symbolLayers, symbolLegendItem } from '../symbols';
import { useHazardQuery, type HighRise } from '../hazards/data';
import { FACILITY_COLOR, FACILITY_LABEL, FACILITY_STATUSES, facilityColor, facilityLabel, HIGH_RISE_CLUSTER, highRiseForm } from '../hazards/styles';

export const HIGH_RISE_CLUSTER_MAX_ZOOM = 13;

interface HighRiseData extends MarkerSet<HighRise> {
  fc: FeatureCollection;
  /** Buildings without a footprint keep their symbol at street zoom. */
  noFootprint: HighRise[];
}

/** The zoom band the layers are built for: whole zooms up to 14 (clusters), then 15 and 16+. */
function band(zoom: number | undefined): number {
  return Math.min(16, Math.floor(zoom ?? 9));
}

/** High-rises as building symbols in the colour of their fire facilities. */
function buildingSymbols(id: string, data: HighRise[], size: number): Layer[] {
  return symbolLayers<HighRise>({
    id,
    data,
    getPosition: (h) => [h.lon, h.lat],
    getSymbol: 'building',
    getColor: (h) => facilityColor(h.fireFacilityStatus),
    getSize: size,
  });
}

function tooltipOf(h: HighRise): string {
  return `${h.name}\n${h.floors} 层 · ${h.heightM.toFixed(1)} 米\n消防设施:${facilityLabel(h.fireFacilityStatus)}`;
}

export const highRisesLayer = defineLayer<HighRiseData>({
  id: 'high-rises',
  title: '高层建筑',
  group: '风险隐患',
  renderer: 'deck',
  useData: (env) => useQueryData(useHazardQuery(env), ({ highRises: rows }) => ({
    ...markerSet(rows, { maxZoom: HIGH_RISE_CLUSTER_MAX_ZOOM, radiusPx: 40 }),
    fc: { type: 'FeatureCollection', features: rows.filter((h) => h.footprint).map((h): Feature => ({ type: 'Feature', id: h.id, geometry: h.footprint!, properties: h })) },
    noFootprint: rows.filter((h) => !h.footprint),
  })),
  deps: (env) => [band(env.view?.zoom)],
  build: (d, env) => {
    const z = band(env.view?.zoom);
    const form = highRiseForm(z);
    if (form === 'symbol') {
      const { singles, bubbles } = clusteredPoints(d.index, clusterZoom(env.view, HIGH_RISE_CLUSTER_MAX_ZOOM), {
        id: 'high-rises',
        color: HIGH_RISE_CLUSTER,
        labelOf: (h) => facilityLabel(h.fireFacilityStatus),
      });
      return [...buildingSymbols('high-rises', singles, z < 13 ? 20 : 24), ...bubbles];
    }
    const layers: Layer[] = [];
    const extruded = form === 'extruded';
    layers.push(new GeoJsonLayer({
      id: 'high-rises',
      data: d.fc,
      pickable: true,
      filled: true,
      stroked: !extruded,
      extruded,
      wireframe: extruded,
      getElevation: (f: Feature) => (f.properties as HighRise).heightM,
      getFillColor: (f: Feature) => [...facilityColor((f.properties as HighRise).fireFacilityStatus), extruded ? 235 : 170],
      getLineColor: (f: Feature) => (extruded ? [255, 255, 255, 200] : [...facilityColor((f.properties as HighRise).fireFacilityStatus), 255]),
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      // roofs seen from straight above: mostly ambient light, so their colour stays close to the legend's
      material: { ambient: 0.75, diffuse: 0.45, shininess: 8, specularColor: [30, 30, 30] },
      autoHighlight: true,
      highlightColor: [255, 255, 255, 80],
    }));
    if (d.noFootprint.length) layers.push(...buildingSymbols('high-rises:no-footprint', d.noFootprint, 26));
    return layers;
  },
  highlight: (d, sel, env) => {
    const h = d?.byId.get(Number(sel.id)) ?? (sel.object as HighRise | undefined);
    if (!h || !('lon' in h)) return [];
    const form = highRiseForm(band(env.view?.zoom));
    if (form !== 'symbol' && h.footprint) {
      return [new GeoJsonLayer({
        id: 'high-rises:selected:top', data: [{ type: 'Feature', geometry: h.footprint, properties: {} }] as Feature[], filled: false, stroked: true,
        getLineColor: [255, 212, 59, 255], lineWidthUnits: 'pixels', getLineWidth: 3,
        // over the raised block too
        parameters: { depthCompare: 'always' },
      })];
    }
    return [selectionRing('high-rises', h, 15)];
  },
  legend: (d, env) => {
    const form = highRiseForm(band(env.view?.zoom));
    const rows = d?.markers ?? [];
    return {
      items: FACILITY_STATUSES.map((s) => form === 'symbol'
        ? symbolLegendItem('building', FACILITY_COLOR[s], FACILITY_LABEL[s], d ? String(rows.filter((h) => h.fireFacilityStatus === s).length) : undefined)
        : { label: FACILITY_LABEL[s], color: rgb(FACILITY_COLOR[s]), shape: 'fill' as const, value: d ? String(rows.filter((h) => h.fireFacilityStatus === s).length) : undefined }),
      note: form === 'symbol' ? '放大到 15 级显示建筑轮廓,16 级起按高度立体显示(按住右键拖动可倾斜查看)' : form === 'footprint' ? '建筑轮廓;放大到 16 级起按高度立体显示' : '按建筑高度立体显示(按住右键拖动可倾斜查看)',
    };
  },
  tooltip: ({ object, layer }) => {
    if (!object || !layer) return null;
    if (layer.id === 'high-rises:clusters') return bubbleTooltip(object, '栋高层建筑', '消防设施:');
    const h = layer.id === 'high-rises' && (object as Feature).type === 'Feature' ? ((object as Feature).properties as HighRise) : (object as HighRise);
    return h && 'heightM' in h ? tooltipOf(h) : null;
  },
  ...markerNavigation(16),
  selectionOf: ({ object, layer }) => {
    if (!object || !layer || layer.id.endsWith(':clusters')) return null;
    const h = (object as Feature).type === 'Feature' ? ((object as Feature).properties as HighRise) : (object as HighRise);
    return h && 'heightM' in h ? { layer: 'high-rises', id: h.id, object: h } : null;
  },
  Detail: ({ sel, data }) => {
    const h = data?.byId.get(Number(sel.id)) ?? (sel.object as HighRise | undefined);
    if (!h) return <p className="muted">该建筑不在当前数据范围内</p>;
    return (
      <dl className="detail-list" data-testid="high-rise-detail">
        <dt>名称</dt><dd>{h.name}</dd>
        <dt>高度</dt><dd>{h.heightM.toFixed(1)} 米</dd>
        <dt>层数</dt><dd>{h.floors} 层</dd>
        <dt>消防设施状况</dt><dd><span className="risk-chip" style={{ background: rgb(facilityColor(h.fireFacilityStatus)) }} />{facilityLabel(h.fireFacilityStatus)}</dd>
      </dl>
    );
  },
});
