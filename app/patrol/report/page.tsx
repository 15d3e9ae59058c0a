// 巡防研判报告: the printable report of the patrol page (A4 portrait), rendered on the
// server: the dosage map with the planned routes, the 见警率 map and hour chart, then the
// tables. /api/patrol/report prints this page to PDF; it also opens in a browser as it is.
import { parsePatrolParams, type PatrolParams } from '@/server/services/patrol/params';
import { buildPatrolReport } from '@/server/services/patrol/report';
import { pageActor } from '@/server/auth/page';
import { withScope } from '@/server/db/scope';
import { cached } from '@/server/analysis-queue';
import { mapError } from '@/server/errors';
import { DROP_RULE_LABELS, DROP_RULES } from '@/server/services/patrol/rules';
import { css, DOSAGE_COLORS, DOSAGE_LABELS, dosageClass, pctText as pct, VISIBILITY_COLORS, VISIBILITY_LABELS, visibilityClass } from '../patrol-styles';

export const dynamic = 'force-dynamic';

export default async function PatrolReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = new URLSearchParams(Object.entries(await searchParams).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])));
  const fail = (message: string) => <main className="report" data-testid="report-error"><h1>巡防研判报告无法生成</h1><p className="bad">{message}</p></main>;
  let p: PatrolParams;
  try {
    p = parsePatrolParams(raw);
  } catch (err) {
    return fail(mapError(err).message);
  }
  const access = await pageActor(`/patrol/report?${raw.toString()}`, 'export');
  if (access.denied) return fail(access.denied);
  let r;
  try {
    const actor = access.actor;
    r = await cached({ path: 'report.patrol', input: p, actor, heavy: true }, () => withScope(actor, { attempted: 'building the patrol report', readOnly: true }, (tx) => buildPatrolReport(tx, p)));
  } catch (err) {
    return fail(mapError(err).message);
  }
  const m = r.map;
  const d = r.dosage;
  const v = r.visibility;
  const maxHour = Math.max(0.01, ...v.hours.map((h) => Math.max(h.rate, h.incidentShare)));
  const top = [...d.areas].sort((a, b) => b.incidents - a.incidents).slice(0, 25);
  return (
    <main className="report paper-A4" data-testid="patrol-report">
      <style>{'@page { size: A4 portrait; margin: 12mm; } body { background: #fff; }'}</style>
      <header className="report-head">
        <h1>{r.countyName}巡防研判报告</h1>
        <div className="report-meta">
          统计期 {d.method.period.from} 至 {d.method.period.to}(不含)· 生成于 {new Date(r.generatedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}
          {r.demo && <span className="badge demo-badge">示例数据</span>}
        </div>
      </header>
      <section className="report-map">
        <h2>热点巡防投放量</h2>
        <p className="figure-line">{d.totals.areas} 个热点区域,到访 {d.totals.visits} 次、路过 {d.totals.driveThroughs} 次,巡逻停留 {Math.round(d.totals.presenceMinutes)} 分钟;Koper 合规(10–15 分钟){pct(d.totals.koperShare)};案发集中时段 2 小时内复巡 {pct(d.totals.hotSlotShare)};未到访 {d.totals.unvisited} 个。</p>
        <svg viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label="巡防投放量地图">
          <rect x={0} y={0} width={m.width} height={m.height} fill="#f8f9fa" />
          {m.base.map((s, i) => <path key={`b${i}`} d={s.d} fill={s.style === 'county' ? '#fff' : 'none'} stroke={s.style === 'county' ? '#343a40' : '#adb5bd'} strokeWidth={s.style === 'county' ? 2 : 0.8} />)}
          {m.routes.map((s, i) => <path key={`r${i}`} d={s.d} fill="none" stroke="#1971c2" strokeWidth={1.4} />)}
          {m.areas.map((s, i) => <path key={`a${i}`} d={s.d} fill={css(DOSAGE_COLORS[dosageClass(s.minutes)]!, 0.85)} stroke="#212529" strokeWidth={0.4} />)}
          {m.labels.map((l, i) => <text key={`t${i}`} x={l.x} y={l.y} fontSize={12} textAnchor="middle" fill="#495057">{l.text}</text>)}
        </svg>
        <ul className="report-legend">
          {DOSAGE_LABELS.map((l, k) => <li key={l}><span className="swatch swatch-fill" style={{ background: css(DOSAGE_COLORS[k]!) }} />{l}</li>)}
          <li><span className="swatch" style={{ background: '#1971c2', height: 3 }} />计划巡逻路线</li>
        </ul>
        <p className="method-note">区域:{d.method.areas};{d.method.radiusM} 米内的定位点计为在场。{d.method.visitGap}。不足 {d.method.driveThroughMaxSeconds} 秒为路过。{d.method.hotHours};{d.method.revisit}。</p>
      </section>
      <section>
        <h2>热点明细(案事件最多的 {top.length} 个)</h2>
        <table className="data report-table">
          <thead><tr><th>区域</th><th>案事件</th><th>集中时段</th><th>停留分钟</th><th>到访</th><th>路过</th><th>Koper</th><th>复巡</th></tr></thead>
          <tbody>{top.map((a) => <tr key={a.id}><td>{a.label}</td><td>{a.incidents}</td><td className="wrap">{a.hotHours.map((h) => `${h}时`).join('、') || '—'}</td><td>{Math.round(a.presenceMinutes)}</td><td>{a.visits}</td><td>{a.driveThroughs}</td><td>{pct(a.koperShare, 0)}</td><td>{a.hotSlotsMet}/{a.hotSlots}</td></tr>)}</tbody>
        </table>
      </section>
      <section>
        <h2>巡逻队 Koper 合规</h2>
        <table className="data report-table">
          <thead><tr><th>巡逻队</th><th>到访</th><th>10–15 分钟</th><th>偏短</th><th>偏长</th><th>路过</th><th>合规率</th></tr></thead>
          <tbody>{d.teams.map((t) => <tr key={String(t.teamId)}><td>{t.team}</td><td>{t.visits}</td><td>{t.koperVisits}</td><td>{t.shortVisits}</td><td>{t.longVisits}</td><td>{t.driveThroughs}</td><td>{pct(t.koperShare)}</td></tr>)}</tbody>
        </table>
      </section>
      <section className="report-map">
        <h2>见警率 {pct(v.rate)}</h2>
        <p className="method-note">{v.method.definition}。</p>
        <svg viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label="见警率地图">
          <rect x={0} y={0} width={m.width} height={m.height} fill="#f8f9fa" />
          {m.units.map((s, i) => <path key={`u${i}`} d={s.d} fill={css(VISIBILITY_COLORS[visibilityClass(s.rate)]!, 0.8)} stroke="#fff" strokeWidth={0.5} />)}
          {m.base.map((s, i) => <path key={`b${i}`} d={s.d} fill="none" stroke={s.style === 'county' ? '#343a40' : '#868e96'} strokeWidth={s.style === 'county' ? 2 : 0.8} />)}
        </svg>
        <ul className="report-legend">{VISIBILITY_LABELS.map((l, k) => <li key={l}><span className="swatch swatch-fill" style={{ background: css(VISIBILITY_COLORS[k]!) }} />{l}</li>)}</ul>
        <svg viewBox="0 0 720 170" width="100%" role="img" aria-label="分时段见警率">
          {v.hours.map((h) => (
            <g key={h.hour}>
              <rect x={30 + h.hour * 28} y={140 - (h.rate / maxHour) * 120} width={12} height={(h.rate / maxHour) * 120} fill="#1971c2" />
              <rect x={43 + h.hour * 28} y={140 - (h.incidentShare / maxHour) * 120} width={10} height={(h.incidentShare / maxHour) * 120} fill="#e8590c" />
              <text x={40 + h.hour * 28} y={158} fontSize={10} textAnchor="middle">{h.hour}</text>
            </g>
          ))}
          <text x={30} y={12} fontSize={11} fill="#1971c2">■ 见警率(该时段有巡逻的单元占比)</text>
          <text x={300} y={12} fontSize={11} fill="#e8590c">■ 案事件占比</text>
        </svg>
        <h3>案发高峰时段见警不足</h3>
        <table className="data report-table">
          <thead><tr><th>{v.method.unit === 'grid' ? '网格' : '乡镇'}</th><th>时段</th><th>案事件</th><th>有巡逻的天数</th></tr></thead>
          <tbody>{v.peaks.filter((x) => x.miss).slice(0, 15).map((x) => <tr key={`${x.code}-${x.hour}`}><td>{x.unit}</td><td>{x.hour} 时</td><td>{x.incidents}</td><td>{pct(x.presenceShare, 0)}</td></tr>)}</tbody>
        </table>
      </section>
      <section>
        <h2>巡逻路线覆盖({r.coverage.method.routes} 条路线,{r.coverage.method.withinM} 米内)</h2>
        <table className="data report-table">
          <thead><tr><th>类别</th><th>总数</th><th>已覆盖</th><th>覆盖率</th></tr></thead>
          <tbody>{r.coverage.kinds.map((k) => <tr key={k.kind}><td>{k.label}</td><td>{k.total}</td><td>{k.covered}</td><td>{pct(k.share)}</td></tr>)}</tbody>
        </table>
        <p className="method-note">未覆盖(最远的 10 个):{r.coverage.uncovered.slice(0, 10).map((i) => `${i.label}(${i.distanceM ?? '—'} 米)`).join('、') || '无'}</p>
      </section>
      <section>
        <h2>轨迹清洗</h2>
        <table className="data report-table">
          <thead><tr><th>巡逻队</th><th>设备</th><th>定位点</th><th>保留</th>{DROP_RULES.map((x) => <th key={x}>{DROP_RULE_LABELS[x]}</th>)}<th>段数</th></tr></thead>
          <tbody>{r.teams.flatMap((t) => t.tracks.map((x) => <tr key={x.device}><td>{t.name}</td><td>{x.device}</td><td>{x.fixes}</td><td>{x.kept}</td>{DROP_RULES.map((k) => <td key={k}>{x.dropped[k] ?? 0}</td>)}<td>{x.segments}</td></tr>))}</tbody>
        </table>
      </section>
    </main>
  );
}
