'use client';
// 审计日志: the audit log, newest first, filtered by time (China time, whole days), actor
// (part of the name) and action (a prefix: "export." is every export), with the same
// filters for the CSV / XLSX download.
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';
import { TopBar } from '../../components/top-bar';
import { ROLE_NAMES, type Role } from '@/server/context';
import { errorText } from '../../components/error-text';
import { ParamNotices } from '../../components/param-notices';
import { LIMITS } from './audit-log-params';

const ACTIONS: [string, string][] = [
  ['auth.sign-in', '登录'],
  ['auth.sign-out', '退出'],
  ['auth.lock', '账号锁定'],
  ['export.', '导出(全部)'],
  ['import', '数据导入'],
  ['target.', '挂牌整治'],
  ['camera.edit', '摄像机档案修改'],
  ['user.', '用户与密码'],
  ['display.', '大屏令牌'],
];
const CUSTOM = '__custom';
const DAY_MS = 86_400_000;

const RESULTS: Record<string, [string, string]> = {
  ok: ['成功', 'result-ok'],
  refused: ['拒绝', 'result-refused'],
  failed: ['失败', 'result-failed'],
};

interface Filters {
  from: string;
  to: string;
  actor: string;
  action: string;
  limit: number;
}
const EMPTY: Filters = { from: '', to: '', actor: '', action: '', limit: 500 };

/** The start of a day (yyyy-MM-dd) in China time, as an ISO instant. */
function chinaDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The query the server takes: `to` is exclusive, so a whole "to" day is the next day's start. */
function toQuery(f: Filters) {
  return {
    from: f.from ? chinaDayStart(f.from).toISOString() : undefined,
    to: f.to ? new Date(chinaDayStart(f.to).getTime() + DAY_MS).toISOString() : undefined,
    actor: f.actor.trim() || undefined,
    action: f.action.trim() || undefined,
    limit: f.limit,
  };
}

