'use client';
// The wall's panels. Each reads the last answer it has (kept while the server is away) and
// shows a dash, never an error, when there is none yet. Sizes follow the viewport (screen.css).
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import type { PanelId } from './themes';
import { chinaIso } from '@/lib/china-time';

type Out = inferRouterOutputs<AppRouter>['wall'];
export interface PanelData {
  panels: Out['panels'] | undefined;
  peace: Out['peaceIndex'] | undefined;
  dosage?: Out['patrolDosage'] | undefined;
  fresh: { id: string; category: string; township: string | null; at: string; major: boolean }[];
}

const STATUS_NAMES: [string, string][] = [['received', '受理'], ['dispatched', '流转'], ['handling', '处置'], ['closed', '办结'], ['supervised', '督办']];
const LEVEL_NAMES: Record<string, string> = { red: '红色预警', orange: '橙色预警', yellow: '黄色预警', blue: '蓝色预警' };
const chinaHm = (iso: string | Date) => chinaIso(new Date(iso).getTime()).slice(11, 16);
const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
const Empty = ({ text = '暂无数据' }: { text?: string }) => <div className="screen-empty">{text}</div>;

function Bars({ values, compare, max }: { values: (number | null)[]; compare?: number[]; max: number }) {
  const w = 100 / values.length;
  return (
    <svg className="screen-bars" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label="分时段">
      {values.map((v, i) => (
        <g key={i}>
          {compare && <rect x={i * w + w * 0.1} y={30 - (30 * (compare[i] ?? 0)) / (max || 1)} width={w * 0.8} height={(30 * (compare[i] ?? 0)) / (max || 1)} className="bar-compare" />}
          {v !== null && <rect x={i * w + w * 0.25} y={30 - (30 * v) / (max || 1)} width={w * 0.5} height={(30 * v) / (max || 1)} className="bar" />}
        </g>
      ))}
    </svg>
  );
}

function Incidents({ data }: { data: PanelData }) {
  const p = data.panels?.incidents;
  if (!p) return <Empty />;
  const change = p.lastWeek ? (p.total - p.lastWeek) / p.lastWeek : null;
  const max = Math.max(1, ...p.byHour.map((h) => Math.max(h.today ?? 0, h.lastWeek)));
  return (
    <>
      <div className="screen-kpi">
        <b data-testid="today-total">{p.total}</b>
        <span>今日警情 · 上周同日同时段 {p.lastWeek}{change !== null && <em className={change > 0 ? 'up' : 'down'}> {change > 0 ? '▲' : '▼'}{Math.abs(change * 100).toFixed(0)}%</em>}</span>
      </div>
      <table className="screen-table">
        <tbody>
          {p.byCategory.filter((c) => c.today || c.lastWeek).slice(0, 6).map((c) => (
            <tr key={c.code}><td>{c.name}</td><td className="num">{c.today}</td><td className="num dim">{c.lastWeek}</td></tr>
          ))}
        </tbody>
      </table>
      <Bars values={p.byHour.map((h) => h.today)} compare={p.byHour.map((h) => h.lastWeek)} max={max} />
      <div className="screen-note">0–23 时:亮色今日,暗色上周同日</div>
    </>
  );
}

function Progress({ data }: { data: PanelData }) {
  const p = data.panels?.progress;
  if (!p) return <Empty />;
  const total = STATUS_NAMES.reduce((a, [k]) => a + (p.statuses[k] ?? 0), 0);
  return (
    <>
      <div className="screen-steps">
        {STATUS_NAMES.map(([k, name]) => (
          <div key={k} className={`step ${k}`}><b>{p.statuses[k] ?? 0}</b><span>{name}</span></div>
        ))}
      </div>
      <div className="screen-line">今日 {total} 件 · 办结率 {pct(total ? (p.statuses.closed ?? 0) / total : null)} · 超期未办结 <b className="warn">{p.overdueCount}</b> 件</div>
      <div className="screen-sub">重大事件(4 小时内上报)</div>
      {p.major.length === 0 ? <Empty text="近 24 小时无重大事件" /> : (
        <ul className="screen-list">
          {p.major.slice(0, 4).map((m) => {
            const late = m.reported_at ? new Date(m.reported_at).getTime() - new Date(m.occurred_at).getTime() > 4 * 3_600_000 : Date.now() - new Date(m.occurred_at).getTime() > 4 * 3_600_000;
            return <li key={m.id} className={late ? 'late' : ''}>{chinaHm(m.occurred_at)} {m.category} · {m.township ?? '—'} · {m.reported_at ? `已上报 ${chinaHm(m.reported_at)}` : '未上报'}{late ? '(超时)' : ''}</li>;
          })}
        </ul>
      )}
    </>
  );
}

