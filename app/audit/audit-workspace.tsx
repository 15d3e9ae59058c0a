'use client';
// 视频监控覆盖审计 (雪亮工程): the auditor's page. Left: the coverage figures (nominal and
// effective, each with its method), the map layers and the exports. Centre: the map with
// the cameras' views, road gaps ranked by risk, uncovered key places, hotspot cells and the
// recommended new cameras. Right: the KPIs against their targets (county, townships,
// owners), the register findings, and 补点 (placement) with planner-drawn candidate sites.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { MapView } from '../map/map-view';
import { AUDIT_FIGURES_INPUT } from '../layers/audit';
import { fieldHint, readParams } from '@/lib/url-params';
import { errorText } from '../components/error-text';
import { AUDIT_PARAMS, AUDIT_TABS as TABS, BUDGET, type AuditTab as Tab } from './audit-params';


const KPIS = [['online', '在线率'], ['working', '完好率'], ['networked', '联网率'], ['smart', '智能化占比'], ['registerComplete', '建档率']] as const;

const pct = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)}%`);

export function AuditWorkspace() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // the tab lives in the URL (?tab=…), read through its schema: a bad one is the default, with a notice
  const search = useSearchParams().toString();
  const { values: { tab }, notices } = useMemo(() => readParams(new URLSearchParams(search), AUDIT_PARAMS), [search]);
  const setTab = (t: Tab) => {
    const q = new URLSearchParams(window.location.search);
    q.set('tab', t);
    window.history.replaceState(null, '', `?${q.toString()}${window.location.hash}`);
  };
  const [focus, setFocus] = useState<{ lon: number; lat: number; zoom?: number } | null>(null);
  const [budget, setBudget] = useState('20');
  const [budgetHint, setBudgetHint] = useState<string | null>(null);
  const [camType, setCamType] = useState<'dome' | 'fixed' | 'ptz'>('dome');
  const [run, setRun] = useState<{ budget: number; type: 'dome' | 'fixed' | 'ptz' } | null>(null);
  const [drawing, setDrawing] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [findingCode, setFindingCode] = useState<string>('');
  const [selectedFinding, setSelectedFinding] = useState<number | null>(null);

  const figures = useQuery({ ...trpc.coverage.figures.queryOptions(AUDIT_FIGURES_INPUT), retry: false, staleTime: Infinity });
  // buildings that hide part of a view: asked once the views are current (after the figures)
  const audit = useQuery({ ...trpc.coverage.audit.queryOptions(), retry: false, staleTime: Infinity, enabled: tab === 'findings' });
  const rec = useQuery({ ...trpc.coverage.recommend.queryOptions(run ?? { budget: 1, type: 'dome' }), enabled: run !== null, retry: false, staleTime: Infinity });
  const candidates = useQuery({ ...trpc.coverage.candidates.queryOptions(), retry: false });
  const addCandidate = useMutation(trpc.coverage.addCandidate.mutationOptions({
    onSuccess: () => { setFormError(null); void queryClient.invalidateQueries({ queryKey: trpc.coverage.candidates.queryKey() }); },
    onError: (e) => setFormError(errorText(e)),
  }));
  const removeCandidate = useMutation(trpc.coverage.removeCandidate.mutationOptions({
    onSuccess: () => { setFormError(null); void queryClient.invalidateQueries({ queryKey: trpc.coverage.candidates.queryKey() }); },
    onError: (e) => setFormError(errorText(e)),
  }));
  const f = figures.data;

  const findings = useMemo(() => (audit.data?.findings ?? []).filter((x) => !findingCode || x.code === findingCode), [audit.data, findingCode]);

  const onMapClick = ([lon, lat]: [number, number]) => {
    if (!drawing) return false;
    const name = window.prompt('候选点名称', `候选点 ${lon.toFixed(5)},${lat.toFixed(5)}`);
    if (name !== null) addCandidate.mutate({ name, lon, lat });
    return true;
  };
  const layerParams = useMemo(() => ({ 'coverage-figures': AUDIT_FIGURES_INPUT, findings: { code: findingCode, selected: selectedFinding }, recommend: run ?? undefined }), [findingCode, selectedFinding, run]);
  const forced = useMemo(() => ({ findings: tab === 'findings' || selectedFinding !== null, recommend: run !== null }), [tab, selectedFinding, run]);

  const townshipName = (code: string | null) => f?.townships.find((t) => t.code === code)?.name ?? code ?? '(未填写)';
  const target = (k: (typeof KPIS)[number][0]) => f?.kpiTables.targets[k];
  const kpiCell = (k: (typeof KPIS)[number][0], v: number | null) => {
    const t = target(k);
    const ok = v !== null && t !== undefined && v >= t.target - 1e-9;
    return <td className={ok ? 'good' : 'bad'}>{pct(v)}</td>;
  };

  return (
    <MapView
      preset="audit"
      activeNav="audit"
      className="planner audit"
      params={layerParams}
      forced={forced}
      focus={focus}
      notices={notices}
      onMapClick={onMapClick}
      left={<>
        <section className="panel" data-testid="figures">
          <h2>覆盖情况</h2>
          {figures.isFetching && <p className="muted">正在计算视野与覆盖…</p>}
          {figures.error && <p className="bad" role="alert">{errorText(figures.error)}</p>}
          {f && (
            <>
              <p className="figure-line">县域内摄像机 <b data-testid="cameras-total">{f.cameras.total}</b> 台:扇区 {f.cameras.sector} · 圆形 {f.cameras.circle} · <span title="缺少方向角等参数,不计入覆盖">视野未知 {f.cameras.unknown}</span></p>
              <table className="figures">
                <thead><tr><th>道路</th><th>里程 km</th><th>名义</th><th>有效</th></tr></thead>
                <tbody>
                  <tr data-testid="roads-all"><td>全部</td><td>{f.roads.totalKm.toFixed(1)}</td><td>{pct(f.roads.nominal)}</td><td>{pct(f.roads.effective)}</td></tr>
                  {Object.entries(f.roads.byClass).map(([k, b]) => <tr key={k}><td>{b.name}</td><td>{b.totalKm.toFixed(1)}</td><td>{pct(b.nominal)}</td><td>{pct(b.effective)}</td></tr>)}
                </tbody>
              </table>
              <p className="method-note">离线/故障损失 {f.roads.lostKm.toFixed(1)} km。道路在视野多边形并集内的长度;名义含全部登记摄像机,有效仅含在线摄像机。</p>
              <table className="figures">
                <thead><tr><th>重点场所</th><th>数量</th><th>名义</th><th>有效</th></tr></thead>
                <tbody>
                  <tr data-testid="places-all"><td>全部</td><td>{f.placesAll.total}</td><td>{pct(f.placesAll.nominal)}</td><td>{pct(f.placesAll.effective)}</td></tr>
                  {Object.entries(f.places).map(([k, p]) => <tr key={k}><td>{p.name}</td><td>{p.total}</td><td>{pct(p.nominal)}</td><td>{pct(p.effective)}</td></tr>)}
                </tbody>
              </table>
              <p className="method-note">出入口(无则为位置点)落在视野内,或占地面积 {pct(f.method.footprintShare, 0)} 以上在视野内即为覆盖;私密场所不作为覆盖对象。</p>
              <table className="figures">
                <tbody>
                  <tr><td>网格面积</td><td>{f.grids.total} 个</td><td>{pct(f.grids.areaShareNominal, 2)}</td><td>{pct(f.grids.areaShareEffective, 2)}</td></tr>
                  <tr><td>网格道路</td><td>无覆盖 {f.grids.withoutCoverage}</td><td>{pct(f.grids.roadShareNominal)}</td><td>{pct(f.grids.roadShareEffective)}</td></tr>
                  <tr data-testid="hazards-all"><td>隐患点</td><td>{f.hazards.pointsAll.total} 处</td><td>{pct(f.hazards.pointsAll.nominal)}</td><td>{pct(f.hazards.pointsAll.effective)}</td></tr>
                  {f.hotspots && <tr data-testid="hotspots-all"><td>热点网格</td><td>{f.hotspots.cells} 个</td><td>{f.hotspots.coveredNominal}</td><td>{f.hotspots.coveredEffective}</td></tr>}
                  {f.hotspots && <tr><td>热点案事件</td><td>{f.hotspots.incidents} 起</td><td>{pct(f.hotspots.incidentShareNominal)}</td><td>{pct(f.hotspots.incidentShareEffective)}</td></tr>}
                </tbody>
              </table>
              <p className="method-note">网格:面积与道路在视野内的比例。隐患点落在视野内即为监控。热点网格(近 12 个月 Gi* 热点)有 {pct(0.5, 0)} 以上案事件发生在视野内即为覆盖。视野:枪机为扇形(0° 为正北,顺时针),球机/云台为整圆,半径按类型折减;缺少方向角的枪机计为视野未知;有占地轮廓的高层建筑遮挡其后方地面。</p>
            </>
          )}
        </section>
        <section className="panel exports">
          <h2>导出与报告</h2>
          {([['townships', '乡镇覆盖'], ['roads', '道路分级'], ['places', '重点场所'], ['grids', '网格'], ['kpi-townships', '考核指标(乡镇)'], ['kpi-owners', '考核指标(单位)'], ['findings', '档案问题清单'], ['gaps', '道路缺口']] as const).map(([t, label]) => (
            <div key={t} className="export-row">{label}:{(['xlsx', 'csv', 'geojson'] as const).map((fmt) => <a key={fmt} href={`/api/audit/export?table=${t}&format=${fmt}`} download data-testid={`export-${t}-${fmt}`}>{fmt.toUpperCase()}</a>)}</div>
          ))}
          {run && <div className="export-row">补点建议:{(['xlsx', 'geojson'] as const).map((fmt) => <a key={fmt} href={`/api/audit/export?table=recommend&format=${fmt}&budget=${run.budget}&type=${run.type}`} download>{fmt.toUpperCase()}</a>)}</div>}
          <div className="export-row">审计报告(PDF):<a href="/api/audit/report?paper=A4" target="_blank" rel="noreferrer" data-testid="audit-report-a4">A4</a><a href="/api/audit/report?paper=A3" target="_blank" rel="noreferrer">A3</a></div>
        </section>
      </>}
      overMap={drawing ? <div className="map-message">点击地图添加候选点(县域内)</div> : null}
      right={<>
        <div className="tabs" role="tablist">
          {TABS.map(([t, label]) => <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} data-testid={`tab-${t}`} onClick={() => setTab(t)}>{label}</button>)}
        </div>
        <section className="panel">
          {tab === 'kpi' && f && (
            <div data-testid="kpi-panel">
              <table className="figures kpi">
                <thead><tr><th>指标</th><th>全县</th><th>目标</th></tr></thead>
                <tbody>
                  {KPIS.map(([k, label]) => <tr key={k} data-testid={`kpi-${k}`}><td>{label}</td>{kpiCell(k, f.kpis[k])}<td title={target(k)?.basis}>≥ {pct(target(k)?.target, 0)}</td></tr>)}
                  <tr><td>重点场所覆盖</td><td className={f.placesAll.effective !== null && f.placesAll.effective >= 1 ? "good" : "bad"}>{pct(f.placesAll.effective)}</td><td title="重点公共区域视频监控覆盖率100%">≥ 100%</td></tr>
                </tbody>
              </table>
              <p className="method-note">{'在线率 = 在线 / 全部登记;完好率 = 在线或离线(非故障、非未知)/ 全部;联网率 = 已联网 / 全部;智能化占比 = 智能摄像机 / 全部;建档率 = 必填项(国标编码、名称、安装高度、枪机方向角、视场角、距离、权属单位、安装日期、所属乡镇)齐全 / 全部。红色为未达目标。'}</p>
              <h3>分乡镇</h3>
              <table className="figures kpi small" data-testid="kpi-townships">
                <thead><tr><th>乡镇</th><th>台</th>{KPIS.map(([k, l]) => <th key={k}>{l.replace('智能化占比', '智能化')}</th>)}</tr></thead>
                <tbody>{f.kpiTables.byTownship.map((t) => <tr key={t.code ?? 'none'}><td>{townshipName(t.code)}</td><td>{t.kpis.cameras}</td>{KPIS.map(([k]) => <td key={k} className={t.kpis[k] !== null && t.kpis[k]! >= (target(k)?.target ?? 0) - 1e-9 ? 'good' : 'bad'}>{pct(t.kpis[k], 0)}</td>)}</tr>)}</tbody>
              </table>
              <h3>分权属单位(前 15)</h3>
              <table className="figures kpi small">
                <thead><tr><th>单位</th><th>台</th>{KPIS.map(([k, l]) => <th key={k}>{l.replace('智能化占比', '智能化')}</th>)}</tr></thead>
                <tbody>{f.kpiTables.byOwner.slice(0, 15).map((o) => <tr key={o.owner}><td>{o.owner}</td><td>{o.kpis.cameras}</td>{KPIS.map(([k]) => <td key={k} className={o.kpis[k] !== null && o.kpis[k]! >= (target(k)?.target ?? 0) - 1e-9 ? 'good' : 'bad'}>{pct(o.kpis[k], 0)}</td>)}</tr>)}</tbody>
              </table>
            </div>
          )}
          {tab === 'findings' && (
            <div data-testid="findings-panel">
              {audit.isFetching && <p className="muted">正在核查档案…</p>}
              {audit.error && <p className="bad" role="alert">{errorText(audit.error)}</p>}
              {audit.data && (
                <>
                  <p className="figure-line">{audit.data.cameras} 台摄像机中 <b data-testid="cameras-with-findings">{audit.data.camerasWithFindings}</b> 台有问题,共 {audit.data.findings.length} 条。</p>
                  <select value={findingCode} onChange={(e) => setFindingCode(e.target.value)} data-testid="finding-filter">
                    <option value="">全部问题</option>
                    {Object.entries(audit.data.byCode).filter(([, n]) => n > 0).map(([code, n]) => <option key={code} value={code}>{audit.data!.findings.find((x) => x.code === code)?.title ?? code}({n})</option>)}
                  </select>
                  <ul className="findings">
                    {findings.slice(0, 200).map((x, i) => (
                      <li key={`${x.cameraId}-${x.code}-${i}`} className={`${x.severity} ${x.cameraId === selectedFinding ? 'selected' : ''}`} onClick={() => { setSelectedFinding(x.cameraId); setFocus({ lon: x.suggested?.lon ?? x.lon, lat: x.suggested?.lat ?? x.lat, zoom: 15 }); }}>
                        <b>{x.title}</b> · {x.name}<br /><span className="muted">{x.gbId ?? '无国标编码'} · {x.owner ?? '权属未填'}</span><br />{x.detail}<br /><span className="fix">建议:{x.fix}</span>
                      </li>
                    ))}
                  </ul>
                  {findings.length > 200 && <p className="muted">仅列出前 200 条,全部请导出“档案问题清单”。</p>}
                </>
              )}
            </div>
          )}
          {tab === 'recommend' && (
            <div data-testid="recommend-panel">
              <div className="planner-form">
                <label>新增摄像机数量<input type="number" min={1} max={1000} step={1} value={budget} aria-invalid={!!budgetHint} onChange={(e) => setBudget(e.target.value)} data-testid="budget" />{budgetHint && <span className="field-hint" role="alert" data-testid="hint-budget">{budgetHint}</span>}</label>
                <label>类型<select value={camType} onChange={(e) => setCamType(e.target.value as 'dome')}><option value="dome">球机(整圆)</option><option value="fixed">枪机(扇形,8 个朝向)</option><option value="ptz">云台(整圆)</option></select></label>
                <button className="primary" data-testid="recommend-run" onClick={() => { const hint = fieldHint(BUDGET, budget, '请填写新增摄像机数量'); setBudgetHint(hint); if (hint) return; setFormError(null); setRun({ budget: Number(budget), type: camType }); }}>计算补点方案</button>
                <button onClick={() => setDrawing(!drawing)} className={drawing ? 'active' : ''} data-testid="draw-candidate">{drawing ? '结束添加候选点' : '在地图上添加候选点'}</button>
              </div>
              {formError && <p className="bad" role="alert">{formError}</p>}
              {rec.isFetching && <p className="muted">正在计算补点方案…</p>}
              {rec.error && <p className="bad" role="alert">{errorText(rec.error)}</p>}
              {rec.data && (
                <>
                  <p className="figure-line" data-testid="recommend-summary">候选点 {rec.data.candidates.sites} 个(路口 {rec.data.candidates.intersections},出入口 {rec.data.candidates.entrances},手绘 {rec.data.candidates.drawn})。{rec.data.picks.length} 台新增覆盖风险权重 <b>{rec.data.total.weight.toFixed(1)}</b>(占缺口 {pct(rec.data.total.share)}),基线“案事件最多的路口” {rec.data.baseline.weight.toFixed(1)},为基线的 <b>{rec.data.ratioToBaseline?.toFixed(2) ?? '—'}</b> 倍。</p>
                  <ol className="picks">
                    {rec.data.picks.map((p) => (
                      <li key={p.rank} onClick={() => setFocus({ lon: p.lon, lat: p.lat, zoom: 16 })}>
                        <b>{p.label ?? '候选点'}</b>{p.azimuthDeg !== null && ` · 朝向 ${p.azimuthDeg}°`}<br />
                        <span className="muted">增益 {p.gain.toFixed(1)} · 道路 {p.newRoadM} m · 场所 {p.newPlaces} · 隐患点 {p.newHazards} · 累计 {pct(p.cumulativeShare)}</span>
                      </li>
                    ))}
                  </ol>
                  {rec.data.notes.map((n) => <p key={n} className="warn">{n}</p>)}
                  <p className="method-note">需求:在线摄像机尚未覆盖的道路采样点(每 25 m,按道路等级、周边 50 m 案事件数和所在热点等级加权)、重点场所出入口、隐患点。贪心最大覆盖,每步选新增加权覆盖最大的点位。</p>
                </>
              )}
              {candidates.data && candidates.data.length > 0 && (
                <>
                  <h3>手绘候选点</h3>
                  <ul className="candidates">{candidates.data.map((c) => <li key={c.id}>{c.name} <button onClick={() => removeCandidate.mutate({ id: c.id })}>删除</button></li>)}</ul>
                </>
              )}
            </div>
          )}
        </section>
      </>}
    />
  );
}
