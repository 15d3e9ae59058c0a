// 视频监控覆盖审计报告: the printable audit (A4 portrait or A3 landscape), rendered on the
// server — a map of the townships shaded by effective road coverage with the riskiest road
// gaps and the recommended sites, then the figures, KPIs, register findings and 补点 tables.
// /api/audit/report prints it to PDF with headless Chromium.
import { mapBase, pathOf } from '@/server/services/planner/report';
import { computeCoverage } from '@/server/services/coverage/figures';
import { runAudit } from '@/server/services/coverage/audit';
import { recommend } from '@/server/services/coverage/recommend';
import { KPI_LABELS, KPI_NAMES } from '@/server/services/coverage/kpis';
import { RULES } from '@/server/services/coverage/rules';
import { pageActor } from '@/server/auth/page';
import { withScope } from '@/server/db/scope';
import { cached } from '@/server/analysis-queue';
import { mapError } from '@/server/errors';
import { readParams } from '@/lib/url-params';
import { ParamNotices } from '@/app/components/param-notices';
import { AUDIT_REPORT_PARAMS } from '../audit-params';

export const dynamic = 'force-dynamic';

const pct = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(d)}%`);
const SHADES = ['#fff5f5', '#ffc9c9', '#ff8787', '#f03e3e', '#c92a2a'];

export default async function AuditReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { values: { paper }, notices } = readParams(await searchParams, AUDIT_REPORT_PARAMS);
  const access = await pageActor(`/audit/report?paper=${paper}`, 'export');
  if (access.denied) return <main className="report" data-testid="report-error"><h1>审计报告无法生成</h1><p className="bad">{access.denied}</p></main>;
  let data;
  try {
    // one read-only scope as the requesting user (or the user Chromium prints for)
    const actor = access.actor;
    // analyses: through the queue and cached until the data changes (server/analysis-queue.ts)
    data = await cached({ path: 'report.audit', input: {}, actor, heavy: true }, () =>
      withScope(actor, { attempted: 'building the audit report', readOnly: true }, async (tx) => ({
        base: await mapBase(tx, 1000),
        figures: await computeCoverage(tx, { gaps: true }),
        audit: await runAudit(tx),
        rec: await recommend(tx, { budget: 20, type: 'dome' }),
      })),
    );
  } catch (err) {
    return <main className="report" data-testid="report-error"><h1>审计报告无法生成</h1><p className="bad">{mapError(err).message}</p></main>;
  }
  const { base, figures: f, audit, rec } = data;
  const shareOf = new Map(f.townships.map((t) => [t.code, t.roads.effective ?? 0]));
  const maxShare = Math.max(1e-9, ...shareOf.values());
  const shade = (code?: string) => SHADES[Math.min(4, Math.floor(((shareOf.get(code ?? '') ?? 0) / maxShare) * 4.999))];
  const gaps = (f.gaps?.roads ?? []).slice(0, 30);
  const owners = new Map<string, number>();
  for (const x of audit.findings) owners.set(x.owner ?? '(未填写)', (owners.get(x.owner ?? '(未填写)') ?? 0) + 1);
  return (
    <main className={`report paper-${paper}`} data-testid="report">
      <style>{`@page { size: ${paper} ${paper === 'A3' ? 'landscape' : 'portrait'}; margin: 12mm; } body { background: #fff; }`}</style>
      <ParamNotices notices={notices} />
      <header className="report-head">
        <h1>{base.countyName}视频监控覆盖审计报告(雪亮工程)</h1>
        <p>{base.demo ? '示例数据 · ' : ''}生成于 {new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} · 热点时段 {f.method.hotspotWindow ? `${f.method.hotspotWindow.from.slice(0, 10)} 至 ${f.method.hotspotWindow.to.slice(0, 10)}` : '—'}</p>
      </header>
      <svg viewBox={`0 0 ${base.width} ${base.height}`} className="report-map" role="img" aria-label="乡镇道路有效覆盖率与覆盖缺口">
        {base.base.map((s, i) => <path key={i} d={s.d} fill={s.style === 'county' ? '#fff' : shade(s.code)} stroke={s.style === 'county' ? '#343a40' : '#868e96'} strokeWidth={s.style === 'county' ? 2 : 0.8} />)}
        {gaps.map((g, i) => <path key={`g${i}`} d={pathOf(g.geometry, base.project)} fill="none" stroke="#1864ab" strokeWidth={3} />)}
        {rec.picks.map((p) => { const [x, y] = base.project([p.lon, p.lat]); return <g key={p.rank}><circle cx={x} cy={y} r={7} fill="#1971c2" stroke="#fff" /><text x={x} y={y + 3.5} fontSize={9} textAnchor="middle" fill="#fff">{p.rank}</text></g>; })}
        {base.labels.map((l, i) => <text key={`l${i}`} x={l.x} y={l.y} fontSize={13} textAnchor="middle" fill="#212529">{l.text}</text>)}
      </svg>
      <p className="legend-line">底色:乡镇道路有效覆盖率(最浅 0,最深 {pct(maxShare)});蓝线:风险最高的 30 段未覆盖道路;蓝点:补点建议(20 台球机)序号。</p>
      <h2>一、覆盖情况</h2>
      <table className="report-table">
        <thead><tr><th>对象</th><th>总量</th><th>名义覆盖</th><th>有效覆盖</th><th>口径</th></tr></thead>
        <tbody>
          <tr><td>道路</td><td>{f.roads.totalKm.toFixed(1)} km</td><td>{pct(f.roads.nominal)}</td><td>{pct(f.roads.effective)}</td><td>视野多边形并集内的道路长度;离线损失 {f.roads.lostKm.toFixed(1)} km</td></tr>
          {Object.values(f.roads.byClass).map((b) => <tr key={b.name}><td>　{b.name}</td><td>{b.totalKm.toFixed(1)} km</td><td>{pct(b.nominal)}</td><td>{pct(b.effective)}</td><td /></tr>)}
          <tr><td>重点场所</td><td>{f.placesAll.total} 处</td><td>{pct(f.placesAll.nominal)}</td><td>{pct(f.placesAll.effective)}</td><td>出入口在视野内,或占地 ≥{pct(f.method.footprintShare, 0)} 在视野内</td></tr>
          {Object.values(f.places).map((p) => <tr key={p.name}><td>　{p.name}</td><td>{p.total} 处</td><td>{pct(p.nominal)}</td><td>{pct(p.effective)}</td><td /></tr>)}
          <tr><td>网格面积</td><td>{f.grids.total} 个</td><td>{pct(f.grids.areaShareNominal, 2)}</td><td>{pct(f.grids.areaShareEffective, 2)}</td><td>无有效覆盖网格 {f.grids.withoutCoverage} 个</td></tr>
          <tr><td>隐患点</td><td>{f.hazards.pointsAll.total} 处</td><td>{pct(f.hazards.pointsAll.nominal)}</td><td>{pct(f.hazards.pointsAll.effective)}</td><td>点位落在视野内</td></tr>
          {f.hotspots && <tr><td>热点网格</td><td>{f.hotspots.cells} 个</td><td>{f.hotspots.coveredNominal} 个</td><td>{f.hotspots.coveredEffective} 个</td><td>≥50% 案事件在视野内;热点案事件在有效视野内 {pct(f.hotspots.incidentShareEffective)}</td></tr>}
        </tbody>
      </table>
      <h2>二、考核指标</h2>
      <table className="report-table">
        <thead><tr><th>乡镇</th><th>摄像机</th>{KPI_NAMES.map((k) => <th key={k}>{KPI_LABELS[k]}</th>)}<th>道路有效覆盖</th></tr></thead>
        <tbody>
          {f.townships.map((t) => <tr key={t.code}><td>{t.name}</td><td>{t.kpis.cameras}</td>{KPI_NAMES.map((k) => <td key={k}>{pct(t.kpis[k])}</td>)}<td>{pct(t.roads.effective)}</td></tr>)}
          <tr className="total"><td>全县</td><td>{f.kpis.cameras}</td>{KPI_NAMES.map((k) => <td key={k}>{pct(f.kpis[k])}</td>)}<td>{pct(f.roads.effective)}</td></tr>
          <tr><td>目标</td><td />{KPI_NAMES.map((k) => <td key={k}>≥{pct(f.kpiTables.targets[k].target, 0)}</td>)}<td /></tr>
        </tbody>
      </table>
      <h2>三、档案核查</h2>
      <p>{audit.cameras} 台摄像机中 {audit.camerasWithFindings} 台存在问题,共 {audit.findings.length} 条。按问题类型:{Object.entries(audit.byCode).filter(([, n]) => n > 0).map(([code, n]) => `${audit.findings.find((x) => x.code === code)?.title ?? code} ${n}`).join(';')}。</p>
      <p>问题最多的权属单位:{[...owners.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([o, n]) => `${o} ${n} 条`).join(';')}。完整清单见“档案问题清单”导出。</p>
      <h2>四、覆盖缺口(风险最高的道路)</h2>
      <table className="report-table">
        <thead><tr><th>序号</th><th>道路</th><th>未覆盖长度</th><th>周边案事件</th><th>风险分</th></tr></thead>
        <tbody>{gaps.slice(0, 15).map((g, i) => <tr key={i}><td>{i + 1}</td><td>{g.name ?? '未命名道路'}</td><td>{Math.round(g.gapM)} m</td><td>{g.incidents}</td><td>{g.risk.toFixed(2)}</td></tr>)}</tbody>
      </table>
      <h2>五、补点建议(20 台球机)</h2>
      <p>候选点 {rec.candidates.sites} 个;新增覆盖风险权重 {rec.total.weight.toFixed(1)}(占缺口 {pct(rec.total.share)}),基线(案事件最多的路口){rec.baseline.weight.toFixed(1)},为基线的 {rec.ratioToBaseline?.toFixed(2) ?? '—'} 倍。</p>
      <table className="report-table">
        <thead><tr><th>序号</th><th>位置</th><th>经度</th><th>纬度</th><th>边际增益</th><th>新增道路</th><th>场所</th><th>隐患点</th></tr></thead>
        <tbody>{rec.picks.map((p) => <tr key={p.rank}><td>{p.rank}</td><td>{p.label ?? '候选点'}</td><td>{p.lon.toFixed(6)}</td><td>{p.lat.toFixed(6)}</td><td>{p.gain.toFixed(1)}</td><td>{p.newRoadM} m</td><td>{p.newPlaces}</td><td>{p.newHazards}</td></tr>)}</tbody>
      </table>
      <h2>方法说明</h2>
      <ul className="method-list">{methodItems(f.method.hotspotWindow).map((m) => <li key={m}>{m}</li>)}</ul>
    </main>
  );
}

