'use client';
// The one map view every map page is a preset of: the layer panel, filters, legend, the map
// with the registry's overlays, the detail panel of the selected object, and the page's own
// panels beside it. The state a user would bookmark (layers, window, categories, metric,
// playback, selection) is in the URL (map-params.ts), the view in the hash.
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'next/navigation';
import type { PickingInfo } from '@deck.gl/core';
import { TopBar } from '../components/top-bar';
import { ParamNotices } from '../components/param-notices';
import { errorText } from '../components/error-text';
import { readParams } from '@/lib/url-params';
import { LayerPanel } from './layer-panel';
import { BasemapSelect, useBasemapChoice } from './basemap-select';
import { Legend } from './legend';
import { FilterPanel } from './filter-panel';
import { DetailPanel } from './detail-panel';
import { useBasemap } from './use-basemap';
import { useLayers } from './use-layers';
import { DEFAULT_WINDOW_DAYS, daysBefore, MAP_PARAMS, stateSearch, visibleFromParams } from './map-params';
import { ownerOf } from '../layers/registry';
import { PRESETS, type Preset } from '../layers/presets';
import type { FlyTarget, LayerActions, LayerEnv, MapFilters, Selection, ViewBox } from '../layers/types';
import { todayInChina } from '@/lib/china-time';
import { MapTools, type ToolMode } from './tools/map-tools';
import { measureLayers } from './tools/measure';
import { FIRST_ROAD_LAYER } from './basemap-style';
import type { TopBarPage } from '../components/top-bar';

// maplibre needs the browser: the canvas is never rendered on the server.
const MapCanvas = dynamic(() => import('./map-canvas').then((m) => m.MapCanvas), { ssr: false });

export interface MapViewProps {
  preset: Preset['id'];
  /** Inputs the page hands to its layers (by layer id). */
  params?: Record<string, unknown>;
  /** Panels above the layer panel (the page's form). */
  left?: ReactNode;
  /** A right-hand column (the page's lists). */
  right?: ReactNode;
  /** Over the map: a summary or a status line. */
  overMap?: ReactNode;
  /** Fly here when it changes. */
  focus?: FlyTarget | null;
  /** An object the page selects from its own lists (shown and highlighted as if clicked). */
  selection?: Selection | null;
  /** A click the page takes before any layer (e.g. placing a candidate site). Return true when used. */
  onMapClick?: (lonLat: [number, number]) => boolean;
  /** Layers the page switches on or off itself (its mode), over the user's choice. */
  forced?: Record<string, boolean>;
  rasterUrl?: string;
  /** The page's own notices about its URL parameters. */
  notices?: string[];
  activeNav?: TopBarPage;
  className?: string;
}

