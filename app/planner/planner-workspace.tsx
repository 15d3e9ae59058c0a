'use client';
// 热点研判 (first part of the planner page): Getis-Ord Gi* hot and cold spots over the
// county with FDR-corrected confidence classes, filters, legend, the strongest hotspots.
// Parameters live in the URL so a planner can bookmark an analysis.
import dynamic from 'next/dynamic';
import { useEffect, useMemo, useState } from 'react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useQuery } from '@tanstack/react-query';
import { GeoJsonLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, FeatureCollection } from 'geojson';
import { useTRPC } from '../trpc';
import { TopBar } from '../components/top-bar';
import { useBasemap } from '../map/use-basemap';
import incidentCategories from '@/geodata/dictionaries/incident-categories.json';

const MapCanvas = dynamic(() => import('../map/map-canvas').then((m) => m.MapCanvas), { ssr: false });

type HotspotClass = 'hot-99' | 'hot-95' | 'hot-90' | 'cold-99' | 'cold-95' | 'cold-90' | 'none';
const CLASS_STYLE: [HotspotClass, string, [number, number, number]][] = [
  ['hot-99', '热点 99% 置信', [215, 25, 28]],
  ['hot-95', '热点 95% 置信', [244, 109, 67]],
  ['hot-90', '热点 90% 置信', [253, 174, 97]],
  ['none', '不显著', [200, 200, 200]],
  ['cold-90', '冷点 90% 置信', [171, 217, 233]],
  ['cold-95', '冷点 95% 置信', [116, 173, 209]],
  ['cold-99', '冷点 99% 置信', [44, 123, 182]],
];
const COLOR = Object.fromEntries(CLASS_STYLE.map(([k, , c]) => [k, c])) as Record<HotspotClass, [number, number, number]>;
const LABEL = Object.fromEntries(CLASS_STYLE.map(([k, l]) => [k, l])) as Record<HotspotClass, string>;
const VISIBLE = new Set(['county', 'townships', 'roads', 'labels'] as const);

