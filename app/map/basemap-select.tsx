'use client';
// The basemap chooser. The server page reads the configured basemaps (lib/basemaps.ts,
// basemapConfig(readEnv())) and hands them down through <BasemapProvider>; the map view asks
// useBasemapChoice for the one to draw (the link's ?basemap=<id>, else the configured default)
// and renders <BasemapSelect> beside the layer panel. With only the offline basemap there is
// nothing to choose and the chooser is not shown.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { paramNotice } from '@/lib/url-params';
import { LEGACY_RASTER_ID, OFFLINE_ID, OFFLINE_SOURCE, type BasemapConfig, type BasemapSource } from '@/lib/basemaps';

const BasemapContext = createContext<BasemapConfig | null>(null);

export function BasemapProvider({ config, children }: { config: BasemapConfig; children: ReactNode }) {
  return <BasemapContext.Provider value={config}>{children}</BasemapContext.Provider>;
}

export interface BasemapChoice {
  config: BasemapConfig;
  source: BasemapSource;
  choose: (id: string) => void;
  /** The id for the link: null when it is the default (left out of the URL). */
  param: string | null;
  /** A notice when the link named a basemap that is not configured. */
  notices: string[];
}

/** Without a provider: the offline basemap, and `rasterUrl` (the old BASEMAP_URL prop) as a WGS-84 raster. */
function fallbackConfig(rasterUrl?: string): BasemapConfig {
  if (!rasterUrl) return { sources: [OFFLINE_SOURCE], defaultId: OFFLINE_ID };
  return { sources: [OFFLINE_SOURCE, { ...OFFLINE_SOURCE, id: LEGACY_RASTER_ID, name: '栅格底图', kind: 'xyz', tiles: [rasterUrl] }], defaultId: LEGACY_RASTER_ID };
}

/** The basemap to draw: `fromLink` (the page's ?basemap=, read once) if it is configured, else the default. */
export function useBasemapChoice(fromLink: string | null, rasterUrl?: string): BasemapChoice {
  const provided = useContext(BasemapContext);
  const config = useMemo(() => provided ?? fallbackConfig(rasterUrl), [provided, rasterUrl]);
  const [initial] = useState(() => {
    const known = fromLink !== null && config.sources.some((s) => s.id === fromLink);
    const fallback = config.sources.find((s) => s.id === config.defaultId) ?? config.sources[0]!;
    return {
      id: known ? fromLink : config.defaultId,
      notices: fromLink !== null && !known ? [paramNotice('basemap', fromLink, fallback.name, `可选:${config.sources.map((s) => `${s.id}(${s.name})`).join('、')}`)] : [],
    };
  });
  const [id, choose] = useState(initial.id);
  const source = config.sources.find((s) => s.id === id) ?? config.sources.find((s) => s.id === config.defaultId) ?? config.sources[0]!;
  return { config, source, choose, param: source.id === config.defaultId ? null : source.id, notices: initial.notices };
}

export function BasemapSelect({ choice }: { choice: BasemapChoice }) {
  const { config, source, choose } = choice;
  if (config.sources.length < 2) return null;
  return (
    <section className="panel basemap-panel" aria-label="底图">
      <label className="metric-select">
        底图
        <select value={source.id} onChange={(e) => choose(e.target.value)} data-testid="basemap-select">
          {config.sources.map((s) => (
            <option key={s.id} value={s.id}>{s.name}</option>
          ))}
        </select>
      </label>
      {source.crs === 'gcj02' && <p className="muted" data-testid="basemap-gcj">此底图为 GCJ-02 坐标,图上数据已随之偏移显示;点击、量算和查询仍按 WGS-84。</p>}
    </section>
  );
}