/** Snaps a view outward to the tile grid of its zoom, so that small pans reuse the same queries. */
export function snapView(v: ViewBox): ViewBox {
  const z = Math.max(0, Math.floor(v.zoom));
  const n = 2 ** z;
  const x = (lon: number) => ((lon + 180) / 360) * n;
  const y = (lat: number) => ((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * n;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  const r6 = (d: number) => Math.round(d * 1e6) / 1e6;
  const [w, s, e, nn] = v.bbox;
  return { zoom: z, bbox: [r6(lon(Math.floor(x(w)))), r6(lat(Math.ceil(y(s)))), r6(lon(Math.ceil(x(e)))), r6(lat(Math.floor(y(nn))))] };
}

export function MapView({ preset, params = {}, left, right, overMap, focus: pageFocus, selection: pageSelection, onMapClick, forced, rasterUrl, notices: pageNotices = [], activeNav, className }: MapViewProps) {
  const search = useSearchParams();
  const { basemap, error: basemapError, countyName, demoLabel, endDate } = useBasemap();
  const p = PRESETS[preset];
  const dataEnd = endDate ?? todayInChina();
  const defaults = useMemo(() => ({ layers: p.layers, from: daysBefore(dataEnd, DEFAULT_WINDOW_DAYS - 1), to: dataEnd }), [p.layers, dataEnd]);

  // read once, through the parameters' schemas: a bad one is its default, with a notice
  const [initial] = useState(() => {
    const read = readParams(search, MAP_PARAMS);
    const v = read.values;
    return { layers: visibleFromParams(search, v.layers, p.layers), v, notices: read.notices };
  });
  const [userVisible, setUserVisible] = useState<ReadonlySet<string>>(() => new Set(initial.layers));
  const visible = useMemo(() => {
    if (!forced) return userVisible;
    const s = new Set(userVisible);
    for (const [id, on] of Object.entries(forced)) if (on) s.add(id); else s.delete(id);
    return s;
  }, [userVisible, forced]);
  const [filters, setFiltersState] = useState<MapFilters | null>(null);
  // the window's default needs the data's last day, known once the data set is read
  useEffect(() => {
    if (filters || !endDate) return;
    const v = initial.v;
    const from = v.from && v.to && v.from <= v.to ? v.from : defaults.from;
    const to = v.from && v.to && v.from <= v.to ? v.to : defaults.to;
    setFiltersState({ from, to, categories: v.cat, gridMetric: v.metric, play: v.play, trackDay: v.tday, trackSecond: v.tsec });
  }, [endDate, filters, initial, defaults]);
  const [sel, setSel] = useState<Selection | null>(initial.v.sel);
  const basemapChoice = useBasemapChoice(initial.v.basemap, rasterUrl);
  const [view, setView] = useState<ViewBox | null>(null);
  const [focus, setFocus] = useState<FlyTarget | null>(null);
  const [tool, setTool] = useState<ToolMode>('none');
  const [points, setPoints] = useState<[number, number][]>([]);

  useEffect(() => { if (pageFocus) setFocus(pageFocus); }, [pageFocus]);
  useEffect(() => { if (pageSelection !== undefined) setSel(pageSelection); }, [pageSelection]);

  // the URL follows the state (native history: keeps maplibre's #view hash, no re-render)
  // (debounced: playback changes the state several times a second, browsers throttle history writes)
  useEffect(() => {
    if (!filters) return;
    const t = setTimeout(() => {
      const q = stateSearch(new URLSearchParams(window.location.search), { layers: [...userVisible], filters, sel, basemap: basemapChoice.param }, defaults);
      const next = `?${q.toString()}`;
      if (next !== window.location.search) window.history.replaceState(null, '', `${next}${window.location.hash}`);
    }, 400);
    return () => clearTimeout(t);
  }, [userVisible, filters, sel, defaults, basemapChoice.param]);

  const toggle = useCallback((id: string) => {
    setUserVisible((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);
  const setFilters = useCallback((patch: Partial<MapFilters>) => setFiltersState((f) => (f ? { ...f, ...patch } : f)), []);
  const act = useMemo<LayerActions>(() => ({ select: setSel, flyTo: (t) => setFocus({ ...t }) }), []);
  const onView = useCallback((v: ViewBox) => setView(snapView(v)), []);

  const shared = useMemo<Omit<LayerEnv, 'active'> | null>(
    () => (basemap && filters ? { view, filters, params, basemap, dataEnd, theme: 'light' } : null),
    [view, filters, params, basemap, dataEnd],
  );
  const modules = useLayers(
    shared ?? PLACEHOLDER_ENV,
    shared ? visible : NOTHING,
    sel,
    act,
  );
  // area fills go under the roads, everything else under the labels (map-canvas.tsx puts layers without a place under the labels)
  const overlays = useMemo(() => [
    ...modules.flatMap((m) => (m.module.below === 'roads' ? m.layers.map((l) => l.clone({ beforeId: FIRST_ROAD_LAYER } as never)) : m.layers)),
    ...modules.flatMap((m) => m.highlight),
    ...measureLayers(tool, points),
  ], [modules, tool, points]);

  // a selection restored from a link: find its object once the layer's data is there, and fly to it
  const restored = useRef(false);
  useEffect(() => {
    if (!sel || sel.object !== undefined || restored.current) return;
    const m = modules.find((x) => x.module.id === sel.layer);
    if (!m?.module.find || m.state.data === undefined) return;
    const object = m.module.find(m.state.data, sel.id);
    restored.current = true;
    if (object === undefined) { setSel(null); return; }
    setSel({ ...sel, object });
    const to = m.module.locate?.(object);
    if (to && !window.location.hash) setFocus(to);
  }, [sel, modules]);

  const tooltip = useCallback((info: PickingInfo) => {
    if (!info.layer || !info.picked) return null;
    const m = modules.find((x) => x.module === ownerOf(info.layer!.id));
    return m?.module.tooltip?.(info, m.env) ?? null;
  }, [modules]);

  const onClick = useCallback((lonLat: [number, number], picked: PickingInfo | null) => {
    if (tool !== 'none') { setPoints((p) => [...p, lonLat]); return; }
    // the page's own click mode (placing a candidate site) comes before selecting what lies there
    if (onMapClick?.(lonLat)) return;
    if (picked?.layer) {
      const m = modules.find((x) => x.module === ownerOf(picked.layer!.id));
      if (m) {
        if (m.module.onClick?.(picked, act, m.env)) return;
        const s = m.module.selectionOf ? m.module.selectionOf(picked) : defaultSelection(m.module.id, picked);
        if (s) { setSel(s); return; }
      }
    }
    setSel(null);
  }, [modules, act, tool, onMapClick]);

  const selected = sel ? modules.find((m) => m.module.id === sel.layer) : undefined;
  const error = basemapError;
  const loading = modules.filter((m) => m.env.active && m.state.loading).map((m) => m.module.title);

  return (
    <main className={`workspace ${className ?? preset}${right ? ' with-right' : ''}`}>
      <TopBar countyName={countyName} demoLabel={demoLabel} active={activeNav ?? preset} />
      <aside className="sidebar">
        {left}
        <LayerPanel modules={modules} offered={p.offered} visible={visible} onToggle={toggle} />
        <BasemapSelect choice={basemapChoice} />
        {filters && p.filterPanel && <FilterPanel modules={modules} filters={filters} setFilters={setFilters} dataEnd={dataEnd} />}
      </aside>
      <section className="map-area">
        <ParamNotices notices={[...initial.notices, ...basemapChoice.notices, ...pageNotices]} floating />
        {error && <div className="map-message error" role="alert">底图数据加载失败:{errorText(error)}</div>}
        {!basemap && !error && <div className="map-message">正在加载底图数据…</div>}
        {basemap && loading.length > 0 && <div className="map-message loading" data-testid="map-loading">正在加载:{loading.join('、')}…</div>}
        {overMap}
        <Legend modules={modules} visible={visible} />
        {basemap && (
          <MapTools
            basemap={basemap}
            modules={modules}
            visible={visible}
            mode={tool}
            setMode={setTool}
            points={points}
            setPoints={setPoints}
            flyTo={(t) => setFocus({ ...t })}
            title={countyName}
            demoLabel={demoLabel}
            filters={filters}
          />
        )}
        {selected && sel && <DetailPanel module={selected.module} sel={sel} data={selected.state.data} env={selected.env} onClose={() => setSel(null)} />}
        {basemap && (
          <MapCanvas
            basemap={basemap}
            overlays={overlays}
            tooltip={tooltip}
            visible={visible}
            source={basemapChoice.source}
            focus={focus}
            onView={onView}
            onMapClick={onClick}
            cursor={tool !== 'none' ? 'crosshair' : undefined}
            onReady={() => document.body.setAttribute('data-map-ready', 'true')}
          />
        )}
      </section>
      {right && <aside className="sidebar right">{right}</aside>}
    </main>
  );
}

function defaultSelection(layer: string, info: PickingInfo): Selection | null {
  const o = info.object as { id?: string | number; properties?: { id?: string | number; code?: string } } | undefined;
  const id = o?.id ?? o?.properties?.id ?? o?.properties?.code;
  return id === undefined ? null : { layer, id, object: info.object };
}

const NOTHING: ReadonlySet<string> = new Set();
export const PLACEHOLDER_ENV: Omit<LayerEnv, 'active'> = {
  view: null,
  filters: { from: '2000-01-01', to: '2000-01-01', categories: [], gridMetric: 'incidents', play: null, trackDay: null, trackSecond: 0 },
  params: {},
  basemap: { county: { type: 'FeatureCollection', features: [] }, townships: { type: 'FeatureCollection', features: [] }, villages: { type: 'FeatureCollection', features: [] }, roads: { type: 'FeatureCollection', features: [] } },
  dataEnd: '2000-01-01',
  theme: 'light',
};
