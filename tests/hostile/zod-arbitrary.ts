// fast-check arbitraries generated from zod 4 schemas, for the hostile-input suite
// (tests/integration/hostile-input.test.ts). Walks schema._zod.def and the checks on it.
//
// For a schema, `inputsOf` yields a mix of
// - valid values (what the schema accepts, including hostile text that fits it: SQL,
//   path traversal, lone surrogates, NUL, …),
// - boundary values: at every bound and just past it (numbers, string and array lengths),
// - perturbed values: valid except at one place, where a field gets a hostile value, a
//   wrong type, a bound just past, or an object extra keys,
// - hostile values in place of the whole input.
// Whether a value is valid is decided by the schema itself (safeParse), not here.
import fc from 'fast-check';
import type { z } from 'zod';

type Schema = z.core.$ZodType;
type Def = Record<string, unknown> & { type: string };
type Arb = fc.Arbitrary<unknown>;

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (s: Schema): Def[] => ((defOf(s).checks as Schema[] | undefined) ?? []).map((c) => defOf(c) as Def & { check: string });

// ---------------------------------------------------------------- hostile values

const MB = 1 << 20;
function deep(levels: number, leaf: unknown, wrap: (inner: unknown) => unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = wrap(v);
  return v;
}

/** Text that must never reach SQL unescaped, a path unsanitised, or a page raw. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE incidents; --",
  '1 OR 1=1',
  "' OR '1'='1",
  '$$',
  '$1',
  '\\0',
  '\u0000',
  'a\u0000b',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '/*',
  "E'\\x00'",
  "'); SELECT pg_sleep(30); --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e/%2e%2e/etc/passwd',
  '/etc/passwd',
  'file:///etc/passwd',
  '..',
  '.',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\uffff',
  '\ufeff',
  '\u202e',
  '\u0085\u2028\u2029',
  ' ',
  '\t\r\n',
  '',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  'null',
  'undefined',
  'true',
  '{}',
  '[]',
  '__proto__',
  'constructor',
  '１２',
  '٣',
  '🙂'.repeat(40),
  'a'.repeat(MB),
  '中'.repeat(MB / 2),
  "'".repeat(100_000),
];

/** Numbers past every range: not a number, infinite, negative zero, huge, tiny, past integer limits, coordinates far off. */
export const HOSTILE_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  2 ** 63,
  -1,
  1e9,
  -999,
  0.5,
  1e-300,
];

/** Wrong types and shapes: nothing, lists, objects, deep nesting, huge lists, prototype keys. */
export const HOSTILE_SHAPES: readonly unknown[] = [
  null,
  undefined,
  true,
  false,
  [],
  {},
  [null],
  { '': '' },
  deep(10_000, 1, (v) => [v]),
  deep(10_000, 1, (v) => ({ a: v })),
  Array.from({ length: 100_000 }, () => 'x'),
  Array.from({ length: 100_000 }, (_, i) => i),
  Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  { toString: 'x', valueOf: 1 },
  '2026-03-01',
  'x',
];

export const HOSTILE_VALUES: readonly unknown[] = [...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, ...HOSTILE_SHAPES];

export const hostileValue: Arb = fc.constantFrom(...HOSTILE_VALUES);

/** Extra keys an object should ignore or refuse. */
const EXTRA_KEYS: readonly Record<string, unknown>[] = [
  { "'; DROP TABLE incidents; --": 1 },
  JSON.parse('{"__proto__": {"admin": true}}'),
  { constructor: 'x' },
  { roles: ['admin'], townships: null },
  { ['k'.repeat(10_000)]: 'v' },
];

// ---------------------------------------------------------------- number bounds

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The next double above (dir 1) or below (dir -1) x. */
export function nextAfter(x: number, dir: 1 | -1): number {
  if (Number.isNaN(x) || !Number.isFinite(x)) return x;
  if (x === 0) return dir * Number.MIN_VALUE;
  f64[0] = x;
  u64[0]! += (x > 0) === (dir > 0) ? 1n : -1n;
  return f64[0]!;
}

interface NumberBounds {
  min: number;
  minInclusive: boolean;
  max: number;
  maxInclusive: boolean;
  int: boolean;
  multipleOf?: number;
}

