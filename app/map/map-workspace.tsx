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
import { defaultVisibleLayers, isLayerId, type LayerId } from './layer-registry';
import type { BasemapData } from './basemap-style';

// maplibre needs the browser: the canvas is never rendered on the server.
const MapCanvas = dynamic(() => import('./map-canvas').then((m) => m.MapCanvas), { ssr: false });

export function MapWorkspace({ rasterUrl }: { rasterUrl?: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const county = useQuery(trpc.basemap.county.queryOptions());
  const townships = useQuery(trpc.basemap.adminAreas.queryOptions({ level: 'township' }));
  const villages = useQuery(trpc.basemap.adminAreas.queryOptions({ level: 'village' }));
  const roads = useQuery(trpc.basemap.roads.queryOptions());
  const grids = useQuery(trpc.basemap.grids.queryOptions());
  const dataset = useQuery(trpc.basemap.dataset.queryOptions());

  const [visible, setVisible] = useState<ReadonlySet<LayerId>>(() => {
    const fromUrl = params.get('layers');
    return new Set(fromUrl === null ? defaultVisibleLayers() : fromUrl.split(',').filter(isLayerId));
  });

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

  const basemap = useMemo<BasemapData | null>(() => {
    if (!county.data || !townships.data || !villages.data || !roads.data) return null;
    return {
      county: county.data as FeatureCollection,
      townships: townships.data as FeatureCollection,
      villages: villages.data as FeatureCollection,
      roads: roads.data as FeatureCollection,
    };
  }, [county.data, townships.data, villages.data, roads.data]);

  const error = [county, townships, villages, roads, grids, dataset].find((q) => q.error)?.error;
  const countyName = dataset.data?.name ?? county.data?.features[0]?.properties.name ?? '';

  return (
    <main className="workspace">
      <TopBar countyName={countyName} demoLabel={dataset.data?.demo ? (dataset.data.label ?? '示例数据') : null} active="map" />
      <aside className="sidebar">
        <LayerPanel visible={visible} onToggle={toggle} />
        <Legend visible={visible} />
      </aside>
      <section className="map-area">
        {error && (
          <div className="map-message error" role="alert">
            底图数据加载失败:{error.message}
          </div>
        )}
        {!basemap && !error && <div className="map-message">正在加载底图数据…</div>}
        {basemap && (
          <MapCanvas
            basemap={basemap}
            grids={grids.data as FeatureCollection | undefined}
            visible={visible}
            rasterUrl={rasterUrl}
            onReady={() => document.body.setAttribute('data-map-ready', 'true')}
          />
        )}
      </section>
    </main>
  );
}
