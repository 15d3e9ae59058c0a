// The one list of map layers. The layer panel, the legend, the base map style, the deck
// overlays, the wall's theme rotation and the tests all read this list, so a layer is
// added here once and appears everywhere.

export type LayerId = 'county' | 'townships' | 'villages' | 'grids' | 'roads' | 'labels';

export interface LegendItem {
  label: string;
  color: string;
  /** How the swatch is drawn. */
  shape: 'fill' | 'line' | 'dashed' | 'point';
  width?: number;
}

export interface LayerDef {
  id: LayerId;
  title: string;
  group: '行政区划' | '网格化管理' | '道路交通' | '注记';
  /** maplibre draws base-map layers; deck.gl draws data overlays. */
  renderer: 'maplibre' | 'deck';
  defaultVisible: boolean;
  legend: LegendItem[];
}

export const ROAD_STYLE: Record<string, { label: string; color: string; width: number; minZoom: number }> = {
  national: { label: '国道', color: '#d9480f', width: 3.2, minZoom: 0 },
  provincial: { label: '省道', color: '#f08c00', width: 2.6, minZoom: 0 },
  county: { label: '县道', color: '#e0a800', width: 2, minZoom: 0 },
  urban: { label: '城市道路', color: '#868e96', width: 1.6, minZoom: 0 },
  township: { label: '乡道', color: '#a07e5a', width: 1.2, minZoom: 0 },
  village: { label: '村道', color: '#b9ad9b', width: 0.8, minZoom: 9.5 },
};

export const GRID_COLOR: [number, number, number] = [12, 133, 153];

export const LAYERS: readonly LayerDef[] = [
  {
    id: 'county',
    title: '县界',
    group: '行政区划',
    renderer: 'maplibre',
    defaultVisible: true,
    legend: [{ label: '县界', color: '#5f3dc4', shape: 'line', width: 3 }],
  },
  {
    id: 'townships',
    title: '乡镇(街道)',
    group: '行政区划',
    renderer: 'maplibre',
    defaultVisible: true,
    legend: [
      { label: '乡镇界', color: '#7048e8', shape: 'dashed', width: 2 },
      { label: '乡镇辖区', color: '#e5dbff', shape: 'fill' },
    ],
  },
  {
    id: 'villages',
    title: '村(社区)',
    group: '行政区划',
    renderer: 'maplibre',
    defaultVisible: false,
    legend: [{ label: '村(社区)界', color: '#9c8fb5', shape: 'dashed', width: 1 }],
  },
  {
    id: 'grids',
    title: '网格',
    group: '网格化管理',
    renderer: 'deck',
    defaultVisible: true,
    legend: [{ label: '网格', color: `rgb(${GRID_COLOR.join(',')})`, shape: 'line', width: 1.2 }],
  },
  {
    id: 'roads',
    title: '道路',
    group: '道路交通',
    renderer: 'maplibre',
    defaultVisible: true,
    legend: Object.values(ROAD_STYLE).map((s) => ({ label: s.label, color: s.color, shape: 'line' as const, width: Math.max(1.5, s.width) })),
  },
  {
    id: 'labels',
    title: '地名注记',
    group: '注记',
    renderer: 'maplibre',
    defaultVisible: true,
    legend: [],
  },
];

export const LAYER_IDS = LAYERS.map((l) => l.id);

export function isLayerId(v: string): v is LayerId {
  return (LAYER_IDS as string[]).includes(v);
}

export function defaultVisibleLayers(): LayerId[] {
  return LAYERS.filter((l) => l.defaultVisible).map((l) => l.id);
}