function numberBounds(s: Schema): NumberBounds {
  const b: NumberBounds = { min: -Infinity, minInclusive: true, max: Infinity, maxInclusive: true, int: false };
  for (const c of checksOf(s)) {
    if (c.check === 'greater_than' && Number(c.value) >= b.min) Object.assign(b, { min: Number(c.value), minInclusive: Boolean(c.inclusive) });
    if (c.check === 'less_than' && Number(c.value) <= b.max) Object.assign(b, { max: Number(c.value), maxInclusive: Boolean(c.inclusive) });
    if (c.check === 'number_format') {
      b.int = String(c.format).includes('int');
      const lim = c.format === 'int32' ? 2 ** 31 - 1 : c.format === 'uint32' ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
      const low = c.format === 'int32' ? -(2 ** 31) : c.format === 'uint32' ? 0 : Number.MIN_SAFE_INTEGER;
      if (lim < b.max) Object.assign(b, { max: lim, maxInclusive: true });
      if (low > b.min) Object.assign(b, { min: low, minInclusive: true });
    }
    if (c.check === 'multiple_of') b.multipleOf = Number(c.value);
  }
  return b;
}

function validNumber(s: Schema): Arb {
  const b = numberBounds(s);
  const lo = b.minInclusive ? b.min : b.int ? b.min + 1 : nextAfter(b.min, 1);
  const hi = b.maxInclusive ? b.max : b.int ? b.max - 1 : nextAfter(b.max, -1);
  if (b.int) {
    const min = Math.ceil(Math.max(lo, Number.MIN_SAFE_INTEGER));
    const max = Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER));
    return min <= max ? fc.integer({ min, max }) : fc.constant(min);
  }
  const min = Math.max(lo, -Number.MAX_VALUE);
  const max = Math.min(hi, Number.MAX_VALUE);
  // mostly ordinary magnitudes, sometimes the whole range
  const ordinary = fc.double({ min: Math.max(min, -1e6), max: Math.min(max, 1e6), noNaN: true, noDefaultInfinity: true });
  const whole = fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return min <= 1e6 && max >= -1e6 && Math.max(min, -1e6) <= Math.min(max, 1e6) ? fc.oneof({ arbitrary: ordinary, weight: 3 }, { arbitrary: whole, weight: 1 }) : whole;
}

function numberEdges(s: Schema): unknown[] {
  const b = numberBounds(s);
  const out: unknown[] = [];
  const step = (x: number, dir: 1 | -1) => (b.int ? x + dir : nextAfter(x, dir));
  if (Number.isFinite(b.min)) out.push(b.min, step(b.min, -1), step(b.min, 1), String(b.min));
  else out.push(-1e308, -Number.MAX_SAFE_INTEGER);
  if (Number.isFinite(b.max)) out.push(b.max, step(b.max, 1), step(b.max, -1));
  else out.push(1e308, Number.MAX_SAFE_INTEGER);
  if (b.int) {
    const mid = Number.isFinite(b.min) && Number.isFinite(b.max) ? (b.min + b.max) / 2 : 1;
    out.push(Math.floor(mid) + 0.5, 2 ** 31, 2 ** 31 - 1);
  }
  if (b.multipleOf) out.push(b.multipleOf * 1.5);
  return out;
}

// ---------------------------------------------------------------- string bounds

interface StringBounds {
  min: number;
  max: number;
  patterns: RegExp[];
  formats: string[];
}

function stringBounds(s: Schema): StringBounds {
  const b: StringBounds = { min: 0, max: Infinity, patterns: [], formats: [] };
  for (const c of checksOf(s)) {
    if (c.check === 'min_length') b.min = Math.max(b.min, Number(c.minimum));
    if (c.check === 'max_length') b.max = Math.min(b.max, Number(c.maximum));
    if (c.check === 'length_equals') b.min = b.max = Number(c.length);
    if (c.check === 'string_format') {
      if (c.format === 'regex' && c.pattern instanceof RegExp) b.patterns.push(c.pattern);
      else b.formats.push(String(c.format));
    }
  }
  return b;
}

