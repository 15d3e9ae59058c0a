'use client';
// Distance and area measurement: clicks add vertices; turf measures on the ellipsoid-free
// sphere (good to well under 1 % at county scale); the line or polygon is drawn over the
// labels so it stays visible.
import length from '@turf/length';
import area from '@turf/area';
import { lineString, polygon } from '@turf/helpers';
import { PathLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';

export type MeasureMode = 'distance' | 'area';
const INK: [number, number, number] = [230, 73, 128];

export function measured(mode: MeasureMode, pts: [number, number][]): { text: string; value: number } | null {
  if (mode === 'distance') {
    if (pts.length < 2) return null;
    const km = length(lineString(pts), { units: 'kilometers' });
    return { value: km, text: km < 1 ? `${Math.round(km * 1000)} 米` : `${km.toFixed(km < 10 ? 2 : 1)} 千米` };
  }
  if (pts.length < 3) return null;
  const m2 = area(polygon([[...pts, pts[0]!]]));
  return { value: m2, text: m2 < 1e6 ? `${Math.round(m2).toLocaleString('zh-CN')} 平方米` : `${(m2 / 1e6).toFixed(2)} 平方千米(${(m2 / 666.667).toFixed(0)} 亩)` };
}

export function measureLayers(mode: MeasureMode | 'none', pts: [number, number][]): Layer[] {
  if (mode === 'none' || pts.length === 0) return [];
  const layers: Layer[] = [];
  if (mode === 'area' && pts.length >= 3) {
    layers.push(new PolygonLayer({ id: 'measure-area:top', data: [{ polygon: pts }], getPolygon: (d: { polygon: [number, number][] }) => d.polygon, getFillColor: [...INK, 50], getLineColor: [...INK, 255], lineWidthUnits: 'pixels', getLineWidth: 2, stroked: true }));
  } else if (pts.length >= 2) {
    layers.push(new PathLayer({ id: 'measure-line:top', data: [{ path: pts }], getPath: (d: { path: [number, number][] }) => d.path, getColor: [...INK, 255], widthUnits: 'pixels', getWidth: 3 }));
  }
  layers.push(new ScatterplotLayer({ id: 'measure-points:top', data: pts, getPosition: (d: [number, number]) => d, radiusUnits: 'pixels', getRadius: 4, getFillColor: [255, 255, 255], getLineColor: [...INK, 255], stroked: true, lineWidthUnits: 'pixels', getLineWidth: 2 }));
  return layers;
}

export function MeasurePanel({ mode, points, setPoints, onDone }: { mode: MeasureMode; points: [number, number][]; setPoints: (p: [number, number][]) => void; onDone: () => void }) {
  const r = measured(mode, points);
  return (
    <div className="panel measure-panel" data-testid="measure-panel">
      <strong>{mode === 'distance' ? '测距' : '测面积'}</strong>
      <span data-testid="measure-result">{r ? r.text : mode === 'distance' ? '在地图上点击起点和后续各点' : '在地图上点击至少三个顶点'}</span>
      <button type="button" className="small" disabled={points.length === 0} onClick={() => setPoints(points.slice(0, -1))}>撤销</button>
      <button type="button" className="small" disabled={points.length === 0} onClick={() => setPoints([])}>清除</button>
      <button type="button" className="small" onClick={onDone}>结束</button>
    </div>
  );
}
