'use client';
// The wall's map: one maplibre map and one deck.gl overlay for the page's whole life (a
// theme change only changes which registry layers are visible), dark, not interactive.
// Over the registry's layers: patrol teams where their newest fix puts them, and a ring
// that pulses for a few seconds where a new incident happened.
import { useEffect, useMemo, useState } from 'react';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { MapCanvas } from '../map/map-canvas';
import { useBasemap } from '../map/use-basemap';
import { useLayers } from '../map/use-layers';
import { FIRST_ROAD_LAYER } from '../map/basemap-style';
import type { LayerActions, LayerEnv, MapFilters, ViewBox } from '../layers/types';
import { PLACEHOLDER_ENV, snapView } from '../map/map-view';
import { todayInChina } from '@/lib/china-time';
import { daysBefore } from '../map/map-params';

export interface Flash { id: string; lon: number; lat: number; at: number }
export interface TeamDot { id: number; name: string; lon: number; lat: number }

export const FLASH_MS = 6_000;
const NO_ACTIONS: LayerActions = { select: () => {}, flyTo: () => {} };

export function WallMap({ layers, flashes, teams, showTeams }: { layers: string[]; flashes: Flash[]; teams: TeamDot[]; showTeams: boolean }) {
  const { basemap, endDate } = useBasemap();
  const [today, setToday] = useState(todayInChina);
  useEffect(() => {
    const t = setInterval(() => setToday(todayInChina()), 60_000);
    return () => clearInterval(t);
  }, []);
  // the incident layers show the last seven days up to today (the simulator keeps them current)
  const filters = useMemo<MapFilters>(() => ({ from: daysBefore(today, 6), to: today, categories: [], gridMetric: 'incidents', play: null, trackDay: null, trackSecond: 0 }), [today]);
  const visible = useMemo(() => new Set(layers), [layers]);
  const [view, setView] = useState<ViewBox | null>(null);
  const shared = useMemo<Omit<LayerEnv, 'active'> | null>(
    () => (basemap ? { view, filters, params: {}, basemap, dataEnd: endDate ?? today, theme: 'dark' } : null),
    [basemap, view, filters, endDate, today],
  );
  const modules = useLayers(shared ?? PLACEHOLDER, shared ? visible : NONE, null, NO_ACTIONS);
  // the pulse: re-drawn a few times a second while a flash lasts, then not at all
  const [tick, setTick] = useState(0);
  const live = flashes.some((f) => Date.now() - f.at < FLASH_MS);
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setTick((x) => x + 1), 120);
    return () => clearInterval(t);
  }, [live]);
  const overlays = useMemo<Layer[]>(() => {
    const now = Date.now();
    const on = flashes.filter((f) => now - f.at < FLASH_MS);
    const extra: Layer[] = [];
    if (showTeams) {
      extra.push(new ScatterplotLayer<TeamDot>({
        id: 'wall-teams:top', data: teams, getPosition: (d) => [d.lon, d.lat], getRadius: 9, radiusUnits: 'pixels',
        getFillColor: [51, 154, 240, 255], getLineColor: [255, 255, 255, 255], lineWidthMinPixels: 2, stroked: true,
      }));
    }
    if (on.length) {
      const phase = (tick % 8) / 8;
      extra.push(
        new ScatterplotLayer<Flash>({
          id: 'wall-flash-ring:top', data: on, getPosition: (d) => [d.lon, d.lat], radiusUnits: 'pixels', getRadius: 14 + 40 * phase,
          stroked: true, filled: false, getLineColor: [255, 80, 60, Math.round(255 * (1 - phase))], lineWidthMinPixels: 4, updateTriggers: { getRadius: tick, getLineColor: tick },
        }),
        new ScatterplotLayer<Flash>({ id: 'wall-flash:top', data: on, getPosition: (d) => [d.lon, d.lat], radiusUnits: 'pixels', getRadius: 9, getFillColor: [255, 80, 60, 255] }),
      );
    }
    return [...modules.flatMap((m) => (m.module.below === 'roads' ? m.layers.map((l) => l.clone({ beforeId: FIRST_ROAD_LAYER } as never)) : m.layers)), ...extra];
  }, [modules, flashes, teams, showTeams, tick]);
  useEffect(() => {
    document.body.dataset.flashes = String(flashes.filter((f) => Date.now() - f.at < FLASH_MS).length);
  }, [flashes, tick]);
  if (!basemap) return <div className="wall-map-message">正在加载底图…</div>;
  return <MapCanvas basemap={basemap} overlays={overlays} visible={visible} dark still onView={(v) => setView(snapView(v))} onReady={() => document.body.setAttribute('data-map-ready', 'true')} />;
}

const NONE: ReadonlySet<string> = new Set();
const PLACEHOLDER: Omit<LayerEnv, 'active'> = { ...PLACEHOLDER_ENV, theme: 'dark' };