function monthsBefore(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`); // calendar arithmetic only: UTC keeps the day
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

export function PlannerWorkspace() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const { basemap, error: basemapError, countyName, demoLabel, endDate } = useBasemap();
  const end = endDate ?? new Date().toISOString().slice(0, 10);
  const current = {
    cell: Number(params.get('cell') ?? 500),
    distance: Number(params.get('distance') ?? 1200),
    from: params.get('from') ?? monthsBefore(end, 12),
    to: params.get('to') ?? end,
    category: params.get('category') ?? '',
  };
  const [form, setForm] = useState(current);
  // The default window ends at the data set's last day, known only once it has loaded.
  const currentKey = JSON.stringify(current);
  useEffect(() => setForm(JSON.parse(currentKey)), [currentKey]);
  const analysis = useQuery({
    ...trpc.hotspots.gistar.queryOptions({
      shape: 'square',
      cellM: current.cell,
      neighbours: { kind: 'distance', metres: current.distance },
      from: new Date(`${current.from}T00:00:00+08:00`),
      to: new Date(`${current.to}T00:00:00+08:00`),
      categories: current.category ? [current.category] : undefined,
      withGeometry: true,
    }),
    retry: false,
  });

  const cells = analysis.data?.cells;
  const overlays = useMemo(() => {
    const features: Feature[] = (cells ?? [])
      .filter((c) => c.class !== 'none' && c.polygon)
      .map((c) => ({ type: 'Feature', geometry: c.polygon!, properties: { id: c.id, count: c.count, z: c.z, pFdr: c.pFdr, cls: c.class } }));
    return [
      new GeoJsonLayer({
        id: 'gistar',
        data: { type: 'FeatureCollection', features } as FeatureCollection,
        filled: true,
        stroked: false,
        pickable: true,
        getFillColor: (f: Feature) => [...COLOR[f.properties!.cls as HotspotClass], 170],
      }),
    ];
  }, [cells]);
  const tooltip = ({ object, layer }: PickingInfo) => {
    const f = object as Feature | null;
    if (layer?.id !== 'gistar' || !f?.properties) return null;
    const p = f.properties;
    return `${LABEL[p.cls as HotspotClass]}\n案件数:${p.count}\nGi* z = ${Number(p.z).toFixed(2)}\nFDR 校正 p = ${Number(p.pFdr).toPrecision(2)}`;
  };
  const tally = useMemo(() => {
    const t = new Map<HotspotClass, number>();
    for (const c of cells ?? []) t.set(c.class, (t.get(c.class) ?? 0) + 1);
    return t;
  }, [cells]);
  const top = useMemo(() => [...(cells ?? [])].filter((c) => c.class === 'hot-99').sort((a, b) => (b.z ?? 0) - (a.z ?? 0)).slice(0, 10), [cells]);

  const apply = () => {
    const q = new URLSearchParams({ cell: String(form.cell), distance: String(form.distance), from: form.from, to: form.to, ...(form.category ? { category: form.category } : {}) });
    router.replace(`/planner?${q.toString()}${window.location.hash}`, { scroll: false });
  };

  return (
    <main className="workspace">
      <TopBar countyName={countyName} demoLabel={demoLabel} active="planner" />
      <aside className="sidebar">
        <section className="panel">
          <h2>热点分析(Getis-Ord Gi*)</h2>
          <div className="planner-form">
            <label>网格单元边长(米)<input type="number" min={50} max={20000} value={form.cell} onChange={(e) => setForm({ ...form, cell: Number(e.target.value) })} data-testid="cell" /></label>
            <label>邻域距离(米)<input type="number" min={50} value={form.distance} onChange={(e) => setForm({ ...form, distance: Number(e.target.value) })} /></label>
            <label>开始日期<input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} /></label>
            <label>结束日期<input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} /></label>
            <label>
              案件类别
              <select value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
                <option value="">全部</option>
                {incidentCategories.map((c) => (
                  <option key={c.code} value={c.code}>{c.parent ? ` └ ${c.name}` : c.name}</option>
                ))}
              </select>
            </label>
            <button className="primary" onClick={apply} data-testid="analyse">分析</button>
          </div>
          <p className="method-note">固定距离邻域(含自身)二值权重;p 值经 Benjamini–Hochberg 错误发现率校正;置信等级同 ArcGIS。</p>
        </section>
        <section className="panel legend" aria-label="图例">
          <h2>图例</h2>
          <ul>
            {CLASS_STYLE.map(([k, label, c]) => (
              <li key={k}>
                <span className="swatch swatch-fill" style={{ background: `rgb(${c.join(',')})`, opacity: k === 'none' ? 0.3 : 1 }} />
                {label}
                <span className="tally">{tally.get(k) ?? 0}</span>
              </li>
            ))}
          </ul>
        </section>
      </aside>
      <section className="map-area">
        {(basemapError || analysis.error) && <div className="map-message error" role="alert">{(basemapError ?? analysis.error)!.message}</div>}
        {analysis.isFetching && <div className="map-message">正在计算热点…</div>}
        {analysis.data && (
          <div className="map-summary panel" data-testid="summary">
            <b>{analysis.data.method.incidents.toLocaleString('zh-CN')}</b> 起案事件 · <b>{analysis.data.method.cells.toLocaleString('zh-CN')}</b> 个单元
            {analysis.data.method.note && <div className="warn">{analysis.data.method.note}</div>}
            {top.length > 0 && (
              <table className="data">
                <thead><tr><th>最强热点</th><th>案件数</th><th>z</th></tr></thead>
                <tbody>{top.map((c) => <tr key={c.id}><td>{c.lon.toFixed(4)}, {c.lat.toFixed(4)}</td><td>{c.count}</td><td>{c.z?.toFixed(1)}</td></tr>)}</tbody>
              </table>
            )}
          </div>
        )}
        {basemap && (
          <MapCanvas basemap={basemap} overlays={overlays} tooltip={tooltip} visible={VISIBLE} onReady={() => document.body.setAttribute('data-map-ready', 'true')} />
        )}
      </section>
    </main>
  );
}
