'use client';
// 整治目标 and 挂牌督办: the ranked rectification targets with the factors that put each
// one there and the planner's weights; 挂牌 (listing) a target from the list; the listed
// targets with deadlines, overdue flags, status and their before/after evaluation.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/root';
import { useTRPC } from '../trpc';
import { errorText } from '../components/error-text';
import { DEFAULT_FACTOR_WEIGHTS, FACTOR_LABEL, FACTOR_ORDER, GISTAR_LABEL, STATUS_LABEL, type FactorId, type HotspotClass } from './analysis-styles';

type Outputs = inferRouterOutputs<AppRouter>;
export type RankedTarget = Outputs['targets']['rank']['targets'][number];
export type ListedTarget = Outputs['targets']['list'][number];
export type Evaluation = Outputs['targets']['evaluate'];


function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function RankedTargets(props: {
  targets: RankedTarget[] | undefined;
  loading: boolean;
  error: string | null;
  weights: Record<FactorId, number>;
  onWeights: (w: Record<FactorId, number>) => void;
  selected: number | null;
  onSelect: (t: RankedTarget) => void;
  today: string;
  onListed: () => void;
}) {
  const [draft, setDraft] = useState(props.weights);
  const [creating, setCreating] = useState<RankedTarget | null>(null);
  return (
    <div className="targets">
      <details className="weights">
        <summary>因素权重(可调整)</summary>
        {FACTOR_ORDER.map((f) => (
          <label key={f} className="weight-row">
            <span>{FACTOR_LABEL[f]}</span>
            <input type="range" min={0} max={1} step={0.05} value={draft[f]} onChange={(e) => setDraft({ ...draft, [f]: Number(e.target.value) })} />
            <span className="num">{draft[f].toFixed(2)}</span>
          </label>
        ))}
        <div className="row-buttons">
          <button className="primary small" onClick={() => props.onWeights(draft)} disabled={FACTOR_ORDER.every((f) => draft[f] === 0)}>重新排名</button>
          <button className="small" onClick={() => { setDraft(DEFAULT_FACTOR_WEIGHTS); props.onWeights(DEFAULT_FACTOR_WEIGHTS); }}>恢复默认</button>
        </div>
      </details>
      {props.loading && <p className="muted">正在计算整治目标…</p>}
      {props.error && <p className="bad" role="alert">{props.error}</p>}
      <ol className="target-list" data-testid="ranked-targets">
        {(props.targets ?? []).map((t) => (
          <li key={t.cellId} className={props.selected === t.cellId ? 'selected' : ''} onClick={() => props.onSelect(t)}>
            <div className="target-head">
              <b>第 {t.rank} 名</b>
              <span className="score-bar"><span style={{ width: `${Math.round(t.score * 100)}%` }} /></span>
              <span className="num">{t.score.toFixed(3)}</span>
              {t.hotspotClass !== 'none' && <span className="chip hot">{GISTAR_LABEL[t.hotspotClass as HotspotClass]}</span>}
            </div>
            <div className="place" data-testid="target-place">{t.place.text}</div>
            <div className="reason">{t.reason}</div>
            <div className="factors">
              {t.factors.slice(0, 4).map((f) => (
                <span key={f.factor} className="chip" title={`值 ${f.value},相对全县最高 ${(f.scaled * 100).toFixed(0)}%,全县分位 ${(f.rank * 100).toFixed(0)}%`}>{f.label} +{f.contribution.toFixed(3)}</span>
              ))}
            </div>
            <button className="small" data-testid="list-target" onClick={(e) => { e.stopPropagation(); setCreating(t); }}>挂牌整治…</button>
            {creating?.cellId === t.cellId && <CreateTargetForm target={t} today={props.today} onDone={() => { setCreating(null); props.onListed(); }} onCancel={() => setCreating(null)} />}
          </li>
        ))}
      </ol>
    </div>
  );
}

function CreateTargetForm({ target, today, onDone, onCancel }: { target: RankedTarget; today: string; onDone: () => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: `${target.place.text}治安重点地区整治`, responsibleUnit: '', startsOn: today, deadline: addDays(today, 90) });
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation(trpc.targets.create.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
      onDone();
    },
  }));
  return (
    <form className="create-form" data-testid="create-target" onClick={(e) => e.stopPropagation()} onSubmit={(e) => {
      e.preventDefault();
      const missing = !form.name.trim() ? '请填写目标名称' : !form.responsibleUnit.trim() ? '请填写责任单位' : !form.startsOn || !form.deadline ? '请填写开始日期和整治期限' : form.deadline < form.startsOn ? '整治期限不能早于开始日期' : null;
      setProblem(missing);
      if (missing) return;
      create.mutate({ ...form, lon: target.lon, lat: target.lat, cellM: 500, reasons: [target.reason, ...target.factors.filter((f) => f.standsOut).slice(0, 3).map((f) => `${f.label}:值 ${f.value},相对全县最高 ${(f.scaled * 100).toFixed(0)}%`)] });
    }}>
      <label>目标名称<input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
      <label>责任单位<input name="unit" value={form.responsibleUnit} placeholder="如:城关派出所" onChange={(e) => setForm({ ...form, responsibleUnit: e.target.value })} /></label>
      <label>开始日期<input type="date" name="start" value={form.startsOn} onChange={(e) => setForm({ ...form, startsOn: e.target.value })} /></label>
      <label>整治期限<input type="date" name="deadline" value={form.deadline} onChange={(e) => setForm({ ...form, deadline: e.target.value })} /></label>
      {(problem ?? create.error) && <p className="bad" role="alert">{problem ?? errorText(create.error!)}</p>}
      <div className="row-buttons">
        <button className="primary small" type="submit" disabled={create.isPending}>确认挂牌</button>
        <button className="small" type="button" onClick={onCancel}>取消</button>
      </div>
    </form>
  );
}

