// The hostile-input suite: every tRPC procedure, read from the app router (so a new one
// is covered without editing this file), is called with inputs generated from its own zod
// schema (tests/hostile/zod-arbitrary.ts): valid ones, ones valid except at one place (a
// bound just past, SQL, path traversal, lone surrogates, NUL, NaN, Infinity, 1 MB text,
// 10,000-deep nesting, 100,000-item lists, wrong types, extra keys) and wholly hostile ones.
// Every HTTP route (app/api/**/route.ts, called in-process) gets the same for its
// parameters, bodies and cookies. What must hold:
// - no call fails as a server error (INTERNAL_SERVER_ERROR / HTTP 5xx) or hangs;
// - an input its schema refuses is BAD_REQUEST; every refusal is a 4xx with a Chinese
//   sentence (no JSON, SQL or stack);
// - a refused call changes no row (a fingerprint of every table in the public schema,
//   taken as the owner, before and after); refusals may only add refused rows to the
//   append-only audit log (and failed sign-ins to sign_in_failures: that is their purpose).
// Calls that succeed may write (a display token issued, a sign-in): the suite puts every
// small table back as it found it at the end and checks that it did.
// HOSTILE_SEED picks other inputs; HOSTILE_RUNS scales the number per procedure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import fc from 'fast-check';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { z } from 'zod';
import { appRouter } from '../../server/root';
import { ROLES, systemActor, type Actor } from '../../server/context';
import { MAINTENANCE, withScope } from '../../server/db/scope';
import { closeDatabase } from '../../server/db/index';
import { addFeed, addUser, signIn } from '../../server/auth/accounts';
import { CameraEditSchema, CandidateSchema } from '../../server/services/coverage/cameras';
import { PlannerParamsSchema } from '../../server/services/planner/params';
import { TABLE_KINDS } from '../../server/services/planner/tables';
import { AUDIT_TABLES } from '../../server/services/coverage/tables';
import { PatrolParamsSchema } from '../../server/services/patrol/params';
import { PATROL_TABLES } from '../../server/services/patrol/tables';
import { caller } from '../helpers';
import { describe, HOSTILE_STRINGS, hostileValue, perturbedOf, validOf } from '../hostile/zod-arbitrary';

const SEED = Number(process.env.HOSTILE_SEED ?? 20_260_512);
const RUNS = Number(process.env.HOSTILE_RUNS ?? 2);
/** A call slower than this is a finding (reported, not failed: timings are not asserted). */
const SLOW_MS = 20_000;
/** A call still running after this is a hang: the suite fails rather than wait on it. */
const HANG_MS = 240_000;

/**
 * Analyses whose valid inputs may run for minutes until they bound their cost: every input
 * their schema refuses, plus at most HEAVY_VALID accepted ones that carry hostile text
 * (plain valid runs are their own tests' business).
 */
const HEAVY = /^(hotspots\.|coverage\.(figures|recommend|audit)$|targets\.(rank|evaluate)$|peaceIndex\.|patrol\.(dosage|visibility|coverage|suggest)$|wall\.patrolDosage$)/;
const HEAVY_VALID = Number(process.env.HOSTILE_HEAVY_VALID ?? 1);
/** Procedures whose router input is z.unknown() and whose service parses it: the schema the service applies. */
const INNER_SCHEMAS: Record<string, z.ZodType> = { 'coverage.updateCamera': CameraEditSchema, 'coverage.addCandidate': CandidateSchema };

/** Every role, the whole county: calls get past access checks and reach the input checks. */
const ACTOR: Actor = systemActor('hostile-input', [...ROLES]);

// ---------------------------------------------------------------- findings and counts

const failures: string[] = [];
const slow: string[] = [];
const writers = new Set<string>();
const counts = new Map<string, number>();
const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
let calls = 0;

const CJK = /[\u3400-\u9fff]/;
/** What is wrong with a refusal's text as a sentence for a page, or null. */
function sentenceProblem(message: string): string | null {
  if (!message.trim()) return 'empty message';
  if (!CJK.test(message)) return 'not a Chinese sentence';
  if (message.includes('{"') || message.includes('[{')) return 'contains JSON';
  if (/\bSQL\b|SQLSTATE|stack|\bat \/|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE\b|TypeError|RangeError/.test(message)) return 'contains SQL or a stack trace';
  if (message.length > 2000) return `${message.length} characters long`;
  return null;
}

// ---------------------------------------------------------------- the data fingerprint (as the owner)

interface TableState {
  rows: number;
  /** sum of row hashes; '' for the large tables, which are counted only */
  hash: string;
}
type Fingerprint = Map<string, TableState>;
const SNAPSHOT = 'hostile_input_snapshot';
/** Tables above this many rows are counted, not hashed or snapshotted (incidents, their history, patrol points). */
const HASH_LIMIT = 20_000;
let tables: string[] = [];
let hashed = new Set<string>();

