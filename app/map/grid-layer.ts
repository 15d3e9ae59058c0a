// The management-grid overlay (deck.gl) and its tooltip.
import { GeoJsonLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, FeatureCollection } from 'geojson';
import { GRID_COLOR } from './layer-registry';

export function gridLayer(data: FeatureCollection | undefined, visible: boolean) {
  return new GeoJsonLayer({
    id: 'grids',
    data: data ?? { type: 'FeatureCollection', features: [] },
    visible,
    filled: true,
    stroked: true,
    pickable: true,
    getFillColor: [...GRID_COLOR, 12],
    getLineColor: [...GRID_COLOR, 120],
    lineWidthUnits: 'pixels',
    getLineWidth: 1,
    autoHighlight: true,
    highlightColor: [...GRID_COLOR, 80],
  });
}

export function gridTooltip({ object, layer }: PickingInfo): string | null {
  const f = object as Feature | null;
  if (layer?.id !== 'grids' || !f?.properties) return null;
  const p = f.properties;
  return `${p.name}\n网格员:${p.workerName ?? '未配备'}\n户数:${p.households ?? '—'} 人口:${p.population ?? '—'}`;
}