function Peace({ data }: { data: PanelData }) {
  const p = data.peace;
  if (!p) return <Empty text="平安指数计算中…" />;
  const ranked = p.townships.filter((t) => t.score !== null).sort((a, b) => a.rank - b.rank);
  return (
    <table className="screen-table">
      <tbody>
        {ranked.slice(0, 10).map((t) => (
          <tr key={t.code} className={t.list ?? ''}>
            <td className="num">{t.rank}</td>
            <td>{t.name}</td>
            <td className="num">{t.score!.toFixed(1)}</td>
            <td className="num">{t.rankChange === null ? '' : t.rankChange > 0 ? `↑${t.rankChange}` : t.rankChange < 0 ? `↓${-t.rankChange}` : '—'}</td>
            <td className="tag">{t.list === 'red' ? '红榜' : t.list === 'black' ? '黑榜' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Cameras({ data }: { data: PanelData }) {
  const c = data.panels?.cameras;
  if (!c) return <Empty />;
  return (
    <>
      <div className="screen-kpi"><b data-testid="online-rate">{pct(c.rate)}</b><span>在线率 · 在线 {c.online} / {c.total} 路 · 故障 {c.faulty}</span></div>
      <div className="screen-line">有效视域(在线摄像机视域面积占比){pct(c.effectiveView)}</div>
      <Bars values={c.hours.map((h) => h.rate)} max={1} />
      <div className="screen-note">今日各小时在线率(按状态变更记录计算)</div>
    </>
  );
}

function Hazards({ data }: { data: PanelData }) {
  const h = data.panels?.hazards;
  if (!h) return <Empty />;
  if (!h.length) return <Empty text="当前无预警" />;
  const by = (l: string) => h.filter((x) => x.level === l).length;
  const people = h.reduce((a, x) => a + (x.threatened_people ?? 0), 0);
  return (
    <>
      <div className="screen-levels">
        {(['red', 'orange', 'yellow', 'blue'] as const).map((l) => <span key={l} className={`lvl ${l}`}>{LEVEL_NAMES[l]} {by(l)}</span>)}
      </div>
      <div className="screen-line">预警中隐患点 {h.length} 处 · 威胁 {people} 人</div>
      <ul className="screen-list">
        {h.slice(0, 5).map((x) => <li key={x.id}><i className={`dot ${x.level}`} />{x.name}({x.type_name},{x.township ?? '—'})威胁 {x.threatened_people ?? 0} 人</li>)}
      </ul>
    </>
  );
}

function Patrols({ data }: { data: PanelData }) {
  const p = data.panels?.patrols;
  if (!p) return <Empty />;
  const on = p.filter((t) => t.recorded_at);
  return (
    <>
      <div className="screen-kpi"><b>{on.length}</b><span>支巡逻队在岗 / 共 {p.length} 支</span></div>
      <ul className="screen-list">
        {on.slice(0, 6).map((t) => <li key={t.id}>{t.name} · {t.township ?? '—'} · {t.speed_kmh ? `${t.speed_kmh} km/h` : '驻点'} · {chinaHm(t.recorded_at!)}</li>)}
        {on.length === 0 && <li className="dim">当前无巡逻队在岗</li>}
      </ul>
    </>
  );
}

function Dosage({ data }: { data: PanelData }) {
  const d = data.dosage;
  if (!d) return <Empty />;
  if (!d.hotspots) return <Empty text="无统计热点" />;
  return (
    <>
      <div className="screen-kpi"><b>{d.visited}</b><span>个热点今日有巡逻 / 共 {d.hotspots} 个</span></div>
      <div className="screen-line">到访 {d.visits} 次 · Koper 合规 {pct(d.koperShare)} · 热时段复巡 {pct(d.hotSlotShare)}</div>
      <ul className="screen-list">
        {d.unvisited.slice(0, 4).map((u) => <li key={u.label}>尚未到访:{u.label} · 案事件 {u.incidents} · {u.hotHours.length ? `${u.hotHours.slice(0, 4).join('、')} 时` : '—'}</li>)}
      </ul>
    </>
  );
}

function Feed({ data }: { data: PanelData }) {
  const rows = data.panels?.feed ?? [];
  const fresh = data.fresh;
  const seen = new Set(fresh.map((f) => f.id));
  const items = [
    ...fresh.map((f) => ({ id: f.id, at: f.at, category: f.category, township: f.township, major: f.major, isNew: true })),
    ...rows.filter((r) => !seen.has(r.id)).map((r) => ({ id: r.id, at: String(r.occurred_at), category: r.category, township: r.township, major: r.severity === 'major', isNew: false })),
  ].slice(0, 8);
  if (!items.length) return <Empty />;
  return (
    <ul className="screen-list feed" data-testid="feed">
      {items.map((i) => (
        <li key={i.id} data-incident={i.id} className={`${i.isNew ? 'fresh' : ''} ${i.major ? 'major' : ''}`}>{chinaHm(i.at)} {i.category} · {i.township ?? '—'}{i.major ? ' · 重大' : ''}</li>
      ))}
    </ul>
  );
}

export const PANELS: Record<PanelId, { title: string; Body: (p: { data: PanelData }) => React.ReactNode }> = {
  incidents: { title: '今日警情', Body: Incidents },
  progress: { title: '事件办理进度', Body: Progress },
  peace: { title: '平安指数 · 红黑榜', Body: Peace },
  cameras: { title: '雪亮工程 · 在线率', Body: Cameras },
  hazards: { title: '隐患预警', Body: Hazards },
  patrols: { title: '巡防力量', Body: Patrols },
  dosage: { title: '热点巡防 · 今日', Body: Dosage },
  feed: { title: '最新警情', Body: Feed },
};