/** The method, in Chinese, with the numbers of the rules file (geodata/coverage.json) this report was computed with. */
function methodItems(window: { from: string; to: string } | null): string[] {
  const v = RULES.view;
  const r = RULES.recommend;
  const p = (x: number) => `${Math.round(x * 100)}%`;
  const day = (iso: string) => iso.slice(0, 10);
  return [
    `视野:枪机有方位角时为扇形,顶点在摄像机,以方位角为中线(0° 为正北,顺时针),张角为视场角,半径为登记可视距离;球机、云台(或 360° 视场)为整圆,有效半径为登记距离 × ${v.rangeFactor.dome}(球机)/ ${v.rangeFactor.ptz}(云台);缺少方位角、视场角或可视距离的摄像机视野未知,计数但不计覆盖。弧线每 ${v.arcStepDeg}° 一个顶点,按椭球大地线计算。${v.occlusion ? '有占地轮廓的高层建筑遮挡其后方地面(建筑轮廓凸包及其各角点沿视线外推所成区域);摄像机所在建筑不遮挡。' : ''}`,
    `名义覆盖计入全部视野已知的登记摄像机;有效覆盖仅计入状态为在线的摄像机;两者之差为离线、故障造成的覆盖损失。`,
    `道路:视野并集内的道路长度,按所在 UTM 带以米计。重点场所:出入口(无则为位置点)在视野内,或占地面积 ${p(RULES.places.footprintShare)} 以上在视野并集内即为覆盖;宾馆客房、集体宿舍、更衣室等私密场所不作为覆盖对象。网格:面积和道路长度在视野内的比例。隐患点:点位在视野内即为监控;隐患区按面积比例。`,
    `热点:${RULES.hotspots.months} 个月内案事件的 Gi* 热点网格(${RULES.hotspots.cellM} m 方格,${RULES.hotspots.distanceM} m 邻域,FDR 校正后 90/95/99% 置信热点)${window ? `,${day(window.from)} 至 ${day(window.to)}` : '(无案事件,未计算)'};网格内 ${p(RULES.hotspots.coveredIncidentShare)} 以上案事件发生在视野内即为覆盖。`,
    `考核指标:在线率 = 在线 / 全部登记;完好率 = 非故障且状态已知 / 全部;联网率 = 已联网 / 全部;智能化占比 = 智能摄像机 / 全部;建档率 = 必填项(国标编码、名称、安装高度、枪机方向角、视场角、距离、权属单位、安装日期、所属乡镇)齐全 / 全部。`,
    `补点:需求为在线摄像机尚未覆盖的对象——道路每 ${r.roadSampleM} m 一个采样点(权重 = 道路等级权重 ×(1 + ${r.incidentWeight} × ${r.incidentRadiusM} m 内案事件数)× 热点系数),重点场所出入口(每处 ${r.placeWeight}),隐患点(按风险等级 1–4 依次 ${['1', '2', '3', '4'].map((k) => r.hazardWeightPerLevel[k as '1'] ?? 0).join('/')})。候选点为道路交叉口、重点场所出入口和手绘候选点;贪心最大覆盖,每步选新增需求权重最大的点位(枪机同时选 8 个方向之一)。基线为同样数量的、100 m 内案事件最多的交叉口。`,
  ];
}
