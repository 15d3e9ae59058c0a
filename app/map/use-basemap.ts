'use client';
// The base-map data every map page draws under its overlays, and the data-set label.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection } from 'geojson';
import { useTRPC } from '../trpc';
import type { BasemapData } from './basemap-style';

export function useBasemap() {
  const trpc = useTRPC();
  const county = useQuery(trpc.basemap.county.queryOptions());
  const townships = useQuery(trpc.basemap.adminAreas.queryOptions({ level: 'township' }));
  const villages = useQuery(trpc.basemap.adminAreas.queryOptions({ level: 'village' }));
  const roads = useQuery(trpc.basemap.roads.queryOptions());
  const dataset = useQuery(trpc.basemap.dataset.queryOptions());
  const basemap = useMemo<BasemapData | null>(() => {
    if (!county.data || !townships.data || !villages.data || !roads.data) return null;
    return {
      county: county.data as FeatureCollection,
      townships: townships.data as FeatureCollection,
      villages: villages.data as FeatureCollection,
      roads: roads.data as FeatureCollection,
    };
  }, [county.data, townships.data, villages.data, roads.data]);
  const error = [county, townships, villages, roads, dataset].find((q) => q.error)?.error ?? null;
  const countyName = dataset.data?.name ?? county.data?.features[0]?.properties.name ?? '';
  const demoLabel = dataset.data?.demo ? (dataset.data.label ?? '示例数据') : null;
  return { basemap, error, countyName, demoLabel, endDate: dataset.data?.endDate ?? null, periodEnd: dataset.data?.periodEnd ?? null };
}
