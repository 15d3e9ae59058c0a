'use client';
// 平安指数 and 红黑榜: townships ranked by the configured indicator system, with the
// change against the previous period and each township's weakest indicator.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';

export type PeaceIndex = inferRouterOutputs<AppRouter>['peaceIndex']['compute'];

export function PeaceIndexPanel({ data, loading, error, onSelect }: { data: PeaceIndex | undefined; loading: boolean; error: string | null; onSelect: (code: string) => void }) {
  if (loading) return <p className="muted">正在计算平安指数…</p>;
  if (error) return <p className="bad" role="alert">{error}</p>;
  if (!data) return null;
  const red = data.townships.filter((t) => t.list === 'red');
  const black = data.townships.filter((t) => t.list === 'black');
  return (
    <div className="peace-index" data-testid="peace-index">
      <p className="muted">统计期 {data.method.period.label}(上期 {data.method.previousPeriod.label}),{data.method.townships} 个乡镇</p>
      <div className="lists">
        <div className="red-list"><b>红榜</b>{red.map((t) => <span key={t.code}>{t.name}</span>)}</div>
        <div className="black-list"><b>黑榜</b>{black.map((t) => <span key={t.code}>{t.name}</span>)}</div>
      </div>
      <table className="data">
        <thead><tr><th>排名</th><th>乡镇</th><th>指数</th><th>上期</th><th>变化</th><th>短板指标</th></tr></thead>
        <tbody>
          {data.townships.map((t) => {
            const weakest = [...t.indicators].filter((i) => i.score !== null && i.weight > 0).sort((a, b) => a.score! - b.score!)[0];
            return (
              <tr key={t.code} className={t.list ? `list-${t.list}` : ''} onClick={() => onSelect(t.code)}>
                <td>{t.rank}</td>
                <td>{t.name}</td>
                <td>{t.score === null ? '—' : t.score.toFixed(1)}</td>
                <td>{t.previousRank ?? '—'}</td>
                <td className={t.rankChange && t.rankChange > 0 ? 'ok' : t.rankChange && t.rankChange < 0 ? 'bad' : ''}>
                  {t.rankChange === null ? '—' : t.rankChange > 0 ? `↑${t.rankChange}` : t.rankChange < 0 ? `↓${-t.rankChange}` : '—'}
                </td>
                <td title={weakest ? `${weakest.value?.toFixed(1)} ${weakest.unit}` : ''}>{weakest?.name ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.method.notes.map((n) => <p key={n} className="method-note">{n}</p>)}
      <p className="method-note">{data.method.normalisation} {data.method.scoring}</p>
    </div>
  );
}
