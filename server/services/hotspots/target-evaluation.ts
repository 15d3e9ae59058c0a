// Evaluation of a 挂牌整治 target after a period of work: did incidents fall inside the
// target more than elsewhere, and did they move next door?
//   windows     after = [start, end) with end = the evaluation date (default: the day
//               after the latest incident); before = the same number of days ending at start
//   DiD         difference in differences against k matched comparison cells: fishnet cells
//               of the target's size outside the target's ring (and margin), matched on the
//               before count. DiD = (A_after − A_before) − mean(C_after − C_before), in
//               incidents per cell; its Poisson standard error √(A_a + A_b + ΣC_a + ΣC_b)/k²)
//               gives a two-sided p
//   ring        the target buffered by `ringM` minus the target: displacement (incidents rise
//               next door) or diffusion of benefits (they fall there too), measured by the
//               weighted displacement quotient (Bowers & Johnson 2003):
//               WDQ = (B_a/C_a − B_b/C_b) / (A_a/C_a − A_b/C_b), meaningful when the target
//               improved relative to the comparison area; > 0 diffusion, < 0 displacement
import type pg from 'pg';
import type { Geometry } from 'geojson';
import { many, maybeOne, one, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { audit } from '../../audit';
import { chinaDateOf, chinaDay, nextChinaMidnight } from '../../../lib/china-time';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { countPoints, createPoints, loadIncidents } from './hotspots';
import { HotspotInputError } from '../../errors';

export interface EvaluationOptions {
  /** YYYY-MM-DD; the after window ends at the start of this day. Default: the day after the latest incident. */
  asOf?: string;
  ringM?: number;
  comparisons?: number;
}

export interface TargetEvaluation {
  targetId: number;
  name: string;
  evaluatedAt: string;
  /** ISO instants, and the same windows as China-time calendar days for people (end days inclusive). */
  windows: { beforeFrom: string; start: string; afterTo: string; days: number; before: string; after: string };
  target: { before: number; after: number; changePct: number | null };
  comparison: {
    cells: number;
    before: number;
    after: number;
    changePct: number | null;
    matching: string;
    list: { id: number; lon: number; lat: number; before: number; after: number; polygon: Geometry }[];
  };
  did: { perCell: number; se: number; z: number | null; p: number | null };
  ring: { widthM: number; before: number; after: number; changePct: number | null; wdq: number | null; reading: string };
  verdict: string;
  geometry: { target: Geometry; ring: Geometry };
}

const DAY = 86_400_000;
const MIN_DAYS = 14;

/** The evaluation of one target, in the caller's transaction (its temporary tables rolled back). */
export async function evaluateTarget(tx: Tx, id: number, o: EvaluationOptions = {}): Promise<TargetEvaluation> {
  const ringM = o.ringM ?? 500;
  const k = o.comparisons ?? 10;
  if (!(ringM >= 50 && ringM <= 5000)) throw new HotspotInputError(`The ring width must be from 50 to 5,000 m, got ${ringM}.`, `周边环带宽度须在 50 到 5000 米之间(当前为 ${ringM})。`);
  if (!(Number.isInteger(k) && k >= 1 && k <= 100)) throw new HotspotInputError(`The number of comparison cells must be a whole number from 1 to 100, got ${k}.`, `对照网格数须为 1 到 100 之间的整数(当前为 ${k})。`);
  return scratch(tx, () => evaluate(tx, id, o.asOf, ringM, k));
}

async function evaluate(c: Tx, id: number, asOf: string | undefined, ringM: number, k: number): Promise<TargetEvaluation> {
  const t = await maybeOne<{ name: string; starts_on: string }>('SELECT name, starts_on::text FROM rectification_targets WHERE id = $1', [id], 'reading the target', c);
  if (!t) throw new HotspotInputError(`Rectification target ${id} does not exist.`, `整治目标 ${id} 不存在:请刷新列表后重试。`);
  const start = chinaDay(t.starts_on);
  let end: Date;
  if (asOf) end = chinaDay(asOf);
  else {
    const latest = await one<{ t: Date | null }>('SELECT max(occurred_at) AS t FROM incidents', [], 'finding the latest incident', c);
    if (!latest.t) throw new HotspotInputError('There are no incidents to evaluate the target with.', '数据库中没有案事件,无法评估整治成效。');
    end = nextChinaMidnight(latest.t);
  }
  const days = Math.round((end.getTime() - start.getTime()) / DAY);
  if (days < MIN_DAYS) throw new HotspotInputError(`The target started on ${t.starts_on}, ${Math.max(days, 0)} days before the evaluation date: evaluate after at least ${MIN_DAYS} days of work.`, `整治目标自 ${t.starts_on} 开始,到评估日期仅 ${Math.max(days, 0)} 天:请在整治满 ${MIN_DAYS} 天后再评估。`);
  const beforeFrom = new Date(start.getTime() - days * DAY);

  const area = await countyArea(c);
  const srid = await utmSrid(c, area);
  const a = await one<{ target_before: number; target_after: number; ring_before: number; ring_after: number; ring_geojson: Geometry; target_geojson: Geometry; cell_m: number; target_metric: string }>(
    sql('targets/evaluate-areas.sql'), [id, srid, ringM, beforeFrom, start, end], 'counting incidents in the target and its ring', c,
  );
  // The comparison pool: the county's fishnet of the target's cell size, before and after counts.
  const cellM = Math.round(a.cell_m);
  await createPoints(c);
  await loadIncidents(c, beforeFrom, end);
  await createCells(c, 'square', cellM, area, srid);
  await countPoints(c, 'n', srid, beforeFrom, start, cellM);
  await countPoints(c, 'n_test', srid, start, end, cellM);
  const list = await many<{ id: number; before: number; after: number; lon: number; lat: number; polygon: Geometry }>(
    sql('targets/evaluate-comparison.sql'), [a.target_metric, ringM + cellM, a.target_before, k], 'choosing matched comparison cells', c,
  );
  if (list.length === 0) throw new HotspotInputError('No comparison cells are left outside the target’s ring.', '整治目标周边环带以外没有可用的对照网格:请减小周边环带宽度后重试。');
  const cb = sum(list.map((x) => x.before));
  const ca = sum(list.map((x) => x.after));
  const perCell = a.target_after - a.target_before - (ca - cb) / list.length;
  const se = Math.sqrt(a.target_after + a.target_before + (ca + cb) / list.length ** 2);
  const z = se > 0 ? perCell / se : null;
  const { p } = z === null ? { p: null } : await one<{ p: number }>('SELECT stat_two_sided_p($1::float8) AS p', [z], 'testing the difference', c);

  const { wdq, reading } = displacement({ targetBefore: a.target_before, targetAfter: a.target_after, ringBefore: a.ring_before, ringAfter: a.ring_after, controlBefore: cb, controlAfter: ca });
  const verdict = [
    `目标区域案事件由 ${a.target_before} 起变为 ${a.target_after} 起(${pctText(a.target_before, a.target_after)})`,
    `${list.length} 个匹配对照单元同期由 ${cb} 起变为 ${ca} 起(${pctText(cb, ca)})`,
    `双重差分估计 ${perCell >= 0 ? '+' : ''}${perCell.toFixed(1)} 起/单元${p !== null ? `(${p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`}${p < 0.05 ? ',显著' : ',不显著'})` : ''}`,
    `周边 ${ringM} 米由 ${a.ring_before} 起变为 ${a.ring_after} 起${wdq !== null ? `,WDQ = ${wdq.toFixed(2)}` : ''}:${reading}`,
  ].join(';') + '。';
  return {
    targetId: id,
    name: t.name,
    evaluatedAt: new Date().toISOString(),
    windows: { beforeFrom: beforeFrom.toISOString(), start: start.toISOString(), afterTo: end.toISOString(), days, before: `${chinaDateOf(beforeFrom)} 至 ${chinaDateOf(new Date(start.getTime() - DAY))}`, after: `${chinaDateOf(start)} 至 ${chinaDateOf(new Date(end.getTime() - DAY))}` },
    target: { before: a.target_before, after: a.target_after, changePct: pct(a.target_before, a.target_after) },
    comparison: {
      cells: list.length, before: cb, after: ca, changePct: pct(cb, ca),
      matching: `the ${k} fishnet cells of ${cellM} m outside ${ringM + cellM} m of the target whose before count is nearest the target's (then nearest in space); cells of other open targets excluded`,
      list: list.map((x) => ({ ...x, lon: round(x.lon, 6), lat: round(x.lat, 6) })),
    },
    did: { perCell: round(perCell, 3), se: round(se, 3), z: z === null ? null : round(z, 3), p: p === null ? null : round(p, 5) },
    ring: { widthM: ringM, before: a.ring_before, after: a.ring_after, changePct: pct(a.ring_before, a.ring_after), wdq: wdq === null ? null : round(wdq, 3), reading },
    verdict,
    geometry: { target: a.target_geojson, ring: a.ring_geojson },
  };
}

/** Evaluates a target and keeps the result on it (rectification_targets.evaluation). */
export async function evaluateAndStore(tx: Tx, id: number, o: EvaluationOptions = {}): Promise<TargetEvaluation> {
  const e = await evaluateTarget(tx, id, o);
  const { geometry: _g, comparison, ...kept } = e;
  await one('UPDATE rectification_targets SET evaluation = $2::jsonb WHERE id = $1 RETURNING id', [id, JSON.stringify({ ...kept, comparison: { ...comparison, list: comparison.list.map(({ polygon: _p, ...x }) => x) } })], 'storing the evaluation', tx);
  await audit(tx, { action: 'target.evaluate', object: `target:${id}`, rows: 1 });
  return e;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const pct = (before: number, after: number) => (before > 0 ? round(((after - before) / before) * 100, 1) : null);
const pctText = (before: number, after: number) => (before > 0 ? `${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(0)}%` : '此前无案事件');
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

export interface DisplacementCounts { targetBefore: number; targetAfter: number; ringBefore: number; ringAfter: number; controlBefore: number; controlAfter: number }

/**
 * The weighted displacement quotient (Bowers & Johnson 2003) with the comparison cells as
 * the control area, and its reading in words that follow the numbers: every change is
 * stated relative to the control area, and when the target's own count went the other way
 * (it rose while falling relative to the control), the reading says so.
 *   WDQ = (R_a/C_a − R_b/C_b) / (A_a/C_a − A_b/C_b), only when the target fell relative to control
 *   > 0.1 diffusion of benefits; < −0.1 displacement (< −1: the ring's relative rise exceeds
 *   the target's relative fall); otherwise neither.
 */
export function displacement(n: DisplacementCounts): { wdq: number | null; reading: string } {
  const { targetBefore: ab, targetAfter: aa, ringBefore: rb, ringAfter: ra, controlBefore: cb, controlAfter: ca } = n;
  if (!(ca > 0 && cb > 0)) return { wdq: null, reading: '对照区无案事件,无法计算位移商' };
  const targetRel = aa / ca - ab / cb;
  if (targetRel >= 0) return { wdq: null, reading: '目标区域相对对照区未见下降,不计算位移商' };
  const wdq = (ra / ca - rb / cb) / targetRel;
  const ownRise = aa > ab ? `;目标区域案事件实际由 ${ab} 起增至 ${aa} 起,下降仅相对于对照区` : '';
  const ringRise = ra > rb ? `(周边案事件实际由 ${rb} 起增至 ${ra} 起)` : ra < rb ? `(周边案事件实际由 ${rb} 起减至 ${ra} 起)` : '';
  const reading =
    wdq > 0.1 ? `效益扩散:周边相对对照区同步下降${ringRise}`
      : wdq < -1 ? `犯罪转移:周边相对对照区的上升超过目标区域的相对下降${ringRise}`
        : wdq < -0.1 ? `部分转移:周边相对对照区有所上升${ringRise}`
          : '未见明显转移或扩散';
  return { wdq, reading: reading + ownRise };
}
