// 平安指数 per township with the 红黑榜. The indicator system (平安报表) is configured in
// geodata/peace-index.json: incident rates per 10,000 residents, shares of incidents
// closed, nominal video coverage of the roads, and geological hazard points with a
// monitor. Each indicator is normalised to 0–100 across the townships (min–max, by its
// direction), the index is the weighted mean of the indicator scores, rank 1 is the
// best; the top N form the 红榜 and the bottom N the 黑榜. The same computation over the
// window of equal length before the period gives the previous rank.
import { z } from 'zod';
import config from '../../../geodata/peace-index.json';
import incidentCategories from '../../../geodata/dictionaries/incident-categories.json';
import hazardTypes from '../../../geodata/dictionaries/hazard-types.json';
import { many, one, sql } from '../../db/index';
import type { Tx } from '../../db/scope';
import { chinaDateOf } from '../../../lib/china-time';
import { computeCoverage } from '../coverage/figures';
import { dataEnd } from '../period';
import { mapError, PeaceIndexInputError } from '../../errors';

/** A request the index cannot answer as asked; the message is one sentence for the user. */

// ---------------------------------------------------------------------------------------
// The indicator system

const CATEGORY_NAMES = new Map(incidentCategories.map((c) => [c.code, c.name]));
const SOURCE_NAMES: Record<string, string> = { '110': '110 报警', grid: '网格上报', '12345': '12345 热线', other: '其他来源' };

const IndicatorSchema = z
  .object({
    id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'an indicator id is a camelCase word'),
    name: z.string().min(1),
    kind: z.enum(['incidentRate', 'closedShare', 'cameraCoverage', 'hazardMonitoring']),
    category: z.string().refine((c) => CATEGORY_NAMES.has(c), 'not a code of geodata/dictionaries/incident-categories.json').optional(),
    source: z.enum(['110', 'grid', '12345', 'other']).optional(),
    unit: z.string(),
    direction: z.enum(['lower', 'higher']),
    weight: z.number().min(0),
    target: z.number().optional(),
  })
  .strict()
  .refine((i) => i.kind !== 'incidentRate' || i.category !== undefined, 'an incidentRate indicator needs a category')
  .refine((i) => i.kind !== 'closedShare' || i.category !== undefined || i.source !== undefined, 'a closedShare indicator needs a category or a source')
  .refine((i) => i.kind === 'incidentRate' || i.kind === 'closedShare' || (i.category === undefined && i.source === undefined), 'only incident indicators take a category or source');

const ConfigSchema = z
  .object({ title: z.string(), note: z.string(), indicators: z.array(IndicatorSchema).min(1) })
  .refine((c) => new Set(c.indicators.map((i) => i.id)).size === c.indicators.length, 'indicator ids must be unique')
  .refine((c) => c.indicators.some((i) => i.weight > 0), 'at least one indicator needs a weight above 0');

export type IndicatorDefinition = z.infer<typeof IndicatorSchema>;

