'use client';
// 热点研判: the planner's page. Left: the analysis layer (Gi* hot and cold spots, kernel
// density, emerging hot-spot patterns) with filters, legend and exports. Right: the
// ranked rectification targets (整治目标), the listed targets with evaluation (挂牌督办)
// and the townships' 平安指数 with 红黑榜. The analysis parameters live in the URL so a
// planner can bookmark or print an analysis.
import { LIMITS } from '@/lib/limits';
import { useEffect, useMemo, useState } from 'react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { useBasemap } from '../map/use-basemap';
import incidentCategories from '@/geodata/dictionaries/incident-categories.json';
import {
  DEFAULT_FACTOR_WEIGHTS, EMERGING_COLOR, EMERGING_STYLE, GISTAR_COLOR, GISTAR_LABEL, GISTAR_STYLE, INDEX_COLORS, KDE_COLORS, kdeClass,
  type FactorId, type HotspotClass,
} from './analysis-styles';
import { ListedTargets, RankedTargets, type Evaluation, type RankedTarget } from './targets-panel';
import { PeaceIndexPanel } from './peace-index-panel';
import { chinaDay, monthsBefore, todayInChina } from '@/lib/china-time';
import { fieldHint } from '@/lib/url-params';
import { FORECAST_METHOD_LABELS } from '@/lib/forecast-labels';
import { ANALYSIS_PARAMS, MODES, PLANNER_PARAMS, readPlannerParams, TABS } from './planner-params';
import { errorText, fieldHints } from '../components/error-text';
import { MapView } from '../map/map-view';
import type { Selection } from '../layers/types';

type FormField = 'cell' | 'distance' | 'from' | 'to' | 'category' | 'bandwidth' | 'slices';
type FormState = Record<FormField, string>;
/** The analyses' input paths (server fieldErrors) → the form's fields. */
const SERVER_FIELDS: Record<string, FormField> = { cellM: 'cell', 'neighbours.metres': 'distance', distanceM: 'distance', bandwidthM: 'bandwidth', slices: 'slices', from: 'from', to: 'to', categories: 'category' };