export function ListedTargets(props: {
  targets: ListedTarget[] | undefined;
  error: string | null;
  evaluation: Evaluation | null;
  onEvaluation: (e: Evaluation | null) => void;
  onSelect: (t: ListedTarget) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
  const setStatus = useMutation(trpc.targets.setStatus.mutationOptions({ onSuccess: refresh }));
  const evaluate = useMutation(trpc.targets.evaluate.mutationOptions({
    onSuccess: async (e) => {
      props.onEvaluation(e);
      await refresh();
    },
  }));
  const overdue = (props.targets ?? []).filter((t) => t.overdue).length;
  return (
    <div className="listed" data-testid="listed-targets">
      {props.error && <p className="bad" role="alert">{props.error}</p>}
      <p className="muted">共 {props.targets?.length ?? 0} 个挂牌整治目标{overdue > 0 && <>,<span className="bad">{overdue} 个逾期</span></>}。</p>
      {(props.targets ?? []).length === 0 && <p className="muted">尚无挂牌目标:在“整治目标”中选择单元挂牌。</p>}
      <ul className="target-list">
        {(props.targets ?? []).map((t) => (
          <li key={t.id} className={props.evaluation?.targetId === t.id ? 'selected' : ''} onClick={() => props.onSelect(t)}>
            <div className="target-head">
              <b>{t.name}</b>
              <span className={`chip status-${t.status}`}>{STATUS_LABEL[t.status]}</span>
              {t.overdue && <span className="chip overdue">逾期 {-t.daysLeft} 天</span>}
            </div>
            <div className="place">{t.place.text}</div>
            <div className="reason">责任单位:{t.responsibleUnit} · {t.startsOn} 至 {t.deadline}{!t.overdue && ['listed', 'in_progress'].includes(t.status) && `(剩余 ${t.daysLeft} 天)`}</div>
            {typeof t.evaluation?.verdict === 'string' && <div className="verdict">上次评估:{t.evaluation.verdict}</div>}
            <div className="row-buttons" onClick={(e) => e.stopPropagation()}>
              <select value={t.status} aria-label="状态" onChange={(e) => setStatus.mutate({ id: t.id, status: e.target.value as ListedTarget['status'] })}>
                {Object.entries(STATUS_LABEL).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
              </select>
              <button className="small" data-testid="evaluate" disabled={evaluate.isPending} onClick={() => evaluate.mutate({ id: t.id })}>成效评估</button>
            </div>
            {evaluate.error && evaluate.variables?.id === t.id && <p className="bad" role="alert">{errorText(evaluate.error)}</p>}
            {setStatus.error && setStatus.variables?.id === t.id && <p className="bad" role="alert">{errorText(setStatus.error)}</p>}
          </li>
        ))}
      </ul>
      {props.evaluation && <EvaluationTable e={props.evaluation} />}
    </div>
  );
}

function pct(v: number | null): string {
  return v === null ? '—' : `${v > 0 ? '+' : ''}${v.toFixed(1)}%`;
}

export function EvaluationTable({ e }: { e: Evaluation }) {
  return (
    <section className="evaluation" data-testid="evaluation">
      <h3>成效评估:{e.name}</h3>
      <p className="muted">整治前 {e.windows.before} / 整治后 {e.windows.after}(各 {e.windows.days} 天)</p>
      <table className="data">
        <thead><tr><th>区域</th><th>整治前</th><th>整治后</th><th>变化</th></tr></thead>
        <tbody>
          <tr><td>目标区域</td><td>{e.target.before}</td><td>{e.target.after}</td><td>{pct(e.target.changePct)}</td></tr>
          <tr><td>对照单元({e.comparison.cells} 个)</td><td>{e.comparison.before}</td><td>{e.comparison.after}</td><td>{pct(e.comparison.changePct)}</td></tr>
          <tr><td>周边 {e.ring.widthM} 米</td><td>{e.ring.before}</td><td>{e.ring.after}</td><td>{pct(e.ring.changePct)}</td></tr>
        </tbody>
      </table>
      <div className="kv">
        <span>双重差分 <b>{e.did.perCell > 0 ? '+' : ''}{e.did.perCell.toFixed(1)}</b> 起/单元</span>
        <span>p {e.did.p === null ? '= —' : e.did.p < 0.001 ? '< 0.001' : `= ${e.did.p.toFixed(3)}`}</span>
        <span>WDQ = <b>{e.ring.wdq === null ? '—' : e.ring.wdq.toFixed(2)}</b></span>
      </div>
      <p className="verdict">{e.verdict}</p>
      <p className="method-note">对照单元:与目标同尺寸、位于缓冲区外、整治前案事件数最接近的网格单元;p 值按泊松计数近似;WDQ(加权位移商)&gt; 0 为效益扩散,&lt; 0 为犯罪转移。</p>
    </section>
  );
}
