// What every incident layer of the situational map filters by: a window of China-time
// calendar days (inclusive), incident categories (codes or Chinese names; a parent takes its
// children), an hour of day in China time, and the caller's townships.
import { checkWindow, LIMITS } from '../../limits';
import { UserError } from '../../errors';
import { lookupCode } from '../../import/dictionaries';
import { chinaDay } from '../../../lib/china-time';
import { townshipsOf, type Tx } from '../../db/scope';

export interface IncidentFilter {
  /** First and last China-time day, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  categories?: string[];
  /** Hour of day in China time, 0–23. */
  hour?: number;
}

export interface ResolvedFilter {
  from: Date;
  /** Exclusive: the China midnight after the last day. */
  to: Date;
  categories: string[];
  hour: number | null;
  townships: string[] | null;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The window as instants [from, to), checked as the analyses check theirs, and the category codes. */
export function resolveFilter(tx: Tx, f: IncidentFilter): ResolvedFilter {
  if (!DAY_RE.test(f.from) || !DAY_RE.test(f.to)) throw new UserError(`Days must be YYYY-MM-DD, got ${f.from} and ${f.to}.`, '日期格式须为 YYYY-MM-DD。');
  const from = chinaDay(f.from);
  const to = new Date(chinaDay(f.to).getTime() + 86_400_000);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new UserError(`Not a calendar day: ${f.from} or ${f.to}.`, '日期无效:请选择有效的开始和结束日期。');
  if (from < LIMITS.earliest || to > LIMITS.latest) throw new UserError(`The window ${f.from}..${f.to} lies outside 2000–2099.`, '时间范围须在 2000 年到 2099 年之间。');
  if (f.to < f.from) throw new UserError(`The window is empty: ${f.to} is before ${f.from}.`, '时间范围为空:结束日期不能早于开始日期。');
  checkWindow(from, to);
  if (f.hour !== undefined && !(Number.isInteger(f.hour) && f.hour >= 0 && f.hour <= 23)) throw new UserError(`Hour ${f.hour} is not 0–23.`, '时段须为 0 到 23 点之间的整点。');
  const categories = (f.categories ?? []).map((x) => {
    const code = lookupCode('incidentCategory', x);
    if (!code) throw new UserError(`Unknown incident category "${x}".`, `未知的案件类别“${x}”:请从案件类别中选择,例如“盗窃”。`);
    return code;
  });
  return { from, to, categories: [...new Set(categories)].sort(), hour: f.hour ?? null, townships: townshipsOf(tx) };
}