let fingerprintMs = 0;
let fingerprints = 0;

/**
 * 'full': row counts of every table and content hashes of the small ones (the suite's start
 * and end). 'quick': the small tables' row counts and the sum of their rows' xmin, which
 * changes with every committed insert, update or delete (around calls).
 */
async function fingerprint(mode: 'full' | 'quick' = 'full'): Promise<Fingerprint> {
  const started = Date.now();
  const list = mode === 'quick' ? tables.filter((t) => hashed.has(t)) : tables;
  const hash = mode === 'quick' ? `coalesce(sum(x.xmin::text::bigint), 0)::text` : `coalesce(sum(hashtext(x::text)::bigint), 0)::text`;
  const sql = list
    .map((t) => `SELECT '${t}' AS t, count(*)::int AS n, ${hashed.has(t) ? hash : `''`} AS h FROM public."${t}" x`)
    .concat(`SELECT 'audit_log (not refused)' AS t, count(*)::int AS n, '' AS h FROM public.audit_log WHERE result = 'ok'`)
    .join(' UNION ALL ');
  const rows = await withScope(MAINTENANCE, { attempted: 'fingerprinting the data', readOnly: true, timeoutMs: 0 }, async (tx) => (await tx.query<{ t: string; n: number; h: string }>(sql)).rows);
  fingerprintMs += Date.now() - started;
  fingerprints++;
  return new Map(rows.map((r) => [r.t, { rows: r.n, hash: r.h }]));
}

/** The tables whose rows differ between two fingerprints, with how. */
function changed(a: Fingerprint, b: Fingerprint, ignore: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const [t, s] of b) {
    const was = a.get(t);
    if (!was || ignore.includes(t)) continue;
    if (was.rows !== s.rows) out.push(`${t} ${was.rows}→${s.rows} rows`);
    else if (was.hash !== s.hash) out.push(`${t} (rows changed)`);
  }
  return out;
}

let initial: Fingerprint;

before(async () => {
  const t0 = Date.now();
  const found = await withScope(MAINTENANCE, { attempted: 'listing the tables', readOnly: true, timeoutMs: 0 }, async (tx) => {
    const names = (await tx.query<{ t: string }>(`SELECT c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname NOT IN ('audit_log', 'spatial_ref_sys') ORDER BY 1`)).rows.map((r) => r.t);
    const sizes = await tx.query<{ t: string; n: number }>(names.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM public."${t}"`).join(' UNION ALL '));
    return sizes.rows;
  });
  tables = found.map((r) => r.t);
  hashed = new Set(found.filter((r) => r.n <= HASH_LIMIT).map((r) => r.t));
  // a copy of every small table, to put back what successful calls wrote
  await withScope(MAINTENANCE, { attempted: 'snapshotting the small tables', timeoutMs: 0 }, async (tx) => {
    await tx.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT} CASCADE; CREATE SCHEMA ${SNAPSHOT}`);
    for (const t of hashed) await tx.query(`CREATE TABLE ${SNAPSHOT}."${t}" AS SELECT * FROM public."${t}"`);
  });
  initial = await fingerprint();
  console.log(`hostile-input: ${tables.length} tables (${hashed.size} hashed and snapshotted), fingerprint and snapshot in ${Date.now() - t0} ms`);
});

