// What a layer module is. One folder per overlay (app/layers/<kind>/index.ts[x]) exports one
// LayerModule; app/layers/registry.ts lists them in drawing order. The map view
// (app/map/map-view.tsx) calls each module's data hook, memoises its deck.gl layers on the
// data and the module's own dependencies (never on the selection, which only rebuilds the
// highlight), and reads its legend, tooltip and detail panel. Nothing here imports the page.
import type { ComponentType } from 'react';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { BasemapData } from '../map/basemap-style';

export type Rgb = [number, number, number];
export type Rgba = [number, number, number, number];

export type LayerGroup = '行政区划' | '网格化管理' | '道路交通' | '注记' | '案事件' | '风险隐患' | '视频监控' | '巡防力量' | '研判分析';
export const GROUP_ORDER: readonly LayerGroup[] = ['行政区划', '网格化管理', '案事件', '风险隐患', '视频监控', '巡防力量', '研判分析', '道路交通', '注记'];

export interface LegendItem {
  label: string;
  color: string;
  /** How the swatch is drawn. */
  shape: 'fill' | 'line' | 'dashed' | 'point' | 'square' | 'triangle' | 'diamond' | 'ring';
  width?: number;
  /** A count or value shown after the label (e.g. how many cells of this class). */
  value?: string;
}

export interface Legend {
  items: LegendItem[];
  /** For a colour ramp: which end is good, so a reader knows how to read it. */
  scale?: { low: string; high: string; better: 'low' | 'high' | 'neither' };
  /** A sentence under the swatches (loading, capped, zoom hint, counts). */
  note?: string;
}

/** The view the map shows, snapped (see snapView) so that small pans reuse cached queries. */
export interface ViewBox {
  bbox: [number, number, number, number];
  zoom: number;
}

export type GridMetric = 'incidents' | 'rate' | 'openEvents' | 'population';

/** Shared filters that data layers read: the time window, categories and playback. */
export interface MapFilters {
  /** China calendar days, inclusive. */
  from: string;
  to: string;
  /** Incident category codes; empty = all. */
  categories: string[];
  gridMetric: GridMetric;
  /** Heat playback: one day of the window (index from `from`) or one hour of the day; null = the whole window. */
  play: { mode: 'day' | 'hour'; index: number } | null;
  /** Patrol playback: the day shown (China day) and the second of that day. */
  trackDay: string | null;
  trackSecond: number;
}

export interface Selection {
  layer: string;
  id: string | number;
  /** The picked object; absent when the selection was restored from a link until data arrives. */
  object?: unknown;
}

export type FlyTarget = { lon: number; lat: number; zoom?: number } | { bbox: [number, number, number, number] };

export interface LayerActions {
  select(sel: Selection | null): void;
  flyTo(target: FlyTarget): void;
}

/** Everything a module's hooks and builders may read. */
export interface LayerEnv {
  view: ViewBox | null;
  filters: MapFilters;
  /** Inputs a page hands to a layer (the planner's analysis parameters), by layer id. */
  params: Record<string, unknown>;
  /** Whether this layer is switched on. A data hook must not fetch when it is off. */
  active: boolean;
  basemap: BasemapData;
  /** The last day of the data set (the demo ends on a fixed day), as a China day. */
  dataEnd: string;
  theme: 'light' | 'dark';
}

export interface DataState<D> {
  data: D | undefined;
  loading: boolean;
  error: unknown;
}

export interface LayerModule<D = unknown> {
  /** Stable id: the URL, tests and presets use it. deck.gl layers of the module are named `${id}` or `${id}:<part>`. */
  id: string;
  title: string;
  group: LayerGroup;
  /** maplibre draws the base map (its style layers are owned through STYLE_LAYER_OWNER); deck.gl draws overlays. */
  renderer: 'maplibre' | 'deck';
  /** Where its deck.gl layers go in the map's stack: area fills (choropleths, heat, analysis cells) under the
   * roads, marks and lines under the labels only (the default). Either way every label stays on top. */
  below?: 'roads' | 'labels';
  legend(data: D | undefined, env: LayerEnv): Legend;
  /** The data, sized to the view and zoom; react-query caches it. Called on every render for every module (hooks rule), so it must pass `enabled: env.active`. */
  useData?(env: LayerEnv): DataState<D>;
  /** The values besides the data that the layers depend on (zoom band, metric, playback frame). Default: nothing. */
  deps?(env: LayerEnv): unknown[];
  build?(data: D, env: LayerEnv, act: LayerActions): Layer[];
  /** The selected object drawn on top; rebuilt on selection only. */
  highlight?(data: D | undefined, sel: Selection, env: LayerEnv): Layer[];
  tooltip?(info: PickingInfo, env: LayerEnv): string | null;
  /** A click the module handles itself (a cluster that expands); return true to stop selection. */
  onClick?(info: PickingInfo, act: LayerActions, env: LayerEnv): boolean;
  /** The picked object → the selection (its id for the URL). Default: `object.id`. */
  selectionOf?(info: PickingInfo): Selection | null;
  /** Finds the object of a selection restored from a link, once the data is there. */
  find?(data: D, id: string | number): unknown;
  /** Where the selection is, to fly to when a link restores it. */
  locate?(object: unknown): FlyTarget | null;
  Detail?: ComponentType<{ sel: Selection; data: D | undefined; env: LayerEnv }>;
  /** Controls the layer adds to the filter panel while it is on (metric chooser, playback). */
  Controls?: ComponentType<{ env: LayerEnv; data: D | undefined; setFilters: (patch: Partial<MapFilters>) => void }>;
}

/** A helper for modules: declare a module with its data type checked. */
export function defineLayer<D>(m: LayerModule<D>): LayerModule<D> {
  return m;
}