function validString(s: Schema): Arb {
  const b = stringBounds(s);
  if (b.patterns.length) {
    const [first, ...rest] = b.patterns;
    return fc.stringMatching(first!).filter((v) => rest.every((r) => r.test(v)) && v.length >= b.min && v.length <= b.max);
  }
  const maxLength = Math.min(b.max, 300);
  const plain = fc.string({ minLength: b.min, maxLength: Math.max(b.min, maxLength), unit: 'binary' });
  const fitting = HOSTILE_STRINGS.filter((v) => v.length >= b.min && v.length <= b.max);
  return fitting.length ? fc.oneof(plain, fc.constantFrom(...fitting)) : plain;
}

function stringEdges(s: Schema): unknown[] {
  const b = stringBounds(s);
  const out: unknown[] = [];
  const fill = (n: number) => '测'.repeat(n);
  if (b.min > 0) out.push(fill(b.min), fill(b.min - 1), ' '.repeat(b.min));
  if (Number.isFinite(b.max)) out.push(fill(b.max), fill(b.max + 1), ` ${fill(b.max)} `, 'a'.repeat(b.max + 1));
  for (const p of b.patterns) {
    const sample = fc.sample(fc.stringMatching(p), { numRuns: 1, seed: 1 })[0]!;
    out.push(sample, ` ${sample}`, `${sample}\n`, `${sample}x`, `${sample}'; DROP TABLE incidents; --`);
  }
  out.push(123, '');
  return out;
}

// ---------------------------------------------------------------- the walk

const MAX_DEPTH = 6;

function lengthBounds(s: Schema): { min: number; max: number } {
  let min = 0;
  let max = Infinity;
  for (const c of checksOf(s)) {
    if (c.check === 'min_length' || c.check === 'min_size') min = Math.max(min, Number(c.minimum));
    if (c.check === 'max_length' || c.check === 'max_size') max = Math.min(max, Number(c.maximum));
    if (c.check === 'length_equals' || c.check === 'size_equals') min = max = Number(c.length ?? c.size);
  }
  return { min, max };
}

/** Values the schema (most likely) accepts. */
export function validOf(s: Schema, depth = 0): Arb {
  const d = defOf(s);
  if (depth > MAX_DEPTH) return fc.constant(undefined);
  switch (d.type) {
    case 'string':
      return validString(s);
    case 'number':
      return validNumber(s);
    case 'int':
      return validNumber(s);
    case 'bigint':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'boolean':
      return fc.boolean();
    case 'date':
      // coerced dates arrive as text over HTTP; z.date() wants a Date
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
        .map((v) => (d.coerce ? v.toISOString() : v));
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'literal':
      return fc.constantFrom(...(d.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(d.entries as Record<string, unknown>));
    case 'optional':
      return fc.oneof({ arbitrary: validOf(d.innerType as Schema, depth), weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 });
    case 'nullable':
      return fc.oneof({ arbitrary: validOf(d.innerType as Schema, depth), weight: 3 }, { arbitrary: fc.constant(null), weight: 1 });
    case 'default':
    case 'prefault':
      return fc.oneof({ arbitrary: validOf(d.innerType as Schema, depth), weight: 3 }, { arbitrary: fc.constant(undefined), weight: 1 });
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'success':
      return validOf(d.innerType as Schema, depth);
    case 'lazy':
      return validOf((d.getter as () => Schema)(), depth + 1);
    case 'pipe': {
      // a transform or preprocess: generate what goes in (a preprocess's input is anything, so its output)
      const inner = d.in as Schema;
      return defOf(inner).type === 'transform' ? validOf(d.out as Schema, depth) : validOf(inner, depth);
    }
    case 'array': {
      const { min, max } = lengthBounds(s);
      return fc.array(validOf(d.element as Schema, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(max, min + 4)) });
    }
    case 'set':
      return fc.array(validOf(d.valueType as Schema, depth + 1), { maxLength: 4 }).map((v) => new Set(v));
    case 'tuple':
      return fc.tuple(...(d.items as Schema[]).map((i) => validOf(i, depth + 1)));
    case 'object': {
      const shape = d.shape as Record<string, Schema>;
      const keys = Object.keys(shape);
      return fc.record(Object.fromEntries(keys.map((k) => [k, validOf(shape[k]!, depth + 1)]))).map((o) => dropUndefined(o));
    }
    case 'record': {
      const key = validOf(d.keyType as Schema, depth + 1).filter((k) => typeof k === 'string' && k !== '__proto__') as fc.Arbitrary<string>;
      return fc.dictionary(key, validOf(d.valueType as Schema, depth + 1), { maxKeys: 4 });
    }
    case 'union':
      return fc.oneof(...(d.options as Schema[]).map((o) => validOf(o, depth + 1)));
    case 'intersection':
      return fc.tuple(validOf(d.left as Schema, depth + 1), validOf(d.right as Schema, depth + 1)).map(([a, b]) =>
        a && b && typeof a === 'object' && typeof b === 'object' ? { ...a, ...b } : a,
      );
    case 'nan':
      return fc.constant(Number.NaN);
    case 'unknown':
    case 'any':
    case 'custom':
    default:
      return fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileValue);
  }
}

