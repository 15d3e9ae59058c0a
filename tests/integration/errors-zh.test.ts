// What a page is told when it sends something wrong: a Chinese sentence naming the field
// in the product's words — never zod's JSON, SQL, English or internal field names — while
// the English stays in `detail` for the CLI and the log. Through the router (caller), over
// HTTP (tRPC's own refusals: unknown procedure, malformed JSON, wrong method), and
// mapError's cases for tRPC's codes. The label dictionary is checked against every
// procedure's input schema, read from the router, so a new field without a Chinese name fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { z } from 'zod';
import { appRouter } from '../../server/root';
import { getDatabase } from '../../server/db/index';
import { mapError, UserError } from '../../server/errors';
import { CameraEditSchema, CandidateSchema } from '../../server/services/coverage/cameras';
import { PlannerParamsSchema } from '../../server/services/planner/params';
import { FACTOR_LABELS, FACTORS } from '../../server/services/hotspots/targets';
import { fieldLabel, hasOwnLabel } from '../../server/field-labels';
import { caller, TEST_ACTOR } from '../helpers';

const CJK = /[\u3400-\u9fff]/;
/** Internal names a page must never show (the inputs below use these fields). */
const INTERNAL = /cellM|neighbours|metres|responsibleUnit|startsOn|deadline|username|disabled|status|level|province|finished|in_progress|Invalid|expected|received|undefined/;