const CHINA_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** yyyy-MM-dd HH:mm:ss in China time. */
function formatChinaTime(at: string | Date): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  const p: Record<string, string> = {};
  for (const part of CHINA_TIME.formatToParts(d)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

const roleName = (r: string) => ROLE_NAMES[r as Role] ?? r;

export function AuditLog({ allowed, initial = EMPTY, notices = [] }: { allowed?: boolean; initial?: Filters; notices?: string[] }) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filters>(initial);
  const [applied, setApplied] = useState<Filters>(initial);
  const [formError, setFormError] = useState<string | null>(null);

  const query = useMemo(() => toQuery(applied), [applied]);
  const log = useQuery({ ...trpc.admin.audit.queryOptions(query), enabled: allowed !== false, staleTime: 0, retry: false });

  const exportHref = (format: 'csv' | 'xlsx') => {
    const p = new URLSearchParams({ format });
    if (query.from) p.set('from', query.from);
    if (query.to) p.set('to', query.to);
    if (query.actor) p.set('actor', query.actor);
    if (query.action) p.set('action', query.action);
    return `/api/admin/audit/export?${p.toString()}`;
  };

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (draft.from && draft.to && draft.from > draft.to) {
      setFormError('开始日期不能晚于结束日期');
      return;
    }
    setFormError(null);
    setApplied({ ...draft });
    if (JSON.stringify(draft) === JSON.stringify(applied)) void log.refetch();
  };

  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const known = ACTIONS.some(([a]) => a === draft.action);
  const selectValue = known ? draft.action : draft.action.trim() ? CUSTOM : '';
  const rows = log.data?.rows ?? [];
  const total = log.data?.total ?? 0;

  return (
    <main className="admin-page">
      <TopBar active="admin" />
      <div className="admin-body">
        <section className="panel audit-log" data-testid="audit-log">
          <h2>审计日志</h2>
          <ParamNotices notices={notices} />
          {allowed === false ? (
            <p className="bad" role="alert" data-testid="audit-log-refused">当前账号没有查看审计日志的权限(仅系统管理员、审计员可查看)。</p>
          ) : (
            <>
              <form className="form-row audit-filters" onSubmit={apply}>
                <label>
                  时间 从
                  <input type="date" value={draft.from} max={draft.to || undefined} onChange={(e) => set('from', e.target.value)} data-testid="audit-from" />
                </label>
                <label>
                  至
                  <input type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => set('to', e.target.value)} data-testid="audit-to" />
                </label>
                <label>
                  操作者
                  <input type="text" value={draft.actor} placeholder="如 user:analyst(包含即可)" maxLength={100} onChange={(e) => set('actor', e.target.value)} data-testid="audit-actor" />
                </label>
                <label>
                  操作
                  <select value={selectValue} onChange={(e) => { if (e.target.value !== CUSTOM) set('action', e.target.value); }} data-testid="audit-action-select">
                    <option value="">全部操作</option>
                    {ACTIONS.map(([a, label]) => (
                      <option key={a} value={a}>
                        {label}({a})
                      </option>
                    ))}
                    {selectValue === CUSTOM && <option value={CUSTOM}>按输入的前缀</option>}
                  </select>
                </label>
                <label>
                  操作前缀
                  <input type="text" value={draft.action} placeholder="如 export." maxLength={100} onChange={(e) => set('action', e.target.value)} data-testid="audit-action" />
                </label>
                <label>
                  显示条数
                  <select value={draft.limit} onChange={(e) => set('limit', Number(e.target.value))}>
                    {LIMITS.map((n) => (
                      <option key={n} value={n}>
                        最近 {n} 条
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className="primary" data-testid="audit-apply">
                  查询
                </button>
                <button
                  type="button"
                  className="small"
                  onClick={() => {
                    setDraft(EMPTY);
                    setApplied(EMPTY);
                    setFormError(null);
                  }}
                >
                  清除条件
                </button>
              </form>
              {formError && <p className="bad" role="alert">{formError}</p>}
              <div className="audit-summary">
                <span data-testid="audit-total">
                  {log.isFetching && !log.data ? '正在读取…' : <>共 <b>{total}</b> 条{rows.length < total ? `,显示最近 ${rows.length} 条` : ''}</>}
                </span>
                {log.isFetching && log.data && <span className="muted">正在刷新…</span>}
                <span className="audit-exports">
                  <a href={exportHref('csv')} download data-testid="audit-export-csv">导出 CSV</a>
                  <a href={exportHref('xlsx')} download data-testid="audit-export-xlsx">导出 XLSX</a>
                </span>
                <span className="muted">时间为北京时间;日志只可追加,保存不少于 180 天。</span>
              </div>
              {log.error && <p className="bad" role="alert">{errorText(log.error)}</p>}
              <div className="audit-table-scroll">
                <table className="data audit-table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <th>时间</th>
                      <th>操作者</th>
                      <th>角色</th>
                      <th>地址</th>
                      <th>操作</th>
                      <th>对象</th>
                      <th className="num-col">行数</th>
                      <th>结果</th>
                      <th>详情</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => {
                      const [label, cls] = RESULTS[r.result] ?? [r.result, 'result-failed'];
                      const detail = r.detail ? JSON.stringify(r.detail) : '';
                      return (
                        <tr key={r.id}>
                          <td className="time-col">{formatChinaTime(r.at)}</td>
                          <td title={r.actor}>{r.actor}</td>
                          <td>{r.roles.map(roleName).join('、')}</td>
                          <td>{r.address ?? '—'}</td>
                          <td><code>{r.action}</code></td>
                          <td title={r.object ?? undefined}>{r.object ?? '—'}</td>
                          <td className="num-col">{r.row_count ?? '—'}</td>
                          <td className={cls}>{label}</td>
                          <td className="detail-col" title={detail}><code>{detail}</code></td>
                        </tr>
                      );
                    })}
                    {log.data && rows.length === 0 && (
                      <tr>
                        <td colSpan={9} className="muted">没有符合条件的记录。</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      </div>
    </main>
  );
}
