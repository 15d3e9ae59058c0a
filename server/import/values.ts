// Parsing of cell values as data officers' files hold them: numbers with thousands
// separators or units, dates in Chinese and US formats or as Excel serials, yes/no in
// Chinese. Each parser returns the value or a reason; it never throws.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** Empty cells: null, undefined, blank strings and the usual placeholders. */
export function isBlank(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return /^\s*(|-|—|null|NULL|N\/A|n\/a|无|空)\s*$/.test(v);
  return false;
}

export function text(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v !== null && 'text' in v) return String((v as { text: unknown }).text); // Excel rich text
  return String(v).trim();
}

/** A decimal number; accepts full-width digits, thousands separators and a trailing unit (米, m, °, 度, 人, 户). */
export function parseNumber(v: unknown): Parsed<number> {
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : bad(`not a finite number: ${v}`);
  const raw = text(v);
  const s = raw
    .replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/,(?=\d{3}\b)/g, '')
    .replace(/\s*(米|公里|km|m|°|度|人|户|层)$/i, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return bad(`not a number: '${clip(raw)}'`);
  const n = Number(s);
  return Number.isFinite(n) ? ok(n) : bad(`not a finite number: ${clip(raw)}`);
}

/** A cell value quoted in a sentence: control characters (line breaks) as spaces, cut to a readable length. */
export function clip(s: string, max = 80): string {
  const one = s.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

const COMPASS_ZH: Record<string, number> = {
  北: 0, 东北: 45, 北东: 45, 东: 90, 东南: 135, 南东: 135, 南: 180, 西南: 225, 南西: 225, 西: 270, 西北: 315, 北西: 315,
  东北偏北: 22.5, 北偏东: 22.5, 东北偏东: 67.5, 东偏北: 67.5, 东南偏东: 112.5, 东偏南: 112.5, 东南偏南: 157.5, 南偏东: 157.5,
  西南偏南: 202.5, 南偏西: 202.5, 西南偏西: 247.5, 西偏南: 247.5, 西北偏西: 292.5, 西偏北: 292.5, 西北偏北: 337.5, 北偏西: 337.5,
};
const COMPASS_EN: Record<string, number> = { N: 0, NNE: 22.5, NE: 45, ENE: 67.5, E: 90, ESE: 112.5, SE: 135, SSE: 157.5, S: 180, SSW: 202.5, SW: 225, WSW: 247.5, W: 270, WNW: 292.5, NW: 315, NNW: 337.5 };

/**
 * A camera's viewing direction in degrees clockwise from north: a number (with ° or 度),
 * or a compass word as registers write it — 东, 朝东, 向东南, 正北, 东北偏北, 由南向北 (the
 * direction it looks: north), N, NE, SSW.
 */
export function parseAzimuth(v: unknown): Parsed<number> {
  const n = parseNumber(v);
  if (n.ok || typeof v === 'number') return n;
  const raw = text(v);
  const s = raw.replace(/\s+/g, '').replace(/(方向|方位|朝向)$/, '').replace(/^由?.{0,4}?(朝|向|往)/, '').replace(/^(面|朝|向|往)/, '').replace(/^正/, '').replace(/(向|侧|面|方)$/, '');
  if (s in COMPASS_ZH) return ok(COMPASS_ZH[s]!);
  if (s.toUpperCase() in COMPASS_EN) return ok(COMPASS_EN[s.toUpperCase()]!);
  return bad(`not a number: '${clip(raw)}'`);
}

export function parseInteger(v: unknown): Parsed<number> {
  const n = parseNumber(v);
  if (!n.ok) return n;
  if (!Number.isInteger(n.value)) return bad(`not a whole number: '${clip(text(v))}'`);
  if (n.value > 2_147_483_647) return bad(`${n.value} is above the maximum 2147483647`);
  if (n.value < -2_147_483_648) return bad(`${n.value} is below the minimum -2147483648`);
  return n;
}

const TRUE_WORDS = new Set(['1', 'true', 't', 'yes', 'y', '是', '有', '在线', '已联网', '联网', '智能', '√', '✓']);
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', '否', '无', '离线', '未联网', '非智能', '×', '✗']);

export function parseBoolean(v: unknown): Parsed<boolean> {
  if (typeof v === 'boolean') return ok(v);
  const s = text(v).toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return bad(`not yes/no: '${clip(text(v))}' (use 是/否, true/false or 1/0)`);
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * A point in time. Times without a zone are local time in `utcOffsetHours` (China: +8).
 * Accepts ISO 8601, 2019-01-01 01:30[:00], 2019/1/1 1:30, 2019年1月1日 1时30分,
 * US 7/19/2017 13:45 (month first, as in US open-data exports), Excel serial numbers and Date objects.
 */
export function parseTime(v: unknown, utcOffsetHours = 8): Parsed<Date> {
  if (v instanceof Date) return Number.isNaN(v.getTime()) || v.getUTCFullYear() < 1000 || v.getUTCFullYear() > 9999 ? bad('invalid date') : ok(v);
  if (typeof v === 'number') {
    if (v > 20_000 && v < 80_000) return ok(new Date(EXCEL_EPOCH_MS + v * DAY_MS - utcOffsetHours * 3_600_000));
    return bad(`not a date: ${v}`);
  }
  const raw = text(v);
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(raw)) {
    const d = new Date(raw);
    return Number.isNaN(d.getTime()) ? bad(`not a date: '${clip(raw)}'`) : ok(d);
  }
  const s = raw.replace(/[年月]/g, '-').replace(/日/g, ' ').replace(/[时点]/g, ':').replace(/分/g, ':').replace(/秒/g, '').replace('T', ' ').trim();
  let y: number, mo: number, d: number;
  let rest: string;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*(.*)$/.exec(s);
  if (m) {
    [y, mo, d, rest] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!];
  } else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s*(.*)$/.exec(s))) {
    [mo, d, y, rest] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4]!];
  } else if ((m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(s))) {
    [y, mo, d, rest] = [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ? `${m[4]}:${m[5] ?? '00'}:${m[6] ?? '00'}` : ''];
  } else {
    return bad(`not a date: '${clip(raw)}'`);
  }
  const t = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2})(?:\.(\d+))?)?:?\s*(AM|PM)?$/i.exec(rest.trim());
  if (rest.trim() && !t) return bad(`not a time of day: '${clip(raw)}'`);
  let h = t ? Number(t[1]) : 0;
  const mi = t?.[2] ? Number(t[2]) : 0;
  const sec = t?.[3] ? Number(t[3]) : 0;
  if (t?.[5]) h = (h % 12) + (t[5].toUpperCase() === 'PM' ? 12 : 0);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return bad(`not a valid date: '${clip(raw)}'`);
  const ms = Date.UTC(y, mo - 1, d, h, mi, sec) - utcOffsetHours * 3_600_000;
  const date = new Date(ms);
  if (new Date(ms + utcOffsetHours * 3_600_000).getUTCDate() !== d) return bad(`no such day: '${clip(raw)}'`);
  return ok(date);
}

/** A calendar date (YYYY-MM-DD). */
export function parseDate(v: unknown): Parsed<string> {
  const t = parseTime(v, 0);
  return t.ok ? ok(t.value.toISOString().slice(0, 10)) : t;
}

/** Normalises a header or value for alias lookups: lower case, no spaces, brackets or punctuation. */
export function normalizeKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-()（）[\]【】:：./\\]/g, '');
}
