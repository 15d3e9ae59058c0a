// 研判报告: the printable report of a planner's analysis (A4 portrait or A3 landscape),
// rendered on the server: the map as SVG, then the tables. /api/planner/report prints
// this page to PDF with headless Chromium; it also opens in a browser as it is.
import { parsePlannerParams } from '@/server/services/planner/params';
import { buildReport, type ReportMode } from '@/server/services/planner/report';
import { pageActor } from '@/server/auth/page';
import { withScope } from '@/server/db/scope';
import { cached } from '@/server/analysis-queue';
import { mapError } from '@/server/errors';
import { ParamNotices } from '@/app/components/param-notices';
import { readPlannerParams, REPORT_PARAMS } from '../planner-params';
import { EMERGING_COLOR, EMERGING_STYLE, GISTAR_COLOR, GISTAR_STYLE, KDE_COLORS, STATUS_LABEL, type HotspotClass, type Rgb } from '../analysis-styles';

export const dynamic = 'force-dynamic';

const rgb = (c: Rgb, a = 1) => `rgba(${c.join(',')},${a})`;

function fillOf(style: string): string {
  if (style.startsWith('kde-')) return rgb(KDE_COLORS[Number(style.slice(4))]!, 0.8);
  if (style in GISTAR_COLOR) return rgb(GISTAR_COLOR[style as HotspotClass], 0.85);
  if (style in EMERGING_COLOR) return rgb(EMERGING_COLOR[style]!, 0.9);
  return 'none';
}

