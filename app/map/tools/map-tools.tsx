'use client';
// The desk user's tools over the map: search by name or id (flies to the object), distance
// and area measurement (turf, drawn on the map), and the print-quality PNG export.
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';
import type { BasemapData } from '../basemap-style';
import type { FlyTarget, MapFilters } from '../../layers/types';
import type { ModuleState } from '../use-layers';
import { MeasurePanel } from './measure';
import { ExportPng } from './export-png';

export type ToolMode = 'none' | 'distance' | 'area';

const KIND_LABEL: Record<string, string> = { place: '重点场所', township: '乡镇(街道)', village: '村(社区)', grid: '网格', camera: '摄像机', road: '道路', target: '整治目标', hazard: '隐患点' };

export interface MapToolsProps {
  basemap: BasemapData;
  modules: ModuleState[];
  visible: ReadonlySet<string>;
  mode: ToolMode;
  setMode: (m: ToolMode) => void;
  points: [number, number][];
  setPoints: (p: [number, number][]) => void;
  flyTo: (t: FlyTarget) => void;
  title: string;
  demoLabel: string | null;
  filters: MapFilters | null;
}

function SearchBox({ flyTo }: { flyTo: (t: FlyTarget) => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  // ask once typing pauses
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  const results = useQuery({ ...trpc.map.search.queryOptions({ q, limit: 12 }), enabled: q.length > 0, retry: false });
  const list = results.data ?? [];
  return (
    <div className="search-box" role="search">
      <input
        type="search"
        value={text}
        placeholder="搜索地名、网格、摄像机编号、道路、整治目标…"
        onChange={(e) => { setText(e.target.value); setOpen(true); }}
        onKeyDown={(e) => { if (e.key === 'Enter' && list[0]) { go(list[0]); } if (e.key === 'Escape') setOpen(false); }}
        aria-label="搜索"
        data-testid="search-input"
      />
      {open && q && (
        <ul className="search-results" data-testid="search-results">
          {results.isFetching && list.length === 0 && <li className="muted">正在搜索…</li>}
          {!results.isFetching && results.data && list.length === 0 && <li className="muted">没有找到“{q}”</li>}
          {results.error && <li className="bad">搜索失败</li>}
          {list.map((r) => (
            <li key={`${r.kind}-${r.id}`}>
              <button type="button" onClick={() => go(r)} data-kind={r.kind}>
                <span className="search-label">{r.label}</span>
                <span className="search-sub">{KIND_LABEL[r.kind] ?? r.kind} · {r.sub}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  function go(r: { lon: number; lat: number; bbox?: [number, number, number, number] | null; kind: string }) {
    setOpen(false);
    flyTo(r.bbox && r.kind !== 'camera' && r.kind !== 'place' ? { bbox: r.bbox } : { lon: r.lon, lat: r.lat, zoom: 16 });
  }
}

export function MapTools(props: MapToolsProps) {
  const { mode, setMode } = props;
  const tools = useMemo(() => [['distance', '测距'], ['area', '测面积']] as const, []);
  return (
    <div className="map-tools">
      <SearchBox flyTo={props.flyTo} />
      <div className="tool-buttons">
        {tools.map(([m, label]) => (
          <button key={m} type="button" className={`small${mode === m ? ' active' : ''}`} onClick={() => { props.setPoints([]); setMode(mode === m ? 'none' : m); }} data-testid={`tool-${m}`}>{label}</button>
        ))}
        <ExportPng {...props} />
      </div>
      {mode !== 'none' && <MeasurePanel mode={mode} points={props.points} setPoints={props.setPoints} onDone={() => { setMode('none'); props.setPoints([]); }} />}
    </div>
  );
}
