// The base map's layers: drawn by maplibre from the county's own data (basemap-style.ts
// owns their style layers), switched on and off like any overlay.
import { defineLayer, type LayerModule } from '../types';

export const ROAD_STYLE: Record<string, { label: string; color: string; width: number; minZoom: number }> = {
  national: { label: '国道', color: '#d9480f', width: 3.2, minZoom: 0 },
  provincial: { label: '省道', color: '#f08c00', width: 2.6, minZoom: 0 },
  county: { label: '县道', color: '#e0a800', width: 2, minZoom: 0 },
  urban: { label: '城市道路', color: '#868e96', width: 1.6, minZoom: 0 },
  township: { label: '乡道', color: '#a07e5a', width: 1.2, minZoom: 0 },
  village: { label: '村道', color: '#b9ad9b', width: 0.8, minZoom: 9.5 },
};

export const countyLayer = defineLayer({
  id: 'county', title: '县界', group: '行政区划', renderer: 'maplibre',
  legend: () => ({ items: [{ label: '县界', color: '#5f3dc4', shape: 'line', width: 3 }] }),
});

export const townshipsLayer = defineLayer({
  id: 'townships', title: '乡镇(街道)', group: '行政区划', renderer: 'maplibre',
  legend: () => ({ items: [{ label: '乡镇界', color: '#7048e8', shape: 'dashed', width: 2 }, { label: '乡镇辖区', color: '#e5dbff', shape: 'fill' }] }),
});

export const villagesLayer = defineLayer({
  id: 'villages', title: '村(社区)', group: '行政区划', renderer: 'maplibre',
  legend: () => ({ items: [{ label: '村(社区)界', color: '#9c8fb5', shape: 'dashed', width: 1 }] }),
});

export const roadsLayer = defineLayer({
  id: 'roads', title: '道路', group: '道路交通', renderer: 'maplibre',
  legend: () => ({ items: Object.values(ROAD_STYLE).map((s) => ({ label: s.label, color: s.color, shape: 'line' as const, width: Math.max(1.5, s.width) })) }),
});

export const labelsLayer = defineLayer({
  id: 'labels', title: '地名注记', group: '注记', renderer: 'maplibre',
  legend: () => ({ items: [] }),
});

export const BASE_LAYERS: LayerModule[] = [countyLayer, townshipsLayer, villagesLayer, roadsLayer, labelsLayer] as LayerModule[];
