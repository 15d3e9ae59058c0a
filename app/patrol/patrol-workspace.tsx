'use client';
// 巡防研判: the patrol page. Left: the period and the areas measured (Gi* hotspots, listed
// rectification targets, or an area drawn on the map), exports and the printed report.
// Centre: the shared map with dosage per hotspot, 见警率, planned routes, track playback and
// the suggested loop. Right: tabs for dosage, Koper compliance per team, 见警率 with its
// hour chart and missed peaks, route coverage, route suggestion and the tracks' cleaning.
import { useEffect, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { MapView } from '../map/map-view';
import { daysBefore } from '../map/map-params';
import { useBasemap } from '../map/use-basemap';
import { errorText } from '../components/error-text';
import { todayInChina } from '@/lib/china-time';
import { css, DOSAGE_COLORS, dosageClass, pctText as pct } from './patrol-styles';

type Tab = 'dosage' | 'teams' | 'visibility' | 'coverage' | 'suggest' | 'cleaning';
const TABS: [Tab, string][] = [['dosage', '投放量'], ['teams', 'Koper 合规'], ['visibility', '见警率'], ['coverage', '路线覆盖'], ['suggest', '路线建议'], ['cleaning', '轨迹清洗']];
const RULE_LABELS: Record<string, string> = { outside: '县界外', backwards: '时间倒退', duplicate: '时间重复', speed: '速度跳点' };

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function PatrolWorkspace() {
  const trpc = useTRPC();
  const { endDate } = useBasemap();
  const dataEnd = endDate ?? todayInChina();
  const [tab, setTab] = useState<Tab>('dosage');
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [areaKind, setAreaKind] = useState<'hotspots' | 'targets' | 'drawn'>('hotspots');
  const [drawn, setDrawn] = useState<[number, number][]>([]);
  const [drawing, setDrawing] = useState(false);
  const [focus, setFocus] = useState<{ lon: number; lat: number; zoom?: number } | { bbox: [number, number, number, number] } | null>(null);
  const [framed, setFramed] = useState(false);
  // a link that opened the page with its own view (#zoom/lat/lon) keeps it
  const [linkedView] = useState(() => typeof window !== 'undefined' && window.location.hash.length > 1);
  const [teamId, setTeamId] = useState<number | null>(null);
  const [shift, setShift] = useState<string>('');
  const [mode, setMode] = useState<'walk' | 'drive'>('drive');
  const [suggestRun, setSuggestRun] = useState<{ teamId: number; start: string; end: string; mode: 'walk' | 'drive' } | null>(null);

  const period = { from: from ?? daysBefore(dataEnd, 6), to: to ?? nextDay(dataEnd) };
  const closed = drawn.length >= 3 && !drawing;
  const areas = areaKind === 'drawn'
    ? (closed ? { kind: 'drawn' as const, name: '手绘区域', geometry: { type: 'Polygon' as const, coordinates: [[...drawn, drawn[0]!]] } } : null)
    : areaKind === 'targets' ? { kind: 'targets' as const } : { kind: 'hotspots' as const, cellM: 500, distanceM: 1200 };
  const dosageInput = areas ? { period, areas } : undefined;
  const visInput = { period, unit: 'auto' as const };
  const dosage = useQuery({ ...trpc.patrol.dosage.queryOptions(dosageInput ?? { period, areas: { kind: 'targets' } }), enabled: dosageInput !== undefined, retry: false, staleTime: Infinity });
  const vis = useQuery({ ...trpc.patrol.visibility.queryOptions(visInput), enabled: tab === 'visibility', retry: false, staleTime: Infinity });
  const cover = useQuery({ ...trpc.patrol.coverage.queryOptions({ to: period.to }), enabled: tab === 'coverage', retry: false, staleTime: Infinity });
  const teams = useQuery({ ...trpc.patrol.teams.queryOptions(), retry: false });
  const suggestInput = suggestRun ? { teamId: suggestRun.teamId, shift: { start: suggestRun.start, end: suggestRun.end }, mode: suggestRun.mode, to: period.to } : undefined;
  const suggestion = useQuery({ ...trpc.patrol.suggest.queryOptions(suggestInput ?? { teamId: 1, to: period.to }), enabled: suggestInput !== undefined, retry: false, staleTime: Infinity });

  const team = teams.data?.find((t) => t.id === teamId) ?? teams.data?.[0];
  const shifts = team?.shifts ?? [];
  const chosenShift = shift || (shifts[0] ? `${shifts[0].start}-${shifts[0].end}` : '20:00-22:00');

  const layerParams = useMemo(() => ({ 'patrol-dosage': dosageInput, visibility: tab === 'visibility' ? visInput : undefined, 'suggested-route': suggestInput }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(dosageInput), tab, JSON.stringify(visInput), JSON.stringify(suggestInput)]);
  const forced = useMemo(() => ({ 'patrol-dosage': dosageInput !== undefined && tab !== 'visibility', visibility: tab === 'visibility', 'suggested-route': suggestInput !== undefined }), [dosageInput !== undefined, tab, suggestInput !== undefined]); // eslint-disable-line react-hooks/exhaustive-deps

  const query = new URLSearchParams({ from: period.from, to: period.to, areas: areaKind === 'targets' ? 'targets' : 'hotspots' });
  const suggestQuery = suggestRun ? `&team=${suggestRun.teamId}&start=${suggestRun.start}&end=${suggestRun.end}&mode=${suggestRun.mode}` : '';
  const onMapClick = ([lon, lat]: [number, number]) => {
    if (!drawing) return false;
    setDrawn((d) => [...d, [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]]);
    return true;
  };
  const d = dosage.data;
  // the first answer frames its areas (the hotspots sit in the county seat, small at county zoom)
  useEffect(() => {
    if (framed || !d?.areas.length) return;
    setFramed(true);
    if (linkedView) return;
    const lons = d.areas.map((a) => a.lon), lats = d.areas.map((a) => a.lat);
    setFocus({ bbox: [Math.min(...lons) - 0.01, Math.min(...lats) - 0.01, Math.max(...lons) + 0.01, Math.max(...lats) + 0.01] });
  }, [d, framed, linkedView]);
  const sortedAreas = useMemo(() => [...(d?.areas ?? [])].sort((a, b) => b.incidents - a.incidents), [d]);
  const maxHour = Math.max(0.01, ...(vis.data?.hours ?? []).map((h) => Math.max(h.rate, h.incidentShare)));

  return (
    <MapView
      preset="patrol"
      activeNav="patrol"
      className="planner patrol"
      params={layerParams}
      forced={forced}
      focus={focus}
      onMapClick={onMapClick}
      overMap={drawing ? <div className="map-message">点击地图依次添加区域顶点(已 {drawn.length} 个),完成后点“结束绘制”</div> : null}
      left={<>
        <section className="panel" data-testid="patrol-form">
          <h2>巡防研判</h2>
          <div className="planner-form">
            <label>统计期自<input type="date" value={period.from} max={period.to} onChange={(e) => setFrom(e.target.value || null)} data-testid="patrol-from" /></label>
            <label>至(不含)<input type="date" value={period.to} min={period.from} onChange={(e) => setTo(e.target.value || null)} data-testid="patrol-to" /></label>
            <label>研判区域
              <select value={areaKind} onChange={(e) => { setAreaKind(e.target.value as 'hotspots'); setDrawing(false); }} data-testid="patrol-areas">
                <option value="hotspots">Gi* 热点网格(近一年)</option>
                <option value="targets">挂牌整治目标</option>
                <option value="drawn">在地图上绘制</option>
              </select>
            </label>
            {areaKind === 'drawn' && (
              <div className="export-row">
                <button onClick={() => { if (!drawing) setDrawn([]); setDrawing(!drawing); }} className={drawing ? 'active' : ''} data-testid="draw-area">{drawing ? '结束绘制' : '开始绘制'}</button>
                {drawn.length > 0 && <button onClick={() => { setDrawn([]); setDrawing(false); }}>清除</button>}
                {!drawing && drawn.length > 0 && drawn.length < 3 && <span className="bad">至少需要 3 个顶点</span>}
              </div>
            )}
          </div>
          <p className="method-note">到访:巡逻定位点进入区域 100 米内,间隔不超过 2 个定位周期视为同一次;不足 1 分钟为路过。Koper 曲线:停留 10–15 分钟效果最好;案发集中时段应至少每 2 小时到访一次。</p>
        </section>
        <section className="panel exports">
          <h2>导出与报告</h2>
          {([['dosage', '热点投放量'], ['teams', 'Koper 合规'], ['visibility', '见警率'], ['peaks', '高峰见警'], ['coverage', '路线覆盖'], ['cleaning', '轨迹清洗']] as const).map(([t, label]) => (
            <div key={t} className="export-row">{label}:{(['xlsx', 'csv', 'geojson'] as const).map((fmt) => <a key={fmt} href={`/api/patrol/export?table=${t}&format=${fmt}&${query.toString()}`} download data-testid={`export-${t}-${fmt}`}>{fmt.toUpperCase()}</a>)}</div>
          ))}
          {suggestRun && <div className="export-row">建议路线:{(['gpx', 'xlsx', 'geojson'] as const).map((fmt) => <a key={fmt} href={`/api/patrol/export?table=suggest&format=${fmt}&${query.toString()}${suggestQuery}`} download data-testid={`export-suggest-${fmt}`}>{fmt.toUpperCase()}</a>)}</div>}
          <div className="export-row">巡防研判报告:<a href={`/patrol/report?${query.toString()}`} target="_blank" rel="noreferrer" data-testid="patrol-report-html">网页</a><a href={`/api/patrol/report?${query.toString()}`} target="_blank" rel="noreferrer">PDF(A4)</a></div>
        </section>
      </>}
      right={<>
        <div className="tabs" role="tablist">
          {TABS.map(([t, label]) => <button key={t} role="tab" aria-selected={tab === t} className={tab === t ? 'active' : ''} data-testid={`tab-${t}`} onClick={() => setTab(t)}>{label}</button>)}
        </div>
        <section className="panel">
          {(tab === 'dosage' || tab === 'teams') && (
            <div data-testid={`${tab}-panel`}>
              {!dosageInput && <p className="muted">请在地图上绘制区域(至少 3 个顶点)。</p>}
              {dosage.isFetching && <p className="muted">正在计算巡防投放量…</p>}
              {dosage.error && <p className="bad" role="alert">{errorText(dosage.error)}</p>}
              {d && tab === 'dosage' && (
                <>
                  <p className="figure-line" data-testid="dosage-summary">{d.totals.areas} 个区域:到访 <b>{d.totals.visits}</b> 次、路过 {d.totals.driveThroughs} 次,停留 {Math.round(d.totals.presenceMinutes)} 分钟;Koper 合规 <b>{pct(d.totals.koperShare)}</b>;热时段 2 小时复巡 <b>{pct(d.totals.hotSlotShare)}</b>;<span className={d.totals.unvisited ? 'bad' : ''}>未到访 {d.totals.unvisited} 个</span></p>
                  <table className="figures small" data-testid="dosage-table">
                    <thead><tr><th>区域</th><th>案事件</th><th>停留分</th><th>到访</th><th>路过</th><th>Koper</th><th>复巡</th></tr></thead>
                    <tbody>{sortedAreas.slice(0, 100).map((a) => (
                      <tr key={a.id} onClick={() => setFocus({ lon: a.lon, lat: a.lat, zoom: 15 })} className="clickable" title={`集中时段 ${a.hotHours.map((h) => `${h}时`).join('、') || '—'}`}>
                        <td><span className="swatch swatch-fill" style={{ background: css(DOSAGE_COLORS[dosageClass(a.presenceMinutes)]!) }} />{a.label}</td><td>{a.incidents}</td><td>{Math.round(a.presenceMinutes)}</td><td>{a.visits}</td><td>{a.driveThroughs}</td><td>{pct(a.koperShare, 0)}</td><td>{a.hotSlots ? `${a.hotSlotsMet}/${a.hotSlots}` : '—'}</td>
                      </tr>
                    ))}</tbody>
                  </table>
                  {sortedAreas.length > 100 && <p className="muted">仅列出案事件最多的 100 个,全部请导出。</p>}
                  <p className="method-note">{d.method.hotHours};{d.method.revisit}。分时段:{d.method.bands}。</p>
                </>
              )}
              {d && tab === 'teams' && (
                <>
                  <table className="figures small" data-testid="teams-table">
                    <thead><tr><th>巡逻队</th><th>到访</th><th>10–15分</th><th>偏短</th><th>偏长</th><th>路过</th><th>合规率</th></tr></thead>
                    <tbody>{d.teams.map((t) => <tr key={String(t.teamId)}><td>{t.team}</td><td>{t.visits}</td><td>{t.koperVisits}</td><td>{t.shortVisits}</td><td>{t.longVisits}</td><td>{t.driveThroughs}</td><td className={t.koperShare !== null && t.koperShare >= 0.3 ? 'good' : 'bad'}>{pct(t.koperShare)}</td></tr>)}</tbody>
                  </table>
                  <p className="method-note">到访按各巡逻队自己的设备计;10–15 分钟为 Koper 合规(Koper 1995:停留 10–16 分钟,离开后 30 分钟内发案 4%,路过为 15%)。</p>
                </>
              )}
            </div>
          )}
          {tab === 'visibility' && (
            <div data-testid="visibility-panel">
              {vis.isFetching && <p className="muted">正在计算见警率…</p>}
              {vis.error && <p className="bad" role="alert">{errorText(vis.error)}</p>}
              {vis.data && (
                <>
                  <p className="figure-line">见警率 <b data-testid="visibility-rate">{pct(vis.data.rate)}</b>({vis.data.method.definition})</p>
                  <svg viewBox="0 0 360 130" width="100%" role="img" aria-label="分时段见警率" data-testid="visibility-hours">
                    {vis.data.hours.map((h) => (
                      <g key={h.hour}>
                        <rect x={12 + h.hour * 14.5} y={105 - (h.rate / maxHour) * 90} width={6} height={(h.rate / maxHour) * 90} fill="#1971c2"><title>{`${h.hour} 时 见警率 ${pct(h.rate)}`}</title></rect>
                        <rect x={18.5 + h.hour * 14.5} y={105 - (h.incidentShare / maxHour) * 90} width={5} height={(h.incidentShare / maxHour) * 90} fill="#e8590c"><title>{`${h.hour} 时 案事件占 ${pct(h.incidentShare)}`}</title></rect>
                        {h.hour % 3 === 0 && <text x={15 + h.hour * 14.5} y={120} fontSize={9} textAnchor="middle">{h.hour}</text>}
                      </g>
                    ))}
                    <text x={12} y={10} fontSize={9} fill="#1971c2">■ 见警率</text>
                    <text x={80} y={10} fontSize={9} fill="#e8590c">■ 案事件占比</text>
                  </svg>
                  <h3>案发高峰见警不足({vis.data.peaks.filter((p) => p.miss).length} 处)</h3>
                  <table className="figures small" data-testid="peaks-table">
                    <thead><tr><th>{vis.data.method.unit === 'grid' ? '网格' : '乡镇'}</th><th>时段</th><th>案事件</th><th>有巡逻天数</th></tr></thead>
                    <tbody>{vis.data.peaks.filter((p) => p.miss).slice(0, 40).map((p) => <tr key={`${p.code}-${p.hour}`}><td>{p.unit}</td><td>{p.hour} 时</td><td>{p.incidents}</td><td className="bad">{pct(p.presenceShare, 0)}</td></tr>)}</tbody>
                  </table>
                </>
              )}
            </div>
          )}
          {tab === 'coverage' && (
            <div data-testid="coverage-panel">
              {cover.isFetching && <p className="muted">正在计算路线覆盖…</p>}
              {cover.error && <p className="bad" role="alert">{errorText(cover.error)}</p>}
              {cover.data && (
                <>
                  <table className="figures">
                    <thead><tr><th>类别</th><th>总数</th><th>覆盖</th><th>比例</th></tr></thead>
                    <tbody>{cover.data.kinds.map((k) => <tr key={k.kind}><td>{k.label}</td><td>{k.total}</td><td>{k.covered}</td><td>{pct(k.share)}</td></tr>)}</tbody>
                  </table>
                  <p className="method-note">{cover.data.method.routes} 条计划巡逻路线 {cover.data.method.withinM} 米内为覆盖。{cover.data.method.places}</p>
                  <h3>未覆盖({cover.data.uncovered.length})</h3>
                  <ul className="findings">{cover.data.uncovered.slice(0, 60).map((i) => <li key={`${i.kind}-${i.id}`} onClick={() => setFocus({ lon: i.lon, lat: i.lat, zoom: 15 })}><b>{i.label}</b><br /><span className="muted">距最近路线 {i.distanceM ?? '—'} 米{i.route ? `(${i.route})` : ''}</span></li>)}</ul>
                </>
              )}
            </div>
          )}
          {tab === 'suggest' && (
            <div data-testid="suggest-panel">
              <div className="planner-form">
                <label>巡逻队<select value={team?.id ?? ''} onChange={(e) => { setTeamId(Number(e.target.value)); setShift(''); }} data-testid="suggest-team">{(teams.data ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}</select></label>
                <label>班次<select value={chosenShift} onChange={(e) => setShift(e.target.value)} data-testid="suggest-shift">
                  {[...new Set([...shifts.map((s) => `${s.start}-${s.end}`), '20:00-22:00', '08:00-10:00', '22:00-02:00'])].map((s) => <option key={s} value={s}>{s.replace('-', '–')}</option>)}
                </select></label>
                <label>方式<select value={mode} onChange={(e) => setMode(e.target.value as 'walk')}><option value="drive">车巡</option><option value="walk">步巡</option></select></label>
                <button className="primary" disabled={!team} data-testid="suggest-run" onClick={() => { const [start, end] = chosenShift.split('-') as [string, string]; setSuggestRun({ teamId: team!.id, start, end, mode }); }}>生成建议路线</button>
              </div>
              {suggestion.isFetching && <p className="muted">正在规划路线…</p>}
              {suggestion.error && <p className="bad" role="alert">{errorText(suggestion.error)}</p>}
              {suggestion.data && (() => {
                const s = suggestion.data;
                return (
                  <>
                    <p className="figure-line" data-testid="suggest-summary">{s.team.name} {s.shift.start}–{s.shift.end}:{s.stops.length} 个热点,行程 {s.minutes.travel} 分钟 + 停留 {s.minutes.stops} 分钟 = <b>{s.minutes.total}</b> / {s.shift.minutes} 分钟;覆盖风险 <b>{pct(s.weight.share)}</b></p>
                    <ol className="picks">{s.stops.map((p) => <li key={p.order} onClick={() => setFocus({ lon: p.lon, lat: p.lat, zoom: 16 })}><b>{p.label}</b><br /><span className="muted">约第 {p.arriveMinute} 分钟到达 · 权重 {p.weight}(班次时段案事件 {p.incidentsInShift}){p.onPlannedRoute ? ' · 计划路线已经过' : ''}</span></li>)}</ol>
                    {s.leftOut.length > 0 && <><h3>未纳入({s.leftOut.length})</h3><ul className="findings">{s.leftOut.slice(0, 15).map((l) => <li key={l.id}>{l.label}:{l.reason}(权重 {l.weight})</li>)}</ul></>}
                    <p className="method-note">{s.method}</p>
                  </>
                );
              })()}
            </div>
          )}
          {tab === 'cleaning' && (
            <div data-testid="cleaning-panel">
              {teams.error && <p className="bad" role="alert">{errorText(teams.error)}</p>}
              <table className="figures small">
                <thead><tr><th>设备</th><th>定位点</th><th>保留</th><th>剔除</th><th>段</th><th>间隔</th></tr></thead>
                <tbody>{(teams.data ?? []).flatMap((t) => t.tracks.map((x) => (
                  <tr key={x.device} title={t.name}><td>{x.device}</td><td>{x.fixes}</td><td>{x.kept}</td><td>{Object.entries(x.dropped).filter(([, n]) => n > 0).map(([k, n]) => `${RULE_LABELS[k] ?? k} ${n}`).join('、') || '—'}</td><td>{x.segments}</td><td>{x.intervalS ?? '—'} 秒</td></tr>
                )))}</tbody>
              </table>
              <p className="method-note">清洗规则(geodata/patrol-rules.json):县界外、时间倒退、时间重复、速度超过 150 km/h 的跳点剔除并另行保存;中断超过 10 分钟切分为新的轨迹段。</p>
            </div>
          )}
        </section>
      </>}
    />
  );
}
