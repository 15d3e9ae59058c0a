'use client';
// The map's shared filters: the time window and incident categories (read by the incident,
// grid and analysis layers), plus the controls each visible layer adds (metric, playback).
import { useEffect, useState } from 'react';
import type { MapFilters } from '../layers/types';
import type { ModuleState } from './use-layers';
import { daysBefore } from './map-params';
import incidentCategories from '@/geodata/dictionaries/incident-categories.json';

const TOP_CATEGORIES = (incidentCategories as { code: string; name: string; parent: string | null }[]).filter((c) => c.parent === null);
const PRESET_WINDOWS: [number, string][] = [[7, '近7天'], [30, '近30天'], [90, '近90天'], [365, '近一年']];

export function FilterPanel({ modules, filters, setFilters, dataEnd }: { modules: ModuleState[]; filters: MapFilters; setFilters: (p: Partial<MapFilters>) => void; dataEnd: string }) {
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  useEffect(() => { setFrom(filters.from); setTo(filters.to); }, [filters.from, filters.to]);
  const bad = !from || !to || from > to;
  const controls = modules.filter((m) => m.env.active && m.module.Controls);
  return (
    <section className="panel filter-panel" aria-label="筛选">
      <h2>时间与类别</h2>
      <div className="window-presets">
        {PRESET_WINDOWS.map(([n, label]) => {
          const f = daysBefore(dataEnd, n - 1);
          const on = filters.from === f && filters.to === dataEnd;
          return <button key={n} type="button" className={`small${on ? ' active' : ''}`} onClick={() => setFilters({ from: f, to: dataEnd, play: null })}>{label}</button>;
        })}
      </div>
      <form className="window-form" onSubmit={(e) => { e.preventDefault(); if (!bad) setFilters({ from, to, play: null }); }}>
        <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} aria-label="开始日期" data-testid="filter-from" />
        <span>至</span>
        <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} aria-label="结束日期" data-testid="filter-to" />
        <button type="submit" className="small" disabled={bad || (from === filters.from && to === filters.to)}>应用</button>
      </form>
      {bad && <p className="warn">开始日期须不晚于结束日期</p>}
      <label className="category-select">
        类别
        <select value={filters.categories[0] ?? ''} onChange={(e) => setFilters({ categories: e.target.value ? [e.target.value] : [] })} data-testid="filter-category">
          <option value="">全部类别</option>
          {TOP_CATEGORIES.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
        </select>
      </label>
      {controls.map(({ module: m, env, state }) => {
        const C = m.Controls!;
        return <div key={m.id} className="layer-controls" data-controls={m.id}><h3>{m.title}</h3><C env={env} data={state.data} setFilters={setFilters} /></div>;
      })}
    </section>
  );
}