function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Schema nodes that only wrap their inner type: their edges and perturbations are the inner type's. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

/** Values at and just past this node's own bounds (not its children's). */
export function edgesOf(s: Schema): unknown[] {
  const d = defOf(s);
  if (WRAPPERS.has(d.type as string)) return edgesOf(d.innerType as Schema);
  switch (d.type) {
    case 'string':
      return stringEdges(s);
    case 'number':
    case 'int':
      return numberEdges(s);
    case 'boolean':
      return ['true', 1, 0, null];
    case 'date':
      return ['2026-02-30', '2026-13-01', '0000-00-00', '275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:01.000Z', 8.64e15, -8.64e15, 8.64e15 + 1, '9999-12-31', '1900-01-01', '2026-03-01T08:00:00+99:00', 'now', ''];
    case 'enum':
    case 'literal': {
      const values = d.type === 'enum' ? Object.values(d.entries as Record<string, unknown>) : (d.values as unknown[]);
      return values.flatMap((v) => (typeof v === 'string' ? [v.toUpperCase(), ` ${v}`, `${v} `, `${v}'--`] : [String(v)])).concat(['']);
    }
    case 'array': {
      const { min, max } = lengthBounds(s);
      const element = fc.sample(validOf(d.element as Schema, 1), { numRuns: 1, seed: 7 })[0];
      const out: unknown[] = [];
      if (min > 0) out.push(Array.from({ length: min - 1 }, () => element));
      if (Number.isFinite(max)) out.push(Array.from({ length: max }, () => element), Array.from({ length: max + 1 }, () => element));
      out.push(Array.from({ length: 100_000 }, () => element));
      return out;
    }
    case 'pipe':
      return edgesOf(defOf(d.in as Schema).type === 'transform' ? (d.out as Schema) : (d.in as Schema));
    default:
      return [];
  }
}