function loadConfig() {
  const r = ConfigSchema.safeParse(config);
  if (!r.success) throw new Error(`geodata/peace-index.json is not a valid indicator system: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** The configured indicator system. */
export const PEACE_INDEX = loadConfig();
export const INDICATOR_IDS: readonly string[] = PEACE_INDEX.indicators.map((i) => i.id);
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = Object.fromEntries(PEACE_INDEX.indicators.map((i) => [i.id, i.weight]));

const GEOLOGICAL_NAMES = hazardTypes.filter((h) => h.kind === 'geological').map((h) => h.name);

/** What an indicator measures, in words for the page and the report. */
function definition(i: IndicatorDefinition): string {
  const what = [i.category ? `${CATEGORY_NAMES.get(i.category)}(类别 ${i.category} 及其子类)` : null, i.source ? `来源为${SOURCE_NAMES[i.source]}` : null].filter(Boolean).join('、');
  switch (i.kind) {
    case 'incidentRate':
      return `统计期内发生的${what}起数 ÷ 乡镇户籍人口 × 10000,按 365 天折算为年率(起/万人·年)。`;
    case 'closedShare':
      return `统计期内发生的${what}案事件中,状态为“办结”的比例(%);督办、处置中等均不计为办结。`;
    case 'cameraCoverage':
      return '乡镇道路总长度中,位于在线摄像机视野内的长度占比(%),即视频监控审计的道路有效覆盖率:枪机按方向角、视场角和距离画扇形,球机/云台按折减距离画整圆,缺少方向角的枪机不计。取当前状态,不随统计期变化。';
    case 'hazardMonitoring':
      return `地质灾害隐患点(${GEOLOGICAL_NAMES.join('、')})中已落实监测人的比例(%)。取当前状态,不随统计期变化。`;
  }
}

// ---------------------------------------------------------------------------------------
// Input

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A date as YYYY-MM-DD (the start of that day, China time) or an ISO date-time. */
function toDate(v: string | Date): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const d = new Date(`${v}T00:00:00+08:00`);
    return chinaDateOf(d) === v ? d : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

const DateInput = z.union([z.date(), z.string().trim()]).transform((v, ctx) => {
  const d = toDate(v);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `无法识别的日期“${String(v)}”:请写成 YYYY-MM-DD(北京时间当日零点)或带时区的 ISO 时间。` });
    return z.NEVER;
  }
  return d;
});

export const PeaceIndexInputSchema = z
  .object({
    from: DateInput.optional(),
    to: DateInput.optional(),
    top: z.number({ error: '红黑榜人数须为 1 到 50 的整数。' }).int('红黑榜人数须为 1 到 50 的整数。').min(1, '红黑榜人数须为 1 到 50 的整数。').max(50, '红黑榜人数须为 1 到 50 的整数。').default(3),
    weights: z.record(z.string(), z.number({ error: '权重须为 0 到 100 之间的数。' }).min(0, '权重不能为负数。').max(100, '权重不能大于 100。')).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    for (const id of Object.keys(o.weights ?? {})) {
      if (!INDICATOR_IDS.includes(id)) ctx.addIssue({ code: 'custom', path: ['weights', id], message: `未知的指标“${id.length > 40 ? `${id.slice(0, 40)}…` : id}”:可用的指标有 ${INDICATOR_IDS.join('、')}。` });
    }
    const merged = { ...DEFAULT_WEIGHTS, ...(o.weights ?? {}) };
    if (!INDICATOR_IDS.some((id) => (merged[id] ?? 0) > 0)) ctx.addIssue({ code: 'custom', path: ['weights'], message: '权重不能全部为 0:至少要有一项指标的权重大于 0。' });
    if (o.from && o.to && o.from >= o.to) ctx.addIssue({ code: 'custom', path: ['from'], message: emptyPeriod(o.from, o.to) });
  });

export type PeaceIndexInput = z.input<typeof PeaceIndexInputSchema>;

function emptyPeriod(from: Date, to: Date): string {
  return `统计期为空:开始时间 ${chinaTime(from)} 不早于结束时间 ${chinaTime(to)},请让开始早于结束。`;
}

// ---------------------------------------------------------------------------------------
// Output

export interface IndicatorResult {
  id: string;
  name: string;
  unit: string;
  /** The measured value (rate or percentage); null when it cannot be measured (nothing to count). */
  value: number | null;
  /** What the value was computed from: count / population, closed / total, covered / road metres, monitored / points. */
  numerator: number;
  denominator: number;
  /** 0–100 across the townships, 100 = best; null when the value is null. */
  score: number | null;
  weight: number;
  target: number | null;
  /** null when the indicator has no target or no value. */
  meetsTarget: boolean | null;
}

export interface TownshipResult {
  code: string;
  name: string;
  /** Weighted mean of the indicator scores (0–100); null when no weighted indicator could be measured. */
  score: number | null;
  rank: number;
  previousScore: number | null;
  previousRank: number | null;
  /** previousRank − rank: positive means the township moved up. */
  rankChange: number | null;
  indicators: IndicatorResult[];
  list: 'red' | 'black' | null;
}

export interface PeriodInfo {
  from: string;
  to: string;
  /** The days the period covers, as a person reads them (end day inclusive). */
  label: string;
  days: number;
}

export interface PeaceIndexResult {
  method: {
    title: string;
    period: PeriodInfo;
    previousPeriod: PeriodInfo;
    defaultPeriod: boolean;
    indicators: (IndicatorDefinition & { weight: number; definition: string })[];
    normalisation: string;
    scoring: string;
    ranking: string;
    lists: { top: number; red: string; black: string };
    comparison: string;
    townships: number;
    incidents: { current: number; previous: number };
    notes: string[];
  };
  townships: TownshipResult[];
}

// ---------------------------------------------------------------------------------------
// Rows

const TownshipRow = z.object({ code: z.string(), name: z.string(), population: z.number().nullable() });
const CountRow = z.object({ code: z.string(), k: z.number().int(), current: z.boolean(), total: z.number(), closed: z.number() });
const CoverageRow = z.object({ code: z.string(), roadM: z.number(), coveredM: z.number() });
const HazardRow = z.object({ code: z.string(), points: z.number(), monitored: z.number() });

interface Measure {
  value: number | null;
  numerator: number;
  denominator: number;
}

// ---------------------------------------------------------------------------------------
// The computation

/** The index in the caller's transaction; run it with the county's rights (see published.ts). */
export async function computePeaceIndex(tx: Tx, input: PeaceIndexInput = {}): Promise<PeaceIndexResult> {
  const parsed = PeaceIndexInputSchema.safeParse(input);
  if (!parsed.success) {
    const m = mapError(parsed.error, { procedure: 'peaceIndex.compute' });
    throw new PeaceIndexInputError(m.detail, m.message);
  }
  const o = parsed.data;
  const weights = { ...DEFAULT_WEIGHTS, ...(o.weights ?? {}) };
  const indicators = PEACE_INDEX.indicators.map((i) => ({ ...i, weight: weights[i.id]! }));

  const townships = z.array(TownshipRow).parse(await many(sql('peace-index/townships.sql'), [], 'listing the townships', tx));
  if (townships.length === 0) throw new PeaceIndexInputError('The database holds no townships (admin areas of level township): import them first.', '数据库中没有乡镇(街道)区划,无法计算平安指数:请先导入乡镇区划。');

  // The period: [from, to); by default the 12 months up to the data's end (server/services/period.ts:
  // the demo's end date, else the end of the latest incident's day), as the planner page's window.
  let to = o.to;
  let from = o.from;
  const defaultPeriod = !to || !from;
  if (!to) {
    const end = await dataEnd(tx);
    if (!end) {
      if (!from) throw new PeaceIndexInputError('The database holds no incidents to set the default period by: give a start and an end date.', '数据库中没有案事件,无法确定默认统计期:请指定开始和结束日期。');
      to = new Date(from.getTime() + 365 * DAY_MS);
    } else to = end;
  }
  from ??= minusYear(to);
  if (from >= to) throw new PeaceIndexInputError(`The period is empty: ${from.toISOString()} is not before ${to.toISOString()}.`, emptyPeriod(from, to));
  const lengthMs = to.getTime() - from.getTime();
  const previousFrom = new Date(from.getTime() - lengthMs);
  const years = lengthMs / (365 * DAY_MS);

  const incidentIndicators = indicators.filter((i) => i.kind === 'incidentRate' || i.kind === 'closedShare');
  // one after another: they share the transaction (and the coverage figures a savepoint)
  const totals = await one<{ current: number; previous: number }>(sql('peace-index/incident-totals.sql'), [previousFrom, from, to], 'counting the incidents of both periods', tx);
  const counts = z.array(CountRow).parse(await many(sql('peace-index/incident-counts.sql'), [previousFrom, from, to, incidentIndicators.map((i) => i.category ?? null), incidentIndicators.map((i) => i.source ?? null)], 'counting incidents per township', tx));
  const coverage = indicators.some((i) => i.kind === 'cameraCoverage')
    ? z.array(CoverageRow).parse((await computeCoverage(tx, { hotspots: false })).townships.map((t) => ({ code: t.code, roadM: t.roads.totalKm * 1000, coveredM: t.roads.effectiveKm * 1000 })))
    : [];
  const hazards = indicators.some((i) => i.kind === 'hazardMonitoring')
    ? z.array(HazardRow).parse(await many(sql('peace-index/hazard-monitoring.sql'), [], 'counting monitored hazard points', tx))
    : [];
  const countOf = new Map(counts.map((r) => [`${r.code}|${r.k}|${r.current}`, r]));
  const coverageOf = new Map(coverage.map((r) => [r.code, r]));
  const hazardsOf = new Map(hazards.map((r) => [r.code, r]));

  /** Every township's measure of one indicator, in the current or the previous period. */
  const measure = (i: (typeof indicators)[number], t: z.infer<typeof TownshipRow>, current: boolean): Measure => {
    switch (i.kind) {
      case 'incidentRate': {
        const c = countOf.get(`${t.code}|${incidentIndicators.indexOf(i) + 1}|${current}`)?.total ?? 0;
        const pop = t.population ?? 0;
        return { value: pop > 0 ? (c / pop) * 10_000 / years : null, numerator: c, denominator: pop };
      }
      case 'closedShare': {
        const r = countOf.get(`${t.code}|${incidentIndicators.indexOf(i) + 1}|${current}`);
        const total = r?.total ?? 0;
        return { value: total > 0 ? (100 * r!.closed) / total : null, numerator: r?.closed ?? 0, denominator: total };
      }
      case 'cameraCoverage': {
        const r = coverageOf.get(t.code);
        return { value: r && r.roadM > 0 ? (100 * r.coveredM) / r.roadM : null, numerator: r?.coveredM ?? 0, denominator: r?.roadM ?? 0 };
      }
      case 'hazardMonitoring': {
        const r = hazardsOf.get(t.code);
        return { value: r && r.points > 0 ? (100 * r.monitored) / r.points : null, numerator: r?.monitored ?? 0, denominator: r?.points ?? 0 };
      }
    }
  };

  const score = (current: boolean) => {
    const measures = indicators.map((i) => townships.map((t) => measure(i, t, current)));
    const scores = indicators.map((i, k) => normalise(measures[k]!.map((m) => m.value), i.direction));
    const overall = townships.map((_, j) => weightedMean(indicators.map((i, k) => ({ weight: i.weight, score: scores[k]![j]! }))));
    return { measures, scores, overall, ranks: rankOrder(townships.map((t, j) => ({ code: t.code, score: overall[j]! }))) };
  };
  const now = score(true);
  const before = totals.previous > 0 ? score(false) : null;

  const scored = townships.filter((_, j) => now.overall[j] !== null).length;
  const top = Math.min(o.top, Math.floor(scored / 2));
  const results: TownshipResult[] = townships.map((t, j) => {
    const rank = now.ranks.get(t.code)!;
    const previousRank = before && before.overall[j] !== null ? before.ranks.get(t.code)! : null;
    return {
      code: t.code,
      name: t.name,
      score: roundOrNull(now.overall[j]!, 2),
      rank,
      previousScore: before ? roundOrNull(before.overall[j]!, 2) : null,
      previousRank,
      rankChange: previousRank !== null && now.overall[j] !== null ? previousRank - rank : null,
      indicators: indicators.map((i, k) => {
        const m = now.measures[k]![j]!;
        const target = i.target ?? null;
        return {
          id: i.id, name: i.name, unit: i.unit,
          value: roundOrNull(m.value, 4), numerator: round(m.numerator, 1), denominator: round(m.denominator, 1),
          score: roundOrNull(now.scores[k]![j]!, 2), weight: i.weight, target,
          meetsTarget: target === null || m.value === null ? null : i.direction === 'lower' ? m.value <= target : m.value >= target,
        };
      }),
      list: now.overall[j] === null ? null : rank <= top ? 'red' : rank > scored - top ? 'black' : null,
    };
  });
  results.sort((a, b) => a.rank - b.rank);

  const notes: string[] = [];
  if (totals.current === 0) notes.push('统计期内没有案事件:各乡镇发案率均为 0(并列满分),矛盾纠纷化解率、网格事件办结率无从计算,不计入指数。');
  if (!before) notes.push('上一统计期没有案事件数据,不作排名比较。');
  if (top < o.top) notes.push(`只有 ${scored} 个乡镇有指数,红榜、黑榜各取 ${top} 个,以免两榜重叠。`);
  const missing = indicators.flatMap((i, k) => {
    const names = townships.filter((_, j) => now.measures[k]![j]!.value === null).map((t) => t.name);
    return names.length && !(totals.current === 0 && i.kind === 'closedShare') ? [`${i.name}无法计算的乡镇:${names.join('、')}(${missingReason(i)}),该项不计分,权重按比例分给其余指标。`] : [];
  });
  notes.push(...missing);
  notes.push(...skewNotes(indicators, townships, now));

  return {
    method: {
      title: PEACE_INDEX.title,
      period: periodInfo(from, to),
      previousPeriod: periodInfo(previousFrom, from),
      defaultPeriod,
      indicators: indicators.map((i) => ({ ...i, definition: definition(i) })),
      normalisation: '每项指标在全县各乡镇之间按最小–最大值归一化为 0–100 分:数值越高越好的指标,最高者 100 分、最低者 0 分;数值越低越好的指标(如发案率),最低者 100 分、最高者 0 分;其余按线性插值。各乡镇数值全部相同时都记 100 分。无法计算的数值(如人口为 0、没有相关案事件或隐患点)不参与归一化,也不计分。',
      scoring: '乡镇平安指数 = Σ(指标得分 × 权重)÷ Σ 权重,只对该乡镇能计算的指标求和,结果在 0–100 之间。',
      ranking: '按平安指数从高到低排名,第 1 名最好;指数相同时按区划代码先后排列。',
      lists: { top, red: `红榜:平安指数排名前 ${top} 的乡镇。`, black: `黑榜:平安指数排名后 ${top} 的乡镇。` },
      comparison: '上一统计期为紧接本期之前、长度相同的时段,按同一方法计算;排名变化 = 上期名次 − 本期名次,正数为上升。视频监控覆盖率和隐患点监测率取当前状态,两期相同。',
      townships: townships.length,
      incidents: totals,
      notes,
    },
    townships: results,
  };
}

function missingReason(i: IndicatorDefinition): string {
  switch (i.kind) {
    case 'incidentRate':
      return '没有登记人口';
    case 'closedShare':
      return '统计期内没有相关案事件';
    case 'cameraCoverage':
      return '区域内没有道路';
    case 'hazardMonitoring':
      return '没有地质灾害隐患点';
  }
}

/**
 * Min–max normalisation to 0–100 by direction; null values stay null and take no part.
 * When every measured value is equal, everyone gets 100.
 */
/**
 * Min–max scaling puts the county's best township at 100 and its worst at 0, so an indicator
 * whose values are skewed — one township far ahead of a crowd near the bottom, as video
 * coverage of the roads is (dense cameras in the county seat, few on rural roads) — scores most
 * townships near 0 and becomes their weakest indicator by construction. Says so for every
 * indicator that is the weakest of at least half the scored townships.
 */
function skewNotes(
  indicators: ReadonlyArray<{ name: string; unit: string; weight: number }>,
  townships: ReadonlyArray<{ name: string }>,
  now: { measures: Measure[][]; scores: (number | null)[][]; overall: (number | null)[] },
): string[] {
  const weakest = townships.map((_, j) => {
    let best: { k: number; score: number } | null = null;
    indicators.forEach((i, k) => {
      const sc = now.scores[k]![j];
      if (i.weight > 0 && sc !== null && sc !== undefined && (!best || sc < best.score)) best = { k, score: sc };
    });
    return now.overall[j] === null ? null : (best as { k: number } | null)?.k ?? null;
  });
  const scored = weakest.filter((k) => k !== null).length;
  return indicators.flatMap((i, k) => {
    const n = weakest.filter((w) => w === k).length;
    if (!scored || n * 2 < scored) return [];
    const values = now.measures[k]!.map((m) => m.value).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const top = values[values.length - 1]!;
    const leader = townships[now.measures[k]!.findIndex((m) => m.value === top)]!.name;
    const median = values[Math.floor((values.length - 1) / 2)]!;
    const below = now.scores[k]!.filter((v) => v !== null && v < 25).length;
    return [`${i.name}是 ${n} 个乡镇的最弱项:全县最高 ${fmt(top)}${i.unit}(${leader}),中位数 ${fmt(median)}${i.unit}。最小–最大归一化以全县最好者为 100 分、最差者为 0 分,数值偏斜时多数乡镇得分很低(${below} 个乡镇低于 25 分):这一项反映与全县最好水平的差距,而不是绝对水平。`];
  });
}

const fmt = (v: number) => (Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

export function normalise(values: readonly (number | null)[], direction: 'lower' | 'higher'): (number | null)[] {
  const present = values.filter((v): v is number => v !== null);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values.map((v) => {
    if (v === null) return null;
    if (!(max > min)) return 100;
    return direction === 'higher' ? (100 * (v - min)) / (max - min) : (100 * (max - v)) / (max - min);
  });
}

/** Σ weight × score / Σ weight over the scores that exist; null when none with weight > 0 does. */
export function weightedMean(parts: readonly { weight: number; score: number | null }[]): number | null {
  let sum = 0;
  let total = 0;
  for (const p of parts) {
    if (p.score === null || !(p.weight > 0)) continue;
    sum += p.weight * p.score;
    total += p.weight;
  }
  return total > 0 ? sum / total : null;
}

/** Rank 1 = highest score; ties by code; townships without a score come last. */
function rankOrder(rows: { code: string; score: number | null }[]): Map<string, number> {
  const sorted = [...rows].sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return new Map(sorted.map((r, i) => [r.code, i + 1]));
}

/** The same wall-clock moment a year earlier, in China time. */
function minusYear(d: Date): Date {
  const local = new Date(d.getTime() + CHINA_OFFSET_MS);
  local.setUTCFullYear(local.getUTCFullYear() - 1);
  return new Date(local.getTime() - CHINA_OFFSET_MS);
}

/** A moment in China time, as people write it: YYYY-MM-DD HH:mm(北京时间). */
function chinaTime(d: Date): string {
  return `${new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ')}(北京时间)`;
}

function periodInfo(from: Date, to: Date): PeriodInfo {
  // A period ending at a China midnight reads as ending on the day before.
  const last = new Date(to.getTime() - 1);
  return { from: from.toISOString(), to: to.toISOString(), label: `${chinaDateOf(from)} 至 ${chinaDateOf(last)}`, days: round((to.getTime() - from.getTime()) / DAY_MS, 2) };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const roundOrNull = (v: number | null, d: number) => (v === null ? null : round(v, d));
