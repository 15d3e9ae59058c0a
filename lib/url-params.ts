// The one reader of pages' URL parameters. Each page states its parameters once (a zod
// schema over the parameter's text, the default, and what the default is called in
// Chinese); a missing or empty parameter takes the default silently, a bad one takes the
// default with a notice the page shows ("链接参数 mode=xyz 无效,已改用默认的「热点(Gi*)」。").
// No server imports: page components on both sides use it, and so do the forms that take
// the same values (one schema for the link and the field).
import { z } from 'zod';

export interface ParamSpec<T> {
  /** Parses the parameter's text; a failure falls back to `fallback`. */
  schema: z.ZodType<T>;
  fallback: T;
  /** The default as the notice names it, e.g. "热点(Gi*)" or "500 米". */
  label: string;
}

export type ParamSpecs = Record<string, ParamSpec<unknown>>;
export type ParamValues<S extends ParamSpecs> = { [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never };

/** What a page gets from its URL: the values (defaults where missing or bad) and the notices. */
export interface ReadParams<S extends ParamSpecs> {
  values: ParamValues<S>;
  /** One Chinese sentence per bad parameter. */
  notices: string[];
  /** The names of the bad parameters (their defaults are in `values`). */
  bad: (keyof S & string)[];
}

/** A page's search parameters as Next.js hands them to a server page, or as the browser has them. */
export type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

const MAX_SHOWN = 40;
const CJK = /[\u3400-\u9fff]/;

/** The parameter's text for a notice: short, on one line. */
export function shownValue(raw: string): string {
  const one = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return one.length > MAX_SHOWN ? `${one.slice(0, MAX_SHOWN)}…` : one;
}

/** The sentence for one bad parameter; `why` (Chinese) says what the parameter must be. */
export function paramNotice(name: string, raw: string, label: string, why?: string): string {
  return `链接参数 ${name}=${shownValue(raw)} 无效${why ? `(${why})` : ''},已改用默认的「${label}」。`;
}

/** The first value of a parameter, or null when it is missing. */
export function firstValue(search: SearchInput, name: string): string | null {
  if (search instanceof URLSearchParams) return search.get(name);
  const v = search[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

/** The Chinese reason of a failed parse, if the schema gave one. */
export function issueText(error: z.ZodError): string | undefined {
  const m = error.issues.find((i) => CJK.test(i.message))?.message;
  return m;
}

/** Reads every parameter of `specs` from `search`: missing or empty → default, bad → default and a notice. */
export function readParams<S extends ParamSpecs>(search: SearchInput, specs: S): ReadParams<S> {
  const values: Record<string, unknown> = {};
  const notices: string[] = [];
  const bad: string[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const raw = firstValue(search, name);
    if (raw === null || raw.trim() === '') {
      values[name] = spec.fallback;
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      values[name] = spec.fallback;
      bad.push(name);
      notices.push(paramNotice(name, raw, spec.label, issueText(parsed.error)));
    }
  }
  return { values: values as ParamValues<S>, notices, bad: bad as (keyof S & string)[] };
}

/** Checks one form field's text with the same schema as its URL parameter: the Chinese hint, or null when it is fine. */
export function fieldHint<T>(spec: ParamSpec<T>, text: string, emptyHint?: string): string | null {
  if (text.trim() === '') return emptyHint ?? null;
  const parsed = spec.schema.safeParse(text);
  return parsed.success ? null : (issueText(parsed.error) ?? '填写有误,请检查');
}

// ---- building blocks for the pages' schemas ----

/** One of `values` (the Chinese names are listed in the reason). */
export function oneOf<const T extends string>(values: readonly [T, ...T[]], names?: readonly string[]): z.ZodType<T> {
  const list = (names ?? values).join('、');
  return z.enum(values, { error: `可选:${list}` }) as unknown as z.ZodType<T>;
}

/** A whole number from `min` to `max`; `what` names it in the reason ("网格单元边长", "米"). */
export function wholeNumber(min: number, max: number, what: string, unit = ''): z.ZodType<number> {
  const why = `${what}须为 ${min}–${max} ${unit}之间的整数`;
  return z
    .string()
    .trim()
    .regex(/^[+-]?\d+(\.0+)?$/, { error: why })
    .transform(Number)
    .pipe(z.number().int({ error: why }).min(min, { error: why }).max(max, { error: why }));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** A calendar day YYYY-MM-DD between 1990 and 2100. */
export const calendarDay: z.ZodType<string> = z
  .string()
  .trim()
  .refine((s) => isCalendarDay(s) && s >= '1990-01-01' && s <= '2100-12-31', { error: '日期须为 1990–2100 年间的 YYYY-MM-DD' });

/** Text of at most `max` characters without control characters. */
export function plainText(max: number, what: string): z.ZodType<string> {
  return z
    .string()
    .max(max, { error: `${what}不能超过 ${max} 个字符` })
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: `${what}不能包含控制字符` });
}

/**
 * `next` if it is a path of this site ("/…", not "//…" nor "/\…", no control characters),
 * else "/". The sign-in page itself is never a place to go back to.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next) || next.length > 2000) return '/';
  try {
    const base = 'http://this-site.invalid';
    if (new URL(next, base).origin !== base) return '/';
  } catch {
    return '/';
  }
  return next === '/login' || next.startsWith('/login?') ? '/' : next;
}

/** Reads a page's `next` (where to go afterwards): the safe path and, when a given one was refused, the notice. */
export function readNext(search: SearchInput): { next: string | null; notices: string[] } {
  const raw = firstValue(search, 'next');
  if (raw === null || raw === '') return { next: null, notices: [] };
  const safe = safeNext(raw);
  if (safe === raw) return { next: raw, notices: [] };
  if (raw === '/login' || raw.startsWith('/login?')) return { next: null, notices: [] };
  return { next: null, notices: [paramNotice('next', raw, '态势地图', '只能是本系统内的页面地址')] };
}