export default async function ReportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // every parameter read through its schema (planner-params.ts): a bad one is its default, with a notice
  const { values: v, notices } = readPlannerParams(await searchParams, REPORT_PARAMS);
  const { paper } = v;
  const mode: ReportMode = v.mode;
  const q = new URLSearchParams();
  for (const k of ['cell', 'distance', 'from', 'to', 'category', 'bandwidth', 'slices', 'top'] as const) {
    const value = v[k];
    if (value !== null && value !== '') q.set(k, String(value));
  }
  const access = await pageActor(`/planner/report?${new URLSearchParams({ paper, mode, ...Object.fromEntries(q) }).toString()}`, 'export');
  if (access.denied) return <main className="report" data-testid="report-error"><h1>研判报告无法生成</h1><p className="bad">{access.denied}</p></main>;
  let r;
  try {
    const actor = access.actor;
    // an analysis: through the queue and cached until the data changes (server/analysis-queue.ts)
    r = await cached({ path: 'report.planner', input: { mode, q: Object.fromEntries(q) }, actor, heavy: true }, () =>
      withScope(actor, { attempted: 'building the planner report', readOnly: true }, (tx) => buildReport(tx, mode, parsePlannerParams(q))),
    );
  } catch (err) {
    return <main className="report" data-testid="report-error"><h1>研判报告无法生成</h1><p className="bad">{mapError(err).message}</p></main>;
  }
  const m = r.map;
  const legend: [string, string, number | undefined][] =
    mode === 'gistar' ? GISTAR_STYLE.filter(([k]) => k !== 'none').map(([k, l]) => [k, l, r.analysis.tally[k]])
      : mode === 'kde' || mode === 'forecast' ? KDE_COLORS.map((_, k) => [`kde-${k}`, `${k === 0 ? 0 : r.analysis.breaks![k - 1]!.toFixed(1)}${k < 4 ? ` – ${r.analysis.breaks![k]!.toFixed(1)}` : ' 以上'} ${mode === 'forecast' ? '起' : '起/km²'}`, r.analysis.tally[String(k)]])
        : EMERGING_STYLE.filter(([k]) => (r.analysis.tally[k] ?? 0) > 0).map(([k, l]) => [k, l, r.analysis.tally[k]]);
  return (
    <main className={`report paper-${paper}`} data-testid="report">
      <style>{`@page { size: ${paper} ${paper === 'A3' ? 'landscape' : 'portrait'}; margin: 12mm; } body { background: #fff; }`}</style>
      <ParamNotices notices={notices} />
      <header className="report-head">
        <h1>{r.countyName}治安形势研判报告</h1>
        <div className="report-meta">
          统计期 {r.params.from ?? '全部'} 至 {r.params.to ?? '全部'}{r.params.category ? ` · 类别 ${r.params.category}` : ''} · 生成于 {new Date(r.generatedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}
          {r.demo && <span className="badge demo-badge">示例数据</span>}
        </div>
      </header>
      <section className="report-map">
        <h2>{r.analysis.title}</h2>
        <svg viewBox={`0 0 ${m.width} ${m.height}`} width="100%" role="img" aria-label="研判地图">
          <rect x={0} y={0} width={m.width} height={m.height} fill="#f8f9fa" />
          {m.base.map((s, i) => <path key={`b${i}`} d={s.d} fill={s.style === 'county' ? '#fff' : 'none'} stroke={s.style === 'county' ? '#343a40' : '#adb5bd'} strokeWidth={s.style === 'county' ? 2 : 0.8} />)}
          {m.cells.map((s, i) => <path key={`c${i}`} d={s.d} fill={fillOf(s.style)} stroke="none" />)}
          {m.listed.map((s, i) => <path key={`l${i}`} d={s.d} fill="none" stroke={s.style === 'overdue' ? '#c92a2a' : '#191970'} strokeWidth={2.5} />)}
          {m.labels.map((l, i) => <text key={`t${i}`} x={l.x} y={l.y} fontSize={13} textAnchor="middle" fill="#495057">{l.text}</text>)}
          {m.targets.map((t) => (
            <g key={`r${t.rank}`}>
              <circle cx={t.x} cy={t.y} r={8} fill="#fff" stroke="#212529" strokeWidth={1.5} />
              <text x={t.x} y={t.y + 4} fontSize={10} textAnchor="middle" fontWeight={700}>{t.rank}</text>
            </g>
          ))}
        </svg>
        <ul className="report-legend">
          {legend.map(([k, l, n]) => <li key={k}><span className="swatch swatch-fill" style={{ background: fillOf(k) }} />{l}({n ?? 0})</li>)}
          <li><span className="swatch swatch-fill" style={{ background: '#fff', border: '2px solid #191970' }} />挂牌整治目标</li>
          <li><span className="swatch-point" style={{ background: '#fff', border: '1.5px solid #212529' }} />整治目标候选(编号为排名)</li>
        </ul>
        {r.analysis.lines.map((l) => <p key={l} className="method-note">{l}</p>)}
      </section>
      <section>
        <h2>整治目标排名(前 10)</h2>
        <table className="data report-table">
          <thead><tr><th>排名</th><th>得分</th><th>位置</th><th>入选理由</th></tr></thead>
          <tbody>{r.ranked.map((t) => <tr key={t.cellId}><td>{t.rank}</td><td>{t.score.toFixed(3)}</td><td className="wrap">{t.place.text}</td><td className="wrap">{t.reason}</td></tr>)}</tbody>
        </table>
      </section>
      <section>
        <h2>挂牌整治目标({r.listed.length} 个,逾期 {r.listed.filter((t) => t.overdue).length} 个)</h2>
        {r.listed.length === 0 ? <p className="muted">尚无挂牌目标。</p> : (
          <table className="data report-table">
            <thead><tr><th>名称</th><th>位置</th><th>责任单位</th><th>期限</th><th>状态</th><th>成效评估</th></tr></thead>
            <tbody>{r.listed.map((t) => <tr key={t.id}><td className="wrap">{t.name}</td><td className="wrap">{t.place.text}</td><td>{t.responsibleUnit}</td><td>{t.startsOn} 至 {t.deadline}{t.overdue ? `(逾期 ${-t.daysLeft} 天)` : ''}</td><td>{STATUS_LABEL[t.status]}</td><td className="wrap">{typeof t.evaluation?.verdict === 'string' ? t.evaluation.verdict : '未评估'}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      <section>
        <h2>平安指数与红黑榜({r.index.method.period.label})</h2>
        <table className="data report-table">
          <thead><tr><th>排名</th><th>乡镇</th><th>指数</th><th>上期排名</th><th>榜单</th>{r.index.method.indicators.map((i) => <th key={i.id} className="wrap">{i.name}</th>)}</tr></thead>
          <tbody>{r.index.townships.map((t) => (
            <tr key={t.code}><td>{t.rank}</td><td>{t.name}</td><td>{t.score?.toFixed(1) ?? '—'}</td><td>{t.previousRank ?? '—'}</td><td>{t.list === 'red' ? '红榜' : t.list === 'black' ? '黑榜' : ''}</td>
              {t.indicators.map((i) => <td key={i.id}>{i.value === null ? '—' : i.value.toFixed(1)}</td>)}</tr>
          ))}</tbody>
        </table>
        <p className="method-note">{r.index.method.normalisation} {r.index.method.scoring}</p>
      </section>
    </main>
  );
}