/** A value valid except at one place: a bound just past, a hostile value, a wrong type, extra keys. */
export function perturbedOf(s: Schema, depth = 0): Arb {
  const d = defOf(s);
  if (WRAPPERS.has(d.type as string)) return perturbedOf(d.innerType as Schema, depth);
  const edges = edgesOf(s);
  const leaf: Arb[] = [hostileValue];
  if (edges.length) leaf.push(fc.constantFrom(...edges));
  if (depth > MAX_DEPTH) return fc.oneof(...leaf);
  switch (d.type) {
    case 'lazy':
      return perturbedOf((d.getter as () => Schema)(), depth + 1);
    case 'pipe':
      return perturbedOf(defOf(d.in as Schema).type === 'transform' ? (d.out as Schema) : (d.in as Schema), depth);
    case 'object': {
      const shape = d.shape as Record<string, Schema>;
      const keys = Object.keys(shape);
      const base = validOf(s, depth);
      const structural: Arb[] = [
        // one field replaced by its own perturbation
        ...(keys.length
          ? [fc.constantFrom(...keys).chain((k) => fc.tuple(base, perturbedOf(shape[k]!, depth + 1)).map(([o, v]) => ({ ...(o as object), [k]: v })))]
          : []),
        // one field missing
        ...(keys.length ? [fc.constantFrom(...keys).chain((k) => base.map((o) => { const c = { ...(o as Record<string, unknown>) }; delete c[k]; return c; }))] : []),
        // extra keys
        fc.tuple(base, fc.constantFrom(...EXTRA_KEYS)).map(([o, extra]) => Object.assign(JSON.parse(JSON.stringify(extra)), o)),
      ];
      return fc.oneof({ arbitrary: fc.oneof(...structural), weight: 4 }, { arbitrary: fc.oneof(...leaf), weight: 1 });
    }
    case 'array': {
      const element = d.element as Schema;
      const { min, max } = lengthBounds(s);
      const one = fc
        .tuple(fc.array(validOf(element, depth + 1), { minLength: Math.max(min, 1), maxLength: Math.max(min, 1, Math.min(max, 3)) }), perturbedOf(element, depth + 1))
        .map(([a, v]) => [...a.slice(0, -1), v]);
      return fc.oneof({ arbitrary: one, weight: 3 }, { arbitrary: fc.oneof(...leaf), weight: 2 });
    }
    case 'tuple': {
      const items = d.items as Schema[];
      if (!items.length) return fc.oneof(...leaf);
      return fc.oneof(
        fc.nat(items.length - 1).chain((i) => fc.tuple(validOf(s, depth), perturbedOf(items[i]!, depth + 1)).map(([t, v]) => Object.assign([...(t as unknown[])], { [i]: v }))),
        fc.oneof(...leaf),
      );
    }
    case 'record': {
      const value = d.valueType as Schema;
      const withBadValue = fc.tuple(validOf(s, depth), fc.string({ maxLength: 8 }), perturbedOf(value, depth + 1)).map(([r, k, v]) => ({ ...(r as object), [k]: v }));
      const withBadKey = fc.tuple(validOf(s, depth), fc.constantFrom(...HOSTILE_STRINGS.filter((h) => h.length < 1000)), validOf(value, depth + 1)).map(([r, k, v]) => ({ ...(r as object), [k]: v }));
      return fc.oneof(withBadValue, withBadKey, fc.oneof(...leaf));
    }
    case 'union': {
      const options = d.options as Schema[];
      return fc.oneof({ arbitrary: fc.oneof(...options.map((o) => perturbedOf(o, depth + 1))), weight: 3 }, { arbitrary: fc.oneof(...leaf), weight: 1 });
    }
    default:
      return fc.oneof(...leaf);
  }
}

/** What the suite sends: valid, perturbed (boundary, hostile, wrong type, extra keys) and wholly hostile inputs. */
export function inputsOf(s: Schema): Arb {
  return fc.oneof(
    { arbitrary: validOf(s), weight: 3 },
    { arbitrary: perturbedOf(s), weight: 6 },
    { arbitrary: hostileValue, weight: 1 },
  );
}

/** Short text for a report line: a value with long strings and deep structures abbreviated. */
export function describe(v: unknown, budget = 160): string {
  const seen = new WeakSet<object>();
  const walk = (x: unknown, depth: number): unknown => {
    if (typeof x === 'string') return x.length > 40 ? `${JSON.stringify(x.slice(0, 20)).slice(1, -1)}…(${x.length} chars)` : x;
    if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : !Number.isFinite(x) ? String(x) : Object.is(x, -0) ? '-0' : x;
    if (typeof x === 'bigint') return `${x}n`;
    if (x === undefined) return 'undefined';
    if (x instanceof Date) return `Date(${Number.isNaN(x.getTime()) ? 'invalid' : x.toISOString()})`;
    if (x && typeof x === 'object') {
      if (seen.has(x)) return '[cycle]';
      seen.add(x);
      if (depth > 3) return Array.isArray(x) ? '[…deep]' : '{…deep}';
      if (Array.isArray(x)) return x.length > 5 ? [...x.slice(0, 3).map((e) => walk(e, depth + 1)), `…(${x.length} items)`] : x.map((e) => walk(e, depth + 1));
      const entries = Object.entries(x);
      return Object.fromEntries([...entries.slice(0, 8).map(([k, e]) => [k.length > 40 ? `${k.slice(0, 20)}…` : k, walk(e, depth + 1)]), ...(entries.length > 8 ? [['…', `${entries.length} keys`]] : [])]);
    }
    return x;
  };
  const text = JSON.stringify(walk(v, 0)) ?? String(v);
  return text.length > budget ? `${text.slice(0, budget)}…` : text;
}