/** The Chinese page sentence of a refused call, checked; returns it and the English detail. */
function pageSentence(e: unknown): { message: string; detail: string; fieldErrors: { path: string; message: string }[] | null } {
  assert.ok(e instanceof TRPCError, `not a TRPCError: ${String(e)}`);
  assert.equal(e.code, 'BAD_REQUEST', e.message);
  const { message } = e;
  assert.match(message, CJK, message);
  assert.ok(!message.includes('{') && !message.includes('['), `JSON in ${message}`);
  assert.ok(!/SQL|SELECT|\bat \//.test(message), `SQL or a stack in ${message}`);
  assert.ok(!INTERNAL.test(message), `an internal or English word in ${message}`);
  // the English for the CLI and the log (it may quote what the user typed)
  const m = mapError(e);
  assert.ok(/[A-Za-z]{3,}/.test(m.detail) && !CJK.test(m.detail.replace(/“[^”]*”|"[^"]*"/g, '').replace(/such as 盗窃/, '')), `detail is not English: ${m.detail}`);
  return { message, detail: m.detail, fieldErrors: m.fieldErrors };
}

async function refused(p: Promise<unknown>): Promise<ReturnType<typeof pageSentence>> {
  try {
    await p;
  } catch (e) {
    return pageSentence(e);
  }
  assert.fail('the call was accepted');
}

test('zod refusals are Chinese sentences naming the field and its bound; fieldErrors keep the path', async () => {
  const api = await caller();
  // an unknown enum value: the allowed values in Chinese
  const level = await refused(api.basemap.adminAreas({ level: 'province' as 'township' }));
  assert.match(level.message, /^行政区划级别只能是乡镇\(街道\)或村\(社区\)。$/);
  assert.match(level.detail, /^level: /);
  assert.deepEqual(level.fieldErrors?.map((f) => f.path), ['level']);
  assert.match(level.fieldErrors![0]!.message, CJK);

  const status = await refused(api.targets.setStatus({ id: 1, status: 'finished' as 'completed' }));
  assert.equal(status.message, '整治状态只能是已挂牌、整治中、已完成或已摘牌。');

  // several fields at once, each named: a missing one, a wrong type, an empty string
  const many = await refused(api.admin.setDisabled({ username: '', disabled: 'yes' as unknown as boolean }));
  assert.equal(many.message, '用户名不能为空。停用应为“是”或“否”。');
  assert.deepEqual(many.fieldErrors?.map((f) => f.path), ['username', 'disabled']);

  // a bound with its unit, from a schema whose own messages are English
  const base = { name: '测试整治目标', lon: 117.6, lat: 25.7, reasons: ['测试'], responsibleUnit: '城关派出所', startsOn: '2026-10-01', deadline: '2026-12-31' };
  const cell = await refused(api.targets.create({ ...base, cellM: 20 }));
  assert.equal(cell.message, '整治目标网格边长不能小于 100 米。');
  assert.match(cell.detail, /^cellM: Too small/);
  const unit = await refused(api.targets.create({ ...base, responsibleUnit: ' ' }));
  assert.equal(unit.message, '责任单位不能为空。');
  assert.match(unit.detail, /a responsible unit is needed/);
  // a refinement with an English message and params.zh
  const deadline = await refused(api.targets.create({ ...base, deadline: '2026-09-01' }));
  assert.equal(deadline.message, '整治期限不能早于开始日期。');
  assert.match(deadline.detail, /^deadline: the deadline must not be before the start$/);
  const date = await refused(api.targets.create({ ...base, startsOn: '1 Oct 2026' }));
  assert.equal(date.message, '开始日期应为日期,写成 2026-03-01 这样的形式。');
  // the input as a whole
  const whole = await refused(api.targets.setStatus('everything' as never));
  assert.equal(whole.message, '请求参数的格式不正确:应为一组参数。');
});

test('a UserError from a service reaches the page in Chinese, its English in detail', async () => {
  const api = await caller();
  const target = await refused(api.targets.setStatus({ id: 999_999_999, status: 'completed' }));
  assert.equal(target.message, '整治目标 999999999 不存在:请刷新列表后重试。');
  assert.equal(target.detail, 'Rectification target 999999999 does not exist.');
  const base = { name: '县外整治目标', lon: 100, lat: 30, reasons: ['测试'], responsibleUnit: '城关派出所', startsOn: '2026-10-01', deadline: '2026-12-31' };
  const outside = await refused(api.targets.create(base));
  assert.match(outside.message, /^位置\(100, 30\)不在县域范围内/);
  assert.match(outside.detail, /lies outside the county/);
  const category = await refused(api.hotspots.gistar({ shape: 'square', cellM: 1000, neighbours: { kind: 'distance', metres: 2000 }, categories: ['外星人'] }));
  assert.match(category.message, /^未知的案件类别“外星人”/);
  assert.match(category.detail, /^Unknown incident category/);
  const candidate = await refused(api.coverage.removeCandidate({ id: 999_999_999 }));
  assert.equal(candidate.message, '候选点 999999999 不存在:请刷新页面后重试。');
});

test('tRPC\'s own refusals over HTTP keep their code and get a Chinese sentence', async () => {
  const databaseKind = (await getDatabase()).kind;
  const ask = async (method: string, path: string, body?: string) => {
    const req = new Request(`http://localhost/api/trpc/${path}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
    const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => ({ databaseKind, actor: TEST_ACTOR }) });
    const json = (await res.json()) as { error: { message: string; data: { code: string; fieldErrors: unknown } } };
    return { status: res.status, code: json.error.data.code, message: json.error.message, fieldErrors: json.error.data.fieldErrors };
  };
  const cases = [
    { what: 'unknown procedure', r: await ask('GET', 'nothing.here'), status: 404, code: 'NOT_FOUND', zh: /接口或数据不存在/ },
    { what: 'a mutation by GET', r: await ask('GET', 'targets.setStatus'), status: 405, code: 'METHOD_NOT_SUPPORTED', zh: /请求方式不受支持/ },
    { what: 'malformed JSON', r: await ask('POST', 'targets.setStatus', '{"id": 1, "status":'), status: 400, code: 'BAD_REQUEST', zh: /不是有效的 JSON/ },
    { what: 'a zod refusal', r: await ask('POST', 'targets.setStatus', '{"id": -1, "status": "completed"}'), status: 400, code: 'BAD_REQUEST', zh: /^整治目标编号必须大于 0。$/ },
  ];
  for (const c of cases) {
    assert.equal(c.r.status, c.status, c.what);
    assert.equal(c.r.code, c.code, c.what);
    assert.match(c.r.message, c.zh, `${c.what}: ${c.r.message}`);
    assert.ok(!/[A-Za-z]{4,}/.test(c.r.message.replace('JSON', '')), `${c.what}: English in ${c.r.message}`);
  }
  assert.deepEqual(cases[3]!.r.fieldErrors, [{ path: 'id', message: '整治目标编号必须大于 0。' }]);
});

test('mapError: tRPC\'s codes keep their status, with a Chinese sentence; a server failure says nothing of its cause', () => {
  const of = (code: TRPCError['code'], message: string, cause?: unknown) => mapError(new TRPCError({ code, message, cause }));
  const cases: [TRPCError['code'], number, RegExp][] = [
    ['PARSE_ERROR', 400, /不是有效的 JSON/],
    ['BAD_REQUEST', 400, /请求格式不正确/],
    ['NOT_FOUND', 404, /不存在/],
    ['METHOD_NOT_SUPPORTED', 405, /请求方式不受支持/],
    ['PAYLOAD_TOO_LARGE', 413, /内容太大/],
    ['UNSUPPORTED_MEDIA_TYPE', 415, /内容类型不受支持/],
    ['TOO_MANY_REQUESTS', 429, /请求过于频繁/],
    ['UNAUTHORIZED', 401, /登录/],
    ['FORBIDDEN', 403, /权限/],
    ['TIMEOUT', 408, /超时/],
  ];
  for (const [code, status, zh] of cases) {
    const m = of(code, `Something English about ${code}`);
    assert.equal(m.status, status, code);
    assert.match(m.message, zh, code);
    assert.ok(!/[A-Za-z]{4,}/.test(m.message.replace('JSON', '')), `${code}: ${m.message}`);
    assert.equal(m.detail, `Something English about ${code}`);
  }
  assert.equal(of('NOT_FOUND', '导入任务 7 不存在。').message, '导入任务 7 不存在。', 'a Chinese message of the procedure is kept');
  assert.match(of('BAD_REQUEST', 'Unexpected end of JSON input', new SyntaxError('Unexpected end of JSON input')).message, /不是有效的 JSON/);
  const server = of('INTERNAL_SERVER_ERROR', 'relation "x" does not exist', new Error('SELECT * FROM x: relation "x" does not exist'));
  assert.equal(server.kind, 'server');
  assert.ok(!/SELECT|relation/.test(server.message), server.message);
  assert.match(server.detail, /SELECT/, 'the cause stays in the detail, for the log');
  // a wrapped UserError is told as itself
  const wrapped = mapError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: new UserError('The English.', '中文。') }));
  assert.deepEqual([wrapped.kind, wrapped.status, wrapped.message, wrapped.detail], ['user', 400, '中文。', 'The English.']);
});

// ---------------------------------------------------------------- the dictionary covers the router

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; out?: z.ZodType; left?: z.ZodType; right?: z.ZodType };

/** The field paths of a schema (objects descended; records and scalars are leaves). */
function fieldPaths(schema: z.ZodType, prefix: string[] = [], out: string[][] = []): string[][] {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  switch (def.type) {
    case 'object':
      for (const [k, v] of Object.entries(def.shape ?? {})) {
        out.push([...prefix, k]);
        fieldPaths(v, [...prefix, k], out);
      }
      break;
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      fieldPaths(def.innerType!, prefix, out);
      break;
    case 'array':
      fieldPaths(def.element!, prefix, out);
      break;
    case 'union':
      for (const o of def.options ?? []) fieldPaths(o, prefix, out);
      break;
    case 'pipe':
      fieldPaths(def.in!, prefix, out);
      fieldPaths(def.out!, prefix, out);
      break;
    case 'intersection':
      fieldPaths(def.left!, prefix, out);
      fieldPaths(def.right!, prefix, out);
      break;
  }
  return out;
}

test('every input field of every procedure (and of the planner\'s URL) has a Chinese name', () => {
  type Proc = { _def: { inputs?: z.ZodType[] } };
  const schemas: [string | undefined, z.ZodType][] = [];
  for (const [path, p] of Object.entries(appRouter._def.procedures as unknown as Record<string, Proc>)) for (const s of p._def.inputs ?? []) schemas.push([path, s]);
  // inputs checked inside the service (the procedure takes z.unknown())
  schemas.push(['coverage.updateCamera', CameraEditSchema], ['coverage.addCandidate', CandidateSchema], [undefined, PlannerParamsSchema]);
  const missing: string[] = [];
  let fields = 0;
  for (const [procedure, s] of schemas) {
    for (const p of fieldPaths(s)) {
      fields++;
      if (!hasOwnLabel(p, procedure)) missing.push(`${procedure ?? 'planner URL'}: ${p.join('.')}`);
    }
  }
  assert.ok(fields > 60, `${fields} fields`);
  assert.deepEqual([...new Set(missing)], [], 'fields without a Chinese name in server/field-labels.ts');
  // the targets' factor weights are named as the ranking names them
  for (const f of FACTORS) assert.ok(fieldLabel(['weights', f], 'targets.rank').label.startsWith(FACTOR_LABELS[f]), f);
});