export function PlannerWorkspace() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const queryClient = useQueryClient();
  const { basemap, error: basemapError, periodEnd } = useBasemap();
  const end = periodEnd ?? todayInChina(); // exclusive, as the CLI's default period
  // every parameter read through its schema: a bad one takes its default, with a notice
  const search = params.toString();
  const { values: read, notices } = useMemo(
    () => readPlannerParams(new URLSearchParams(search), PLANNER_PARAMS, (m) => ({ from: monthsBefore(end, m === 'emerging' ? 24 : 12), to: end })),
    [search, end],
  );
  const { mode, tab } = read;
  const current = {
    cell: read.cell,
    distance: read.distance,
    from: read.from!,
    to: read.to!,
    category: read.category,
    bandwidth: read.bandwidth === null ? '' : String(read.bandwidth),
    slices: read.slices,
  };
  const currentKey = JSON.stringify(current);
  const formOf = (key: string): FormState => {
    const c = JSON.parse(key) as typeof current;
    return { cell: String(c.cell), distance: String(c.distance), from: c.from, to: c.to, category: c.category, bandwidth: c.bandwidth, slices: String(c.slices) };
  };
  const [form, setForm] = useState<FormState>(() => formOf(currentKey));
  const [hints, setHints] = useState<Partial<Record<FormField, string>>>({});
  useEffect(() => { setForm(formOf(currentKey)); setHints({}); }, [currentKey]);
  const [weights, setWeights] = useState<Record<FactorId, number>>(DEFAULT_FACTOR_WEIGHTS);
  const [focus, setFocus] = useState<{ lon: number; lat: number; zoom?: number } | null>(null);
  const [selectedCell, setSelectedCell] = useState<number | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);

  // the analysis inputs: the page's panels and the map's layer modules read the same queries
  const inputs = useMemo(() => {
    const windowDates = { from: chinaDay(current.from), to: chinaDay(current.to) };
    const categories = current.category ? [current.category] : undefined;
    return {
      gistar: { shape: 'square' as const, cellM: current.cell, neighbours: { kind: 'distance' as const, metres: current.distance }, ...windowDates, categories, withGeometry: true },
      kde: { cellM: current.cell, bandwidthM: current.bandwidth ? Number(current.bandwidth) : undefined, ...windowDates, categories },
      // the forecast starts where the window ends, on the two years before it (server/services/planner/analysis.ts)
      forecast: { cellM: current.cell, asOf: windowDates.to, horizonDays: 90, historyDays: 730, categories },
      emerging: { cellM: Math.max(current.cell, LIMITS.emergingCellM), distanceM: current.distance, ...windowDates, slices: current.slices, withGeometry: true },
      'peace-index': { from: current.from, to: current.to, top: 3 },
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- currentKey is the value of `current`
  }, [currentKey]);
  const gistar = useQuery({ ...trpc.hotspots.gistar.queryOptions(inputs.gistar), enabled: mode === 'gistar' && tab !== 'index', retry: false, staleTime: Infinity });
  const kde = useQuery({ ...trpc.hotspots.kde.queryOptions(inputs.kde), enabled: mode === 'kde' && tab !== 'index', retry: false, staleTime: Infinity });
  const forecast = useQuery({ ...trpc.hotspots.forecast.queryOptions(inputs.forecast), enabled: mode === 'forecast' && tab !== 'index', retry: false, staleTime: Infinity });
  const emerging = useQuery({ ...trpc.hotspots.emerging.queryOptions(inputs.emerging), enabled: mode === 'emerging' && tab !== 'index', retry: false, staleTime: Infinity });
  const ranked = useQuery({ ...trpc.targets.rank.queryOptions({ top: 20, weights }), retry: false });
  const listed = useQuery({ ...trpc.targets.list.queryOptions({ today: todayInChina() }), retry: false });
  const peace = useQuery({ ...trpc.peaceIndex.compute.queryOptions(inputs['peace-index']), enabled: tab === 'index', retry: false });
  const analysis = mode === 'gistar' ? gistar : mode === 'kde' ? kde : mode === 'forecast' ? forecast : emerging;
  const dim = tab === 'listed' && evaluation ? 0.3 : 1; // the evaluation's areas stand out over the analysis
  const layerParams = useMemo(() => ({
    ...inputs,
    'analysis-dim': dim,
    'ranked-targets': ranked.data ? { targets: ranked.data.targets, selectedCell } : undefined,
    evaluation: evaluation ?? undefined,
  }), [inputs, dim, ranked.data, selectedCell, evaluation]);
  const forced = useMemo(() => ({
    gistar: tab !== 'index' && mode === 'gistar',
    kde: tab !== 'index' && mode === 'kde',
    forecast: tab !== 'index' && mode === 'forecast',
    emerging: tab !== 'index' && mode === 'emerging',
    'peace-index': tab === 'index',
    'ranked-targets': tab === 'targets',
    evaluation: tab === 'listed' && !!evaluation,
  }), [tab, mode, evaluation]);

  const setUrl = (changes: Record<string, string | null>) => {
    const q = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) if (v === null || v === '') q.delete(k); else q.set(k, v);
    router.replace(`/planner?${q.toString()}${window.location.hash}`, { scroll: false });
  };
  /** Checks the form with the parameters' own schemas; only a form without problems becomes the URL's analysis. */
  const apply = () => {
    const found: Partial<Record<FormField, string>> = {};
    const check = (field: FormField, hint: string | null) => { if (hint) found[field] = hint; };
    check('cell', fieldHint(ANALYSIS_PARAMS.cell, form.cell, '请填写网格单元边长'));
    if (mode === 'gistar' || mode === 'emerging') check('distance', fieldHint(ANALYSIS_PARAMS.distance, form.distance, '请填写邻域距离'));
    if (mode === 'kde') check('bandwidth', fieldHint(ANALYSIS_PARAMS.bandwidth, form.bandwidth));
    if (mode === 'emerging') check('slices', fieldHint(ANALYSIS_PARAMS.slices, form.slices, '请填写时段数'));
    check('from', fieldHint(ANALYSIS_PARAMS.from, form.from, '请选择开始日期'));
    check('to', fieldHint(ANALYSIS_PARAMS.to, form.to, '请选择结束日期'));
    if (!found.from && !found.to && form.from >= form.to) found.to = '结束日期须晚于开始日期';
    setHints(found);
    if (Object.keys(found).length > 0) return;
    setUrl({ cell: form.cell.trim(), distance: form.distance.trim(), from: form.from, to: form.to, category: form.category, bandwidth: form.bandwidth.trim(), slices: form.slices.trim() });
  };
  /** A link to a planner file route carrying the analysis now on the map, plus the route's own choices. */
  const fileLink = (route: 'export' | 'report', choices: Record<string, string>) => {
    const q = new URLSearchParams({ ...choices, cell: String(current.cell), distance: String(current.distance), from: current.from, to: current.to, slices: String(current.slices) });
    if (current.category) q.set('category', current.category);
    if (current.bandwidth) q.set('bandwidth', current.bandwidth);
    return `/api/planner/${route}?${q.toString()}`;
  };
  const exportQuery = (table: string, format: string) => fileLink('export', { table, format });
  const reportQuery = (paper: string) => fileLink('report', { paper, mode });

  const analysisError = analysis.error ? errorText(analysis.error) : null;
  const serverHints = fieldHints(analysis.error, SERVER_FIELDS);
  const hintOf = (field: FormField) => hints[field] ?? serverHints[field] ?? null;
  const hintFor = (field: FormField) => {
    const h = hintOf(field);
    return h ? <span className="field-hint" role="alert" data-testid={`hint-${field}`}>{h}</span> : null;
  };
  const summary = mode === 'gistar' && gistar.data
    ? <><b>{gistar.data.method.incidents.toLocaleString('zh-CN')}</b> 起案事件 · <b>{gistar.data.method.cells.toLocaleString('zh-CN')}</b> 个单元{gistar.data.method.note && <div className="warn">{gistar.data.method.note}</div>}</>
    : mode === 'kde' && kde.data
      ? <><b>{kde.data.method.incidents.toLocaleString('zh-CN')}</b> 起案事件 · 带宽 <b>{kde.data.method.bandwidthM ?? '—'}</b> 米 · 单元 {kde.data.method.cellM} 米{kde.data.method.note && <div className="warn">{kde.data.method.note}</div>}</>
      : mode === 'forecast' && forecast.data
        ? <>方法 <b data-testid="forecast-method">{FORECAST_METHOD_LABELS[forecast.data.method.chosen] ?? forecast.data.method.chosen}</b> · 验证 PAI@5% <b>{forecast.data.method.validation[forecast.data.method.chosen]?.toFixed(2) ?? '—'}</b>(历史计数 {forecast.data.method.validation.counts?.toFixed(2) ?? '—'})· {forecast.data.method.incidents.toLocaleString('zh-CN')} 起历史案事件 · 自 {new Date(forecast.data.method.asOf).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} 起预测 {forecast.data.method.horizonDays} 天</>
      : mode === 'emerging' && emerging.data
        ? <>时空立方体:{String(emerging.data.method.cube).replace('cells', '个单元').replace('slices of', '个时段,每段').replace('days', '天')}</>
        : null;

  return (
    <MapView
      preset="planner"
      activeNav="planner"
      params={layerParams}
      forced={forced}
      focus={focus}
      selection={selection}
      notices={notices}
      left={<>
        <section className="panel">
          <h2>分析图层</h2>
          <div className="mode-switch" role="tablist">
            {MODES.map(([m, label]) => (
              <button key={m} role="tab" aria-selected={mode === m} className={mode === m ? 'active' : ''} data-testid={`mode-${m}`} onClick={() => setUrl({ mode: m, from: params.get('from'), to: params.get('to') })}>{label}</button>
            ))}
          </div>
          <div className="planner-form">
            <label>网格单元边长(米)<input type="number" min={LIMITS.cellM.min} max={LIMITS.cellM.max} step={1} value={form.cell} aria-invalid={!!hintOf('cell')} onChange={(e) => setForm({ ...form, cell: e.target.value })} data-testid="cell" />{hintFor('cell')}</label>
            {(mode === 'gistar' || mode === 'emerging') && <label>邻域距离(米)<input type="number" min={LIMITS.distanceM.min} max={LIMITS.distanceM.max} step={1} value={form.distance} aria-invalid={!!hintOf('distance')} onChange={(e) => setForm({ ...form, distance: e.target.value })} data-testid="distance" />{hintFor('distance')}</label>}
            {mode === 'kde' && <label>带宽(米,留空按规则)<input type="number" min={LIMITS.bandwidthM.min} max={LIMITS.bandwidthM.max} step={1} value={form.bandwidth} aria-invalid={!!hintOf('bandwidth')} placeholder="Silverman 空间规则" onChange={(e) => setForm({ ...form, bandwidth: e.target.value })} data-testid="bandwidth" />{hintFor('bandwidth')}</label>}
            {mode === 'emerging' && <label>时段数<input type="number" min={LIMITS.slices.min} max={LIMITS.slices.max} step={1} value={form.slices} aria-invalid={!!hintOf('slices')} onChange={(e) => setForm({ ...form, slices: e.target.value })} data-testid="slices" />{hintFor('slices')}</label>}
            <label>开始日期<input type="date" value={form.from} aria-invalid={!!hintOf('from')} onChange={(e) => setForm({ ...form, from: e.target.value })} />{hintFor('from')}</label>
            <label>结束日期<input type="date" value={form.to} aria-invalid={!!hintOf('to')} onChange={(e) => setForm({ ...form, to: e.target.value })} />{hintFor('to')}</label>
            {mode !== 'emerging' && (
              <label>
                案件类别
                <select value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value })}>
                  <option value="">全部</option>
                  {incidentCategories.map((c) => <option key={c.code} value={c.code}>{c.parent ? ` └ ${c.name}` : c.name}</option>)}
                </select>
              </label>
            )}
            <button className="primary" onClick={apply} data-testid="analyse">分析</button>
          </div>
          <p className="method-note">
            {mode === 'gistar' && '固定距离邻域(含自身)二值权重的 Getis-Ord Gi*;p 值经 Benjamini–Hochberg 错误发现率校正;置信等级同 ArcGIS。'}
            {mode === 'kde' && '四次(双权)核函数;带宽默认按 Silverman 空间规则 h = 0.9·min(SD, √(1/ln2)·Dm)·n^(−1/5);分级为非零单元的 50/75/90/97.5% 分位数。'}
            {mode === 'forecast' && '以统计期结束日为起点、前两年案事件为历史,在历史期内做滚动起点验证(每折只用其之前的数据),从历史计数、核密度、Gi*、近因加权、交叉验证核密度、自激点过程(近重复)与组合预测中选出验证 PAI@5% 最高者;每个单元为未来 90 天的预计案事件数。'}
            {mode === 'emerging' && '时空立方体:每个时段计算 Gi*(FDR 校正后 p < 0.05 为显著),再对各单元的 z 值序列做 Mann-Kendall 趋势检验;模式定义同 ArcGIS 新兴热点分析。'}
          </p>
        </section>
        <section className="panel exports">
          <h2>导出与报告</h2>
          <div className="export-row">{MODES.find(([m]) => m === mode)![1]}:{(['csv', 'xlsx', 'geojson'] as const).map((f) => <a key={f} href={exportQuery(mode, f)} download>{f.toUpperCase()}</a>)}</div>
          <div className="export-row">整治目标:{(['csv', 'xlsx', 'geojson'] as const).map((f) => <a key={f} href={exportQuery('targets', f)} download>{f.toUpperCase()}</a>)}</div>
          <div className="export-row">挂牌督办:{(['csv', 'xlsx', 'geojson'] as const).map((f) => <a key={f} href={exportQuery('listed', f)} download>{f.toUpperCase()}</a>)}</div>
          <div className="export-row">平安指数:{(['csv', 'xlsx', 'geojson'] as const).map((f) => <a key={f} href={exportQuery('index', f)} download>{f.toUpperCase()}</a>)}</div>
          <div className="export-row">研判报告(PDF):<a href={reportQuery('A4')} target="_blank" rel="noreferrer" data-testid="report-a4">A4</a><a href={reportQuery('A3')} target="_blank" rel="noreferrer">A3</a></div>
        </section>
      </>}
      overMap={<>
        {(basemapError || analysisError) && <div className="map-message error" role="alert" data-testid="analysis-error">{basemapError ? errorText(basemapError) : analysisError}</div>}
        {analysis.isFetching && <div className="map-message">正在计算{MODES.find(([m]) => m === mode)![1]}…</div>}
        {summary && <div className="map-summary panel" data-testid="summary">{summary}</div>}
      </>}
      right={<>
        <div className="tabs" role="tablist">
          {TABS.map(([t, label]) => (
            <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} data-testid={`tab-${t}`} onClick={() => setUrl({ tab: t })}>
              {label}{t === 'listed' && listed.data?.some((x) => x.overdue) ? ' ⚠' : ''}
            </button>
          ))}
        </div>
        <section className="panel">
          {tab === 'targets' && (
            <RankedTargets
              targets={ranked.data?.targets} loading={ranked.isFetching} error={ranked.error ? errorText(ranked.error) : null}
              weights={weights} onWeights={setWeights} selected={selectedCell} today={todayInChina()}
              onSelect={(t) => { setSelectedCell(t.cellId); setFocus({ lon: t.lon, lat: t.lat, zoom: 14 }); }}
              onListed={() => { void queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() }); setUrl({ tab: 'listed' }); }}
            />
          )}
          {tab === 'listed' && (
            <ListedTargets
              targets={listed.data} error={listed.error ? errorText(listed.error) : null} evaluation={evaluation}
              onEvaluation={(e) => {
                setEvaluation(e);
                const t = listed.data?.find((x) => x.id === e?.targetId);
                if (t) setFocus({ lon: t.lon, lat: t.lat, zoom: 12 });
              }}
              onSelect={(t) => setFocus({ lon: t.lon, lat: t.lat, zoom: 14 })}
            />
          )}
          {tab === 'index' && (
            <PeaceIndexPanel data={peace.data} loading={peace.isFetching} error={peace.error ? errorText(peace.error) : null} onSelect={(code) => {
              setSelection({ layer: 'peace-index', id: code.trim() });
              const f = basemap?.townships.features.find((x) => String(x.properties?.code).trim() === code.trim());
              if (f?.properties) setFocus({ lon: Number(f.properties.labelLon), lat: Number(f.properties.labelLat), zoom: 11 });
            }} />
          )}
        </section>
      </>}
    />
  );
}
