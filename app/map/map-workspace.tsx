'use client';
// The map workspace page: header with the data-set label, layer panel, legend and map.
// Visible layers live in the URL (?layers=…), the view in the hash (#zoom/lat/lon).
import dynamic from 'next/dynamic';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection } from 'geojson';
import { useTRPC } from '../trpc';
import { LayerPanel } from './layer-panel';
import { TopBar } from '../components/top-bar';
import { Legend } from './legend';
import type { LayerId } from './layer-registry';
import { MAP_PARAMS, visibleFromParams } from './map-params';
import { readParams } from '@/lib/url-params';
import { errorText } from '../components/error-text';
import { ParamNotices } from '../components/param-notices';
import { useBasemap } from './use-basemap';
import { gridLayer, gridTooltip } from './grid-layer';

// maplibre needs the browser: the canvas is never rendered on the server.
const MapCanvas = dynamic(() => import('./map-canvas').then((m) => m.MapCanvas), { ssr: false });

export function MapWorkspace({ rasterUrl }: { rasterUrl?: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const { basemap, error: basemapError, countyName, demoLabel } = useBasemap();
  const grids = useQuery(trpc.basemap.grids.queryOptions());

  // read once, through the parameter's schema: a bad list shows the default layers, with a notice
  const [{ initial, notices }] = useState(() => {
    const read = readParams(params, MAP_PARAMS);
    return { initial: visibleFromParams(params, read.values.layers), notices: read.notices };
  });
  const [visible, setVisible] = useState<ReadonlySet<LayerId>>(() => new Set(initial));

  const toggle = useCallback((id: LayerId) => {
    setVisible((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      // Native history keeps the map's #view hash and does not re-render the route.
      const search = new URLSearchParams(window.location.search);
      search.set('layers', [...next].join(','));
      window.history.replaceState(null, '', `?${search.toString()}${window.location.hash}`);
      return next;
    });
  }, []);

  const overlays = useMemo(() => [gridLayer(grids.data as FeatureCollection | undefined, visible.has('grids'))], [grids.data, visible]);
  const error = basemapError ?? grids.error;

  return (
    <main className="workspace">
      <TopBar countyName={countyName} demoLabel={demoLabel} active="map" />
      <aside className="sidebar">
        <LayerPanel visible={visible} onToggle={toggle} />
        <Legend visible={visible} />
      </aside>
      <section className="map-area">
        <ParamNotices notices={notices} floating />
        {error && (
          <div className="map-message error" role="alert">
            底图数据加载失败:{errorText(error)}
          </div>
        )}
        {!basemap && !error && <div className="map-message">正在加载底图数据…</div>}
        {basemap && (
          <MapCanvas
            basemap={basemap}
            overlays={overlays}
            tooltip={gridTooltip}
            visible={visible}
            rasterUrl={rasterUrl}
            onReady={() => document.body.setAttribute('data-map-ready', 'true')}
          />
        )}
      </section>
    </main>
  );
}