/** Puts every small table back as the snapshot has it: rows added or changed are deleted, rows removed or changed re-inserted. */
async function restore(): Promise<string[]> {
  const restored: string[] = [];
  for (let pass = 0; pass < 4; pass++) {
    const now = await fingerprint();
    const todo = [...hashed].filter((t) => {
      const a = initial.get(t)!;
      const b = now.get(t)!;
      return a.rows !== b.rows || a.hash !== b.hash;
    });
    if (!todo.length) return restored;
    for (const t of todo) {
      try {
        await withScope(MAINTENANCE, { attempted: `restoring ${t}`, timeoutMs: 0 }, async (tx) => {
          await tx.query(`DELETE FROM public."${t}" x WHERE NOT EXISTS (SELECT 1 FROM ${SNAPSHOT}."${t}" s WHERE s::text = x::text)`);
          await tx.query(`INSERT INTO public."${t}" OVERRIDING SYSTEM VALUE SELECT * FROM ${SNAPSHOT}."${t}" s WHERE NOT EXISTS (SELECT 1 FROM public."${t}" x WHERE s::text = x::text)`);
        });
        restored.push(t);
      } catch (err) {
        // a foreign key: another table first, then again on the next pass
        if (pass === 3) failures.push(`restoring ${t} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return restored;
}

// ---------------------------------------------------------------- one call

type Outcome = { ok: true } | { ok: false; code: string; message: string; status: number };

async function settle(p: Promise<unknown>, what: string): Promise<Outcome> {
  const started = Date.now();
  const run = p.then(
    (): Outcome => ({ ok: true }),
    (err: unknown): Outcome =>
      err instanceof TRPCError
        ? { ok: false, code: err.code, message: err.message, status: getHTTPStatusCodeFromError(err) }
        : { ok: false, code: `not a TRPCError (${err instanceof Error ? err.name : typeof err})`, message: err instanceof Error ? err.message : String(err), status: 500 },
  );
  const timer = (ms: number) => new Promise<'late'>((r) => setTimeout(() => r('late'), ms).unref());
  let result = await Promise.race([run, timer(SLOW_MS)]);
  if (result === 'late') {
    result = await Promise.race([run, timer(HANG_MS - SLOW_MS)]);
    if (result === 'late') throw new Error(`${what} still running after ${HANG_MS / 1000} s: a hang`);
    slow.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const ms = Date.now() - started;
  if (ms > 3000) console.log(`    ${what.slice(0, 160)}: ${ms} ms`);
  return result;
}

function callProcedure(api: Awaited<ReturnType<typeof caller>>, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], api) as (input?: unknown) => Promise<unknown>;
  return fn(input);
}

// ---------------------------------------------------------------- tRPC procedures

type Proc = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[]; meta?: { cap?: string } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Proc>);

interface Planned {
  category: 'valid' | 'perturbed' | 'hostile';
  input: unknown;
  /** does the procedure's schema accept it */
  accepted: boolean;
}

/** A stable seed per procedure: adding one does not change the others' inputs. */
const seedOf = (path: string) => (SEED ^ crypto.createHash('sha256').update(path).digest().readInt32LE(0)) | 0;

async function plan(path: string, schema: z.ZodType | undefined): Promise<Planned[]> {
  const seed = seedOf(path);
  if (!schema) return [{ category: 'hostile', input: fc.sample(hostileValue, { seed, numRuns: 1 })[0], accepted: true }];
  const inner = INNER_SCHEMAS[path];
  const shapeOf = inner ?? schema;
  const sample = (arb: fc.Arbitrary<unknown>, n: number, offset: number) => fc.sample(arb, { seed: seed + offset, numRuns: n * RUNS });
  const raw: Omit<Planned, 'accepted'>[] = [
    ...sample(validOf(shapeOf), 3, 1).map((input) => ({ category: 'valid' as const, input })),
    ...sample(perturbedOf(shapeOf), 12, 2).map((input) => ({ category: 'perturbed' as const, input })),
    ...sample(hostileValue, 3, 3).map((input) => ({ category: 'hostile' as const, input })),
  ];
  const out: Planned[] = [];
  for (const r of raw) {
    const ok = (await schema.safeParseAsync(r.input)).success && (!inner || (await inner.safeParseAsync(r.input)).success);
    out.push({ ...r, accepted: ok });
  }
  if (!HEAVY.test(path)) return out;
  return [...out.filter((p) => !p.accepted), ...out.filter((p) => p.accepted && carriesHostileText(p.input)).slice(0, HEAVY_VALID)];
}

const HOSTILE_TEXT = new Set(HOSTILE_STRINGS);
/** Does a value hold, somewhere, one of the hostile strings? */
function carriesHostileText(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return HOSTILE_TEXT.has(v);
  if (!v || typeof v !== 'object' || depth > 8) return false;
  // values only: extra keys are dropped by the schema and reach nothing
  return Object.values(v).some((e) => carriesHostileText(e, depth + 1));
}

function judge(where: string, p: Planned, outcome: Outcome): void {
  calls++;
  count(`${p.category} ${p.accepted ? 'accepted' : 'refused'} by the schema`);
  const line = `${where} ${describe(p.input)}`;
  if (outcome.ok) {
    count('answered');
    if (!p.accepted) failures.push(`${line}: answered although its schema refuses the input`);
    return;
  }
  count(`refused ${outcome.code}`);
  if (outcome.status >= 500) {
    failures.push(`${line}: ${outcome.code} (${outcome.status}): ${outcome.message.slice(0, 300)}`);
    return;
  }
  if (!p.accepted && outcome.code !== 'BAD_REQUEST') failures.push(`${line}: refused as ${outcome.code}, expected BAD_REQUEST`);
  const problem = sentenceProblem(outcome.message);
  if (problem) failures.push(`${line}: refusal ${problem}: ${outcome.message.slice(0, 200)}`);
}

test('every tRPC procedure answers hostile input with a 4xx sentence and changes nothing when it refuses', { timeout: 1_200_000 }, async () => {
  const api = await caller(ACTOR);
  assert.ok(procedures.length >= 30, `${procedures.length} procedures`);
  const plans: { path: string; mutation: boolean; planned: Planned[] }[] = [];
  for (const [path, proc] of procedures) {
    const schema = proc._def.inputs[0];
    if (!schema && HEAVY.test(path)) {
      // nothing to send but junk tRPC ignores, and seconds of analysis per call
      count('skipped: a heavy analysis without input');
      console.log(`  ${path}: skipped (a heavy analysis without input)`);
      continue;
    }
    plans.push({ path, mutation: proc._def.type === 'mutation', planned: await plan(path, schema) });
  }
  const call = (path: string, p: Planned) => settle(callProcedure(api, path, p.input), `${path} ${describe(p.input)}`);

  // 1. every input a schema refuses, all procedures as one group: not a row may change
  //    (if one did, the group runs again procedure by procedure to say which)
  const t0 = Date.now();
  const beforeRefused = await fingerprint('quick');
  for (const { path, planned } of plans) for (const p of planned.filter((q) => !q.accepted)) judge(path, p, await call(path, p));
  let last = await fingerprint('quick');
  if (changed(beforeRefused, last).length) {
    for (const { path, planned } of plans) {
      const pre = await fingerprint('quick');
      for (const p of planned.filter((q) => !q.accepted)) await call(path, p);
      const d = changed(pre, await fingerprint('quick'));
      if (d.length) failures.push(`${path}: inputs its schema refuses changed ${d.join(', ')}`);
    }
    last = await fingerprint('quick');
  }
  console.log(`  ${plans.reduce((n, p) => n + p.planned.filter((q) => !q.accepted).length, 0)} calls its schema refuses, in ${Date.now() - t0} ms`);

  // 2. accepted inputs, procedure by procedure (a mutation call by call): a refusal changes nothing
  for (const { path, mutation, planned } of plans) {
    const t1 = Date.now();
    const accepted = planned.filter((q) => q.accepted);
    if (!accepted.length) continue;
    let answered = 0;
    for (const p of accepted) {
      const outcome = await call(path, p);
      judge(path, p, outcome);
      if (outcome.ok) answered++;
      if (mutation) {
        const now = await fingerprint('quick');
        const d = changed(last, now);
        last = now;
        if (d.length && !outcome.ok) failures.push(`${path} ${describe(p.input)}: refused (${outcome.code}) but changed ${d.join(', ')}`);
        if (d.length && outcome.ok) writers.add(`${path} (${d.join(', ')})`);
      }
    }
    if (!mutation) {
      const now = await fingerprint('quick');
      const d = changed(last, now);
      last = now;
      if (d.length && !answered) failures.push(`${path}: refused every accepted input but changed ${d.join(', ')}`);
      if (d.length && answered) writers.add(`${path} (${d.join(', ')})`);
    }
    console.log(`  ${path}: ${accepted.length} accepted inputs (${answered} answered) in ${Date.now() - t1} ms`);
  }
});

// ---------------------------------------------------------------- HTTP routes, in-process

/** A session for a person who may export, import and read the audit log, made for this suite. */
let sessionCookie = '';
const ADDRESS = `hostile-input-${process.pid}`;
const uploadRoot = path.join(os.tmpdir(), 'pingan-uploads');
const uploadsBefore = new Set(fs.existsSync(uploadRoot) ? fs.readdirSync(uploadRoot) : []);

async function signedIn(): Promise<string> {
  if (sessionCookie) return sessionCookie;
  const username = `hostile-${crypto.randomBytes(3).toString('hex')}`;
  const password = `Hostile-${crypto.randomBytes(6).toString('hex')}-42`;
  await withScope(MAINTENANCE, { attempted: 'adding the suite user' }, (tx) => addUser(tx, { username, displayName: '对抗测试', password, roles: ['analyst', 'auditor'], mustChangePassword: false }));
  const r = await signIn(username, password, ADDRESS);
  assert.ok(r.ok, 'the suite user signs in');
  sessionCookie = `pingan_session=${r.token}`;
  return sessionCookie;
}

type Handler = (req: Request) => Promise<Response> | Response;
const BASE = 'http://127.0.0.1:3999';

/** Query parameters as a route reads them: every value text. */
const Text = (max = 200) => z.string().max(max);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const plannerParams = {
  cell: z.coerce.number().min(100).max(20_000).optional(),
  distance: z.coerce.number().positive().max(100_000).optional(),
  from: Day.optional(),
  to: Day.optional(),
  category: Text(60).optional(),
  bandwidth: z.coerce.number().positive().max(50_000).optional(),
  slices: z.coerce.number().int().min(4).max(120).optional(),
  top: z.coerce.number().int().min(1).max(200).optional(),
};

interface RouteSpec {
  method: 'GET' | 'POST';
  /** the route's parameters as a schema: what it should accept */
  query?: z.ZodObject;
  /** a JSON body's schema (POST) */
  body?: z.ZodObject;
  /** send only what the schema refuses (valid ones print PDFs or run the heavy analyses) */
  refusedOnly?: boolean;
  signedIn?: boolean;
  /** sent with a feed token of this topic (the ingest routes) instead of a session */
  feed?: 'camera-status' | 'hazard-alert';
  /** tables a refusal writes on purpose */
  refusalWrites?: string[];
}

/** Every route under app/api, keyed by its folder; a route missing here fails the suite. */
const ROUTES: Record<string, RouteSpec> = {
  'admin/audit/export': { method: 'GET', signedIn: true, query: z.object({ format: z.enum(['csv', 'xlsx']).optional(), from: z.iso.datetime().optional(), to: z.iso.datetime().optional(), actor: Text(100).optional(), action: Text(100).optional() }) },
  'auth/sign-in': { method: 'POST', body: z.object({ username: z.string().trim().min(1).max(60), password: z.string().min(1).max(200) }), refusalWrites: ['sign_in_failures'] },
  'auth/sign-out': { method: 'POST' },
  'planner/report': { method: 'GET', signedIn: true, refusedOnly: true, query: z.object({ paper: z.enum(['A4', 'A3']).optional(), mode: z.enum(['gistar', 'kde', 'emerging']).optional(), ...plannerParams }) },
  'planner/export': { method: 'GET', signedIn: true, refusedOnly: true, query: z.object({ table: z.enum(TABLE_KINDS), format: z.enum(['csv', 'xlsx', 'geojson']).optional(), ...plannerParams }) },
  'display/activate': { method: 'GET', query: z.object({ token: Text(100) }) },
  'audit/report': { method: 'GET', signedIn: true, refusedOnly: true, query: z.object({ paper: z.enum(['A4', 'A3']).optional() }) },
  'patrol/export': { method: 'GET', signedIn: true, refusedOnly: true, query: PatrolParamsSchema.extend({ table: z.enum(PATROL_TABLES), format: z.enum(['csv', 'xlsx', 'geojson', 'gpx']).optional() }) },
  'patrol/report': { method: 'GET', signedIn: true, refusedOnly: true, query: PatrolParamsSchema },
  'audit/export': { method: 'GET', signedIn: true, refusedOnly: true, query: z.object({ table: z.enum(AUDIT_TABLES), format: z.enum(['csv', 'xlsx', 'geojson']).optional(), budget: z.coerce.number().int().min(1).max(1000).optional(), type: z.enum(['dome', 'fixed', 'ptz']).optional() }) },
  uploads: { method: 'POST', signedIn: true },
  'trpc/[trpc]': { method: 'POST', signedIn: true },
  health: { method: 'GET', query: z.object({ x: z.string().optional() }) }, // takes no parameters: any are ignored
  'tiles/[file]': { method: 'GET', signedIn: true, query: z.object({ x: z.string().optional() }) }, // the file name is the path; the query is ignored
  // pushes name cameras and hazards the register does not hold: valid ones are refused by item (400), never written
  'ingest/camera-status': {
    method: 'POST', feed: 'camera-status', refusalWrites: ['feeds'],
    body: z.object({ items: z.array(z.object({ gbId: z.string().regex(/^\d{20}$/), status: z.enum(['online', 'offline', 'faulty', 'ON', 'OFF']), at: z.iso.datetime({ offset: true }) })).min(1).max(10_000) }),
  },
  'ingest/hazard-alert': {
    method: 'POST', feed: 'hazard-alert', refusalWrites: ['feeds'],
    body: z.object({ items: z.array(z.object({ hazardCode: Text(100), level: z.enum(['blue', 'yellow', 'orange', 'red', '红色预警']).nullable(), at: z.iso.datetime({ offset: true }), alertId: Text(100).optional(), note: Text(500).optional() })).min(1).max(1000) }),
  },
};

const feedTokens = new Map<string, string>();
/** A feed token of the topic, issued once for the suite. */
async function feedToken(topic: 'camera-status' | 'hazard-alert'): Promise<string> {
  if (!feedTokens.has(topic)) {
    const f = await withScope(MAINTENANCE, { attempted: 'adding the suite feed' }, (tx) => addFeed(tx, `hostile-${topic}-${crypto.randomBytes(3).toString('hex')}`, [topic]));
    feedTokens.set(topic, f.token);
  }
  return feedTokens.get(topic)!;
}

function routeFolders(dir = path.resolve('app/api'), prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFolders(path.join(dir, e.name), prefix ? `${prefix}/${e.name}` : e.name) : e.name === 'route.ts' ? [prefix] : [],
  );
}

/** A value as a query parameter: hostile shapes become their text. */
function asParam(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === undefined) return '';
  try {
    return JSON.stringify(v)?.slice(0, 100_000) ?? String(v);
  } catch {
    return '[[[…'; // deeper than JSON.stringify goes: what arrives is its text, cut
  }
}

function queryString(input: unknown): string {
  // URLSearchParams writes lone surrogates as U+FFFD, as a browser would
  if (!input || typeof input !== 'object' || Array.isArray(input)) return `?${new URLSearchParams({ q: asParam(input) }).toString()}`;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) if (v !== undefined) params.append(k, asParam(v));
  return `?${params.toString()}`;
}

/** Headers an attacker controls: broken cookies, forged addresses, odd content types. */
const HOSTILE_HEADERS: Record<string, string>[] = [
  { cookie: 'pingan_session=%E0%A4%A' },
  { cookie: `pingan_session=${'a'.repeat(5000)}; pingan_display=dsp_%ZZ` },
  { cookie: 'pingan_print=..%2F..%2Fetc%2Fpasswd.x; =; ;;' },
  { authorization: `Bearer dsp_${"'; DROP TABLE displays; --"}` },
  { 'x-forwarded-for': `${'9'.repeat(1000)}, ${ADDRESS}` },
  { 'content-type': 'text/plain' },
  { 'content-type': 'multipart/form-data; boundary=' },
];

interface RouteCall {
  category: 'valid' | 'perturbed' | 'hostile' | 'header' | 'body';
  accepted: boolean;
  request: Request;
  label: string;
}

async function routeCalls(name: string, spec: RouteSpec): Promise<RouteCall[]> {
  const seed = seedOf(`route:${name}`);
  const url = `${BASE}/api/${name.replace('[trpc]', 'stats.counts')}`;
  const auth = spec.signedIn ? await signedIn() : '';
  const bearer = spec.feed ? await feedToken(spec.feed) : '';
  const headers = (extra: Record<string, string> = {}) => ({ 'x-forwarded-for': ADDRESS, ...(auth ? { cookie: auth } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...extra });
  const out: RouteCall[] = [];
  const schema = spec.query ?? spec.body;
  if (schema) {
    const sampled = [
      ...fc.sample(validOf(schema), { seed: seed + 1, numRuns: 4 * RUNS }).map((input) => ({ category: 'valid' as const, input })),
      ...fc.sample(perturbedOf(schema), { seed: seed + 2, numRuns: 14 * RUNS }).map((input) => ({ category: 'perturbed' as const, input })),
      ...fc.sample(hostileValue, { seed: seed + 3, numRuns: 3 * RUNS }).map((input) => ({ category: 'hostile' as const, input })),
    ];
    for (const s of sampled) {
      // what the route sees: text parameters (query) or the JSON body as sent
      const seen = spec.query ? Object.fromEntries(new URLSearchParams(queryString(s.input).slice(1))) : s.input;
      const accepted = spec.query ? (await spec.query.safeParseAsync(Object.fromEntries(Object.entries(seen as Record<string, string>).filter(([, v]) => v !== '')))).success : (await spec.body!.safeParseAsync(seen)).success;
      if (spec.refusedOnly && accepted) continue;
      let body: string | undefined;
      try {
        body = spec.body ? JSON.stringify(s.input) : undefined;
      } catch {
        body = '[[[[';
      }
      out.push({
        category: s.category,
        accepted,
        request: new Request(spec.query ? `${url}${queryString(s.input)}` : url, { method: spec.method, headers: headers(spec.body ? { 'content-type': 'application/json' } : {}), body }),
        label: describe(s.input),
      });
    }
  }
  // percent-escapes that decode to nothing valid, written into the address as they are
  const raw = spec.refusedOnly ? '?paper=%E0%A4%A&table=%ZZ&mode=%00' : `?${Object.keys(spec.query?.shape ?? { q: 1 }).map((k) => `${k}=%E0%A4%A%ZZ%00`).join('&')}`;
  out.push({ category: 'header', accepted: !spec.refusedOnly, request: new Request(`${url}${raw}`, { method: spec.method, headers: headers() }), label: `malformed escapes ${raw.slice(0, 60)}` });
  for (const h of HOSTILE_HEADERS) {
    const safe = spec.refusedOnly ? `${url}?paper=A5&table=none&mode=none` : url;
    out.push({ category: 'header', accepted: !spec.refusedOnly, request: new Request(safe, { method: spec.method, headers: { 'x-forwarded-for': ADDRESS, ...h } }), label: JSON.stringify(h).slice(0, 120) });
  }
  if (spec.method === 'POST') {
    const bodies: [string, BodyInit, string][] = [
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0xed, 0xa0, 0x80, 0x7d]), 'application/json'],
      ['truncated JSON', '{"username": "a', 'application/json'],
      ['deep JSON', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'application/json'],
      ['5 MB of JSON', JSON.stringify({ username: 'x'.repeat(5 * MB_CHARS), password: 'y' }), 'application/json'],
      ['a form, not JSON', 'username=admin&password=x', 'application/x-www-form-urlencoded'],
      ['XML', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', 'application/xml'],
      ['no body', '', 'application/json'],
    ];
    for (const [what, body, type] of bodies) {
      out.push({ category: 'body', accepted: true, request: new Request(url, { method: 'POST', headers: headers({ 'content-type': type }), body }), label: what });
    }
  }
  return out;
}
const MB_CHARS = 1 << 20;

/** Multipart uploads with hostile file names and framing. */
async function uploadCalls(): Promise<RouteCall[]> {
  const url = `${BASE}/api/uploads`;
  const cookie = await signedIn();
  const out: RouteCall[] = [];
  const names = ['../../etc/passwd', '..\\..\\evil.csv', '%2e%2e%2fevil.csv', '..', '.', '/etc/passwd', 'a\u0000b.csv', '\ud800.csv', `${'长'.repeat(300)}.csv`, "'; DROP TABLE incidents; --.csv", 'CON', ' .csv', 'a/b/c.csv', 'x'.repeat(5000)];
  for (const name of names) {
    const form = new FormData();
    form.append('file', new File(['编号,名称\n1,测试\n'], name, { type: 'text/csv' }));
    out.push({ category: 'perturbed', accepted: true, request: new Request(url, { method: 'POST', headers: { cookie, 'x-forwarded-for': ADDRESS }, body: form }), label: `file name ${describe(name)}` });
  }
  const empty = new FormData();
  empty.append('file', new File([], 'empty.csv'));
  const noFile = new FormData();
  noFile.append('other', 'x');
  const textOnly = new FormData();
  textOnly.append('file', 'not a file');
  for (const [label, body, type] of [
    ['an empty file', empty, undefined],
    ['no file field', noFile, undefined],
    ['a text field named file', textOnly, undefined],
    ['JSON instead of multipart', '{"file": "x"}', 'application/json'],
    ['broken multipart', '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc', 'multipart/form-data; boundary=x'],
    ['multipart without a boundary', 'abc', 'multipart/form-data'],
    ['invalid UTF-8 in the part headers', new Uint8Array([...Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="'), 0xff, 0xfe, ...Buffer.from('.csv"\r\n\r\nabc\r\n--x--\r\n')]), 'multipart/form-data; boundary=x'],
  ] as [string, BodyInit, string | undefined][]) {
    out.push({ category: 'body', accepted: true, request: new Request(url, { method: 'POST', headers: { cookie, 'x-forwarded-for': ADDRESS, ...(type ? { 'content-type': type } : {}) }, body }), label });
  }
  return out;
}

/** tRPC over its HTTP adapter: malformed batches, unknown procedures, wrong methods, hostile JSON. */
async function trpcCalls(): Promise<RouteCall[]> {
  const cookie = await signedIn();
  const h = { cookie, 'x-forwarded-for': ADDRESS, 'content-type': 'application/json' };
  const r = (label: string, url: string, init: RequestInit = {}): RouteCall => ({ category: 'body', accepted: true, request: new Request(`${BASE}/api/trpc/${url}`, { headers: h, ...init }), label });
  return [
    r('unknown procedure', 'nope.nothing'),
    r('a query sent as POST', 'stats.counts', { method: 'POST', body: '{}' }),
    r('a mutation sent as GET', 'targets.setStatus?input=%7B%7D'),
    r('input that is not JSON', 'basemap.adminAreas?input=%7Blevel'),
    r('input with invalid UTF-8', 'basemap.adminAreas?input=%7B%22level%22%3A%22%ff%fe%22%7D'),
    r('a 1000-call batch', `${Array.from({ length: 1000 }, () => 'auth.me').join(',')}?batch=1&input=%7B%7D`),
    r('a batch with a bad index', 'auth.me,auth.me?batch=1&input=%7B%22x%22%3A1%7D'),
    r('a mutation with invalid UTF-8', 'admin.revokeDisplay', { method: 'POST', body: new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }),
    r('a mutation with deep JSON', 'admin.revokeDisplay', { method: 'POST', body: `${'{"name":'.repeat(50_000)}"x"${'}'.repeat(50_000)}` }),
    r('a mutation with NUL in the name', 'admin.revokeDisplay', { method: 'POST', body: '{"name":"a\\u0000b"}' }),
    r('a mutation with SQL in the name', 'admin.revokeDisplay', { method: 'POST', body: JSON.stringify({ name: HOSTILE_STRINGS[0] }) }),
    r('a mutation with a truncated body', 'admin.revokeDisplay', { method: 'POST', body: '{"name":' }),
    ...HOSTILE_HEADERS.map((extra): RouteCall => ({ category: 'header', accepted: true, request: new Request(`${BASE}/api/trpc/stats.counts`, { headers: { 'x-forwarded-for': ADDRESS, ...extra } }), label: JSON.stringify(extra).slice(0, 120) })),
  ];
}

/** The sentence of a route's refusal: text, { error }, or tRPC's JSON (one or a batch). */
async function refusalText(res: Response): Promise<string> {
  const text = await res.text();
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    const body = JSON.parse(text) as unknown;
    const first = (Array.isArray(body) ? body.find((b) => (b as { error?: unknown }).error) : body) as { error?: unknown } | undefined;
    const e = first?.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object') return String((e as { message?: unknown }).message ?? (e as { json?: { message?: unknown } }).json?.message ?? '');
    return text;
  } catch {
    return text;
  }
}

test('every HTTP route answers hostile parameters, bodies and headers without a server error', { timeout: 900_000 }, async () => {
  const folders = routeFolders();
  assert.deepEqual(folders.filter((f) => !ROUTES[f]).sort(), [], 'routes without a hostile-input spec in this file');
  for (const name of folders.sort()) {
    const t0 = Date.now();
    const spec = ROUTES[name]!;
    const mod = (await import(path.resolve('app/api', name, 'route.ts'))) as Record<string, Handler>;
    const handler = mod[spec.method];
    assert.ok(handler, `${name} exports ${spec.method}`);
    const planned = name === 'uploads' ? await uploadCalls() : name === 'trpc/[trpc]' ? await trpcCalls() : await routeCalls(name, spec);
    const before = await fingerprint('quick');
    let answered = 0;
    for (const c of planned) {
      const where = `${spec.method} /api/${name} ${c.label}`;
      let res: Response;
      try {
        const outcome = await settle(Promise.resolve(handler(c.request)).then((r) => { res = r; }), where);
        if (!outcome.ok) throw new Error(outcome.message);
      } catch (err) {
        calls++;
        failures.push(`${where}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`.slice(0, 400));
        continue;
      }
      calls++;
      count(`route ${c.category}`);
      const status = res!.status;
      count(`route answered ${Math.floor(status / 100)}xx`);
      if (status >= 500) {
        failures.push(`${where}: HTTP ${status}: ${(await res!.text()).slice(0, 200)}`);
        continue;
      }
      if (status < 400) {
        answered++;
        await res!.body?.cancel();
        if (!c.accepted) failures.push(`${where}: HTTP ${status} although the parameters are out of range`);
        continue;
      }
      const problem = sentenceProblem(await refusalText(res!));
      if (problem) failures.push(`${where}: HTTP ${status} refusal ${problem}`);
    }
    const diff = changed(before, await fingerprint('quick'), spec.refusalWrites);
    if (diff.length && !answered) failures.push(`/api/${name}: refused every call but changed ${diff.join(', ')}`);
    if (diff.length && answered) writers.add(`/api/${name} (${diff.join(', ')})`);
    console.log(`  /api/${name}: ${planned.length} calls in ${Date.now() - t0} ms`);
  }
  // uploads the suite stored stay inside their own folder
  for (const id of fs.existsSync(uploadRoot) ? fs.readdirSync(uploadRoot) : []) {
    if (uploadsBefore.has(id)) continue;
    const dir = path.join(uploadRoot, id);
    if (!/^[0-9a-f]{24}$/.test(id) || !fs.statSync(dir).isDirectory()) failures.push(`an upload left ${dir} outside an upload folder`);
  }
});

let restoredAlready = false;
async function putBack(): Promise<{ restored: string[]; left: string[] }> {
  restoredAlready = true;
  const restored = await restore();
  // the audit log is append-only: what successful calls recorded stays (and is reported)
  return { restored, left: changed(initial, await fingerprint(), ['audit_log (not refused)']) };
}

after(async () => {
  for (const id of fs.existsSync(uploadRoot) ? fs.readdirSync(uploadRoot) : []) if (!uploadsBefore.has(id)) fs.rmSync(path.join(uploadRoot, id), { recursive: true, force: true });
  if (initial && !snapshotDropped) {
    if (!restoredAlready) await putBack();
    await dropSnapshot();
  }
  // tests/helpers.ts may have closed the pool before this hook reopened it
  await closeDatabase();
});

let snapshotDropped = false;
async function dropSnapshot(): Promise<void> {
  await withScope(MAINTENANCE, { attempted: 'dropping the snapshot', timeoutMs: 0 }, (tx) => tx.query(`DROP SCHEMA IF EXISTS ${SNAPSHOT} CASCADE`));
  snapshotDropped = true;
}

test('no call failed, no refusal changed data, and the suite leaves the data as it found it', { timeout: 600_000 }, async () => {
  const { restored, left } = await putBack();
  await dropSnapshot();
  const summary = [...counts].sort().map(([k, n]) => `${k}: ${n}`).join('; ');
  console.log(`hostile-input: ${calls} calls (seed ${SEED}): ${summary}`);
  console.log(`hostile-input: ${fingerprints} fingerprints took ${fingerprintMs} ms`);
  if (writers.size) console.log(`hostile-input: successful calls that wrote (put back afterwards): ${[...writers].join('; ')}`);
  if (restored.length) console.log(`hostile-input: tables put back: ${restored.join(', ')}`);
  if (slow.length) console.log(`hostile-input: calls slower than ${SLOW_MS / 1000} s:\n  ${slow.join('\n  ')}`);
  if (left.length) failures.push(`the suite left data changed: ${left.join(', ')}`);
  if (failures.length) console.log(`hostile-input: ${failures.length} findings:\n  ${failures.join('\n  ')}`);
  assert.deepEqual(failures, []);
});
