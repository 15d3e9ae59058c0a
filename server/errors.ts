// The one error vocabulary of the server. A UserError is something the user did wrong
// (a bad parameter, a file that cannot be read, an input outside what an analysis
// accepts); its message says what is wrong and where. Subsystems subclass it so logs
// and tests can tell them apart, but every entry point maps them the same way:
// tRPC BAD_REQUEST, HTTP 400, CLI exit 2. AccessError is a missing or insufficient
// sign-in (401 / 403). Anything else is the server's fault: logged in full, answered
// with a generic sentence that carries no SQL, stack or path.
//
// Pages get Chinese (mapError().message), the CLI and the log English (.detail). A
// refused zod input is told field by field in Chinese: the schema's own message when it
// is Chinese (or its `params.zh`, beside an English message), else a sentence made from
// the issue's code, bound and the field's Chinese name (server/field-labels.ts). tRPC's
// own refusals (malformed JSON, an unknown procedure, a wrong method) keep their code
// and get a Chinese sentence per code.
import { z, ZodError } from 'zod';
import { fieldLabel, valueLabel } from './field-labels';
import { logger } from './log';
import { REQUEST_ID_HEADER } from './request-id';

export class UserError extends Error {
  override name = 'UserError';
  /**
   * @param message English, for the CLI and the log.
   * @param zh The same in Chinese, for pages (tRPC, routes, the import report): what is
   *   wrong and what to do, without CLI flags, SQL or field names a user never saw.
   */
  constructor(
    message: string,
    readonly zh: string,
  ) {
    super(message);
  }
}

/** Parameters of an analysis (hotspots, KDE, emerging, targets, back-test). */
export class HotspotInputError extends UserError {
  override name = 'HotspotInputError';
}
/** Parameters of the camera coverage audit, 补点 and register edits. */
export class CoverageInputError extends UserError {
  override name = 'CoverageInputError';
}
/** Parameters of the 平安指数. */
export class PeaceIndexInputError extends UserError {
  override name = 'PeaceIndexInputError';
}
/** A file or import option as a whole (row-level problems go into the import report). */
export class ImportError extends UserError {
  override name = 'ImportError';
}
/** An unknown or unusable coordinate reference system. */
export class CrsError extends UserError {
  override name = 'CrsError';
}
/** Accounts: a weak password, an unknown user, a duplicate name. */
export class AccountError extends UserError {
  override name = 'AccountError';
}

export type AccessCode = 'UNAUTHORIZED' | 'FORBIDDEN';

/** Not signed in (UNAUTHORIZED) or signed in without the right (FORBIDDEN). */
export class AccessError extends Error {
  override name = 'AccessError';
  constructor(
    readonly code: AccessCode,
    message: string,
  ) {
    super(message);
  }
}

/** Too much work is queued (server/analysis-queue.ts): try again shortly (tRPC TOO_MANY_REQUESTS, HTTP 429). */
export class BusyError extends UserError {
  override name = 'BusyError';
}

export type ErrorKind = 'user' | 'busy' | 'unauthorized' | 'forbidden' | 'server';

export interface MappedError {
  kind: ErrorKind;
  /** 400/401/403/500; tRPC's own refusals keep their status (404, 405, 413, 415…). */
  status: number;
  /** What a page's user is told (Chinese). */
  message: string;
  /** The English sentence for the CLI and the log (same as message when only one exists). */
  detail: string;
  fieldErrors: { path: string; message: string }[] | null;
}

const SERVER_MESSAGE = '服务器内部错误:操作未完成,请稍后重试;如果问题持续,请联系系统管理员查看服务日志。';

/** Where an error happened, for naming fields: the tRPC procedure ("targets.rank"). */
export interface ErrorContext {
  procedure?: string;
}

/** The one mapping from an error to what the caller is told. */
export function mapError(err: unknown, context: ErrorContext = {}): MappedError {
  if (err instanceof BusyError) return { kind: 'busy', status: 429, message: err.zh ?? err.message, detail: err.message, fieldErrors: null };
  if (err instanceof UserError) return { kind: 'user', status: 400, message: err.zh ?? err.message, detail: err.message, fieldErrors: null };
  if (err instanceof ZodError) return mapZodError(err, context.procedure);
  if (err instanceof AccessError) {
    return err.code === 'UNAUTHORIZED'
      ? { kind: 'unauthorized', status: 401, message: err.message, detail: err.message, fieldErrors: null }
      : { kind: 'forbidden', status: 403, message: err.message, detail: err.message, fieldErrors: null };
  }
  if (isTrpcError(err)) {
    // a procedure's failure wrapped by tRPC (or by server/trpc.ts): the cause decides
    const cause = err.cause;
    if (cause instanceof UserError || cause instanceof ZodError || cause instanceof AccessError) return mapError(cause, context);
    return mapTrpcRefusal(err);
  }
  if (isUnstorableText(err)) return { kind: 'user', status: 400, message: UNSTORABLE_TEXT, detail: `The input contains characters the database cannot store (a NUL character or an invalid encoding): ${err instanceof Error ? err.message : String(err)}`, fieldErrors: null };
  return { kind: 'server', status: 500, message: SERVER_MESSAGE, detail: err instanceof Error ? err.message : String(err), fieldErrors: null };
}

const UNSTORABLE_TEXT = '输入中含有无法保存的字符(例如空字符或无效的编码):请删除这些字符后重试。';

/**
 * A database error (DbError, by name: this module does not import the database) because text
 * the user sent cannot be stored: PostgreSQL refuses NUL characters in text (22021) and
 * characters outside the encoding (22P05). Only input carries them, so it is the user's.
 */
function isUnstorableText(err: unknown): boolean {
  const code = err instanceof Error && err.name === 'DbError' ? (err as { cause?: { code?: unknown } }).cause?.code : undefined;
  return code === '22021' || code === '22P05';
}

// ---------------------------------------------------------------- zod: Chinese sentences per issue

const CJK = /[\u3400-\u9fff]/;
/** Sentences shown at most for one refused input (a hostile input can have thousands of issues). */
const MAX_SENTENCES = 5;

type Issue = z.core.$ZodIssue;

function mapZodError(err: ZodError, procedure: string | undefined): MappedError {
  const fieldErrors = err.issues.map((i) => ({ path: i.path.join('.'), message: issueZh(i, procedure) }));
  const sentences = [...new Set(fieldErrors.map((f) => f.message))];
  const message = sentences.slice(0, MAX_SENTENCES).join('') + (sentences.length > MAX_SENTENCES ? `(另有 ${sentences.length - MAX_SENTENCES} 处问题未列出。)` : '');
  const detail = err.issues.map((i) => { const p = i.path.join('.'); const e = issueEnglish(i); return p ? `${p}: ${e}` : e; }).join('; ');
  return { kind: 'user', status: 400, message, detail, fieldErrors };
}

const enLocale = z.locales.en().localeError;

/** The issue in English for the CLI and the log: its own message, or zod's English when the schema wrote Chinese. */
function issueEnglish(i: Issue): string {
  if (!CJK.test(i.message) || i.code === 'custom') return i.message;
  const en = enLocale(i as never);
  return (typeof en === 'string' ? en : en?.message) ?? i.message;
}

/** A sentence ends with Chinese punctuation. */
function sentence(s: string): string {
  const t = s.trim();
  return /[。！？!?.)）]$/.test(t) ? t : `${t}。`;
}

function number(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : v.toLocaleString('zh-CN', { maximumFractionDigits: 6 });
}

function alternatives(labels: string[]): string {
  if (labels.length <= 1) return labels[0] ?? '';
  return `${labels.slice(0, -1).join('、')}或${labels[labels.length - 1]}`;
}

const FORMATS: Record<string, string> = {
  email: '电子邮件地址', url: '网址', datetime: '日期时间(例如 2026-03-01T08:00:00+08:00)', date: '日期(例如 2026-03-01)', time: '时间(例如 08:30)',
  uuid: '编号', ipv4: 'IPv4 地址', ipv6: 'IPv6 地址', base64: 'Base64 文本', json_string: 'JSON 文本',
};

/** What a page says about one zod issue: the schema's own Chinese, else a sentence made from the issue's code. */
function issueZh(i: Issue, procedure: string | undefined): string {
  const params = (i as { params?: { zh?: unknown } }).params;
  if (typeof params?.zh === 'string') return sentence(params.zh);
  if (CJK.test(i.message)) return sentence(i.message);
  const { label, unit } = fieldLabel(i.path, procedure);
  const u = unit ? ` ${unit}` : '';
  switch (i.code) {
    case 'invalid_type': {
      const received = i.message.match(/received (\S+)$/)?.[1] ?? (i as { received?: string }).received;
      if (received === 'undefined') return `请填写${label}。`;
      switch (i.expected) {
        case 'int': return `${label}应为整数。`;
        case 'number': return received === 'NaN' || received === 'Infinity' || received === '-Infinity' ? `${label}应为有限的数字。` : `${label}应为数字。`;
        case 'date': return `${label}不是有效的日期或时间:请写成 2026-03-01 这样的日期。`;
        case 'string': return `${label}应为文字。`;
        case 'boolean': return `${label}应为“是”或“否”。`;
        case 'array': return `${label}应为一组值(列表)。`;
        case 'object': case 'record': return `${label}的格式不正确:应为一组参数。`;
        default: return `${label}的类型不正确。`;
      }
    }
    case 'too_small': {
      const min = i.minimum;
      switch (i.origin) {
        case 'string': return Number(min) <= 1 ? `${label}不能为空。` : `${label}至少要有 ${number(min)} 个字符。`;
        case 'array': case 'set': return Number(min) <= 1 ? `${label}至少要有一项。` : `${label}至少要有 ${number(min)} 项。`;
        case 'date': return `${label}不能早于 ${new Date(Number(min)).toISOString().slice(0, 10)}。`;
        case 'file': return `${label}不能小于 ${number(min)} 字节。`;
        default: return i.inclusive ? `${label}不能小于 ${number(min)}${u}。` : Number(min) === 0 ? `${label}必须大于 0。` : `${label}必须大于 ${number(min)}${u}。`;
      }
    }
    case 'too_big': {
      const max = i.maximum;
      switch (i.origin) {
        case 'string': return `${label}不能超过 ${number(max)} 个字符。`;
        case 'array': case 'set': return `${label}最多 ${number(max)} 项。`;
        case 'date': return `${label}不能晚于 ${new Date(Number(max)).toISOString().slice(0, 10)}。`;
        case 'file': return `${label}不能超过 ${number(max)} 字节。`;
        default: return i.inclusive ? `${label}不能大于 ${number(max)}${u}。` : `${label}必须小于 ${number(max)}${u}。`;
      }
    }
    case 'invalid_value': {
      const values = i.values.map((v) => valueLabel(i.path, v, procedure));
      return values.length === 1 ? `${label}应为${values[0]}。` : `${label}只能是${alternatives(values)}。`;
    }
    case 'invalid_union': {
      const options = (i as { options?: unknown[] }).options;
      if (options?.length) return `${label}只能是${alternatives(options.map((v) => valueLabel(i.path, v, procedure)))}。`;
      return `${label}的取值不正确。`;
    }
    case 'invalid_format': {
      if (i.format === 'regex') {
        const pattern = i.pattern ?? '';
        if (pattern.includes('\\d{4}-\\d{2}-\\d{2}')) return `${label}应为日期,写成 2026-03-01 这样的形式。`;
        if (pattern.includes('\\d{12}')) return `${label}应为 12 位数字的乡镇代码。`;
        if (pattern.includes('[0-9a-f]{24}')) return `${label}已失效或不存在:请重新上传文件。`;
        return `${label}的格式不正确。`;
      }
      if (i.format === 'starts_with') return `${label}应以“${(i as { prefix?: string }).prefix ?? ''}”开头。`;
      if (i.format === 'ends_with') return `${label}应以“${(i as { suffix?: string }).suffix ?? ''}”结尾。`;
      if (i.format === 'includes') return `${label}应包含“${(i as { includes?: string }).includes ?? ''}”。`;
      return `${label}的格式不正确${FORMATS[i.format] ? `:应为${FORMATS[i.format]}` : ''}。`;
    }
    case 'not_multiple_of':
      return `${label}应为 ${number(i.divisor)} 的整数倍。`;
    case 'unrecognized_keys': {
      // a hostile request can send thousands of keys, or one a megabyte long: name a few, cut long ones
      const keys = i.keys.slice(0, 5).map((k) => `“${k.length > 40 ? `${k.slice(0, 40)}…` : k}”`).join('、') + (i.keys.length > 5 ? ` 等 ${i.keys.length} 项` : '');
      return i.path.length ? `${label}中有无法识别的项:${keys}。` : `请求中有无法识别的参数:${keys}。请刷新页面后重试。`;
    }
    case 'invalid_key':
      return `${label}中有无效的名称。`;
    case 'invalid_element':
      return `${label}中有无效的值。`;
    default:
      return `${label}不符合要求。`;
  }
}

// ---------------------------------------------------------------- tRPC's own refusals

interface TrpcLike extends Error {
  code: string;
}

/** A TRPCError (by name, as tRPC itself checks, so this module does not import the server). */
function isTrpcError(err: unknown): err is TrpcLike {
  return err instanceof Error && err.name === 'TRPCError' && typeof (err as { code?: unknown }).code === 'string';
}

/** tRPC's codes: the HTTP status it answers with and what a page says (the request came from a stale or foreign page, mostly). */
const TRPC_CODES: Record<string, { status: number; zh: string }> = {
  PARSE_ERROR: { status: 400, zh: '请求内容无法解析(不是有效的 JSON):请刷新页面后重试。' },
  BAD_REQUEST: { status: 400, zh: '请求格式不正确:请刷新页面后重试;如果问题持续,请联系系统管理员。' },
  UNAUTHORIZED: { status: 401, zh: '尚未登录或登录已过期:请重新登录。' },
  PAYMENT_REQUIRED: { status: 402, zh: '此操作不可用。' },
  FORBIDDEN: { status: 403, zh: '没有执行此操作的权限:如需开通,请联系系统管理员。' },
  NOT_FOUND: { status: 404, zh: '请求的接口或数据不存在:页面可能已过期,请刷新后重试。' },
  METHOD_NOT_SUPPORTED: { status: 405, zh: '请求方式不受支持:请通过系统页面操作,或刷新页面后重试。' },
  TIMEOUT: { status: 408, zh: '请求超时:请稍后重试。' },
  CONFLICT: { status: 409, zh: '操作与当前数据冲突:请刷新页面查看最新数据后重试。' },
  PRECONDITION_FAILED: { status: 412, zh: '操作的前提条件不满足:请刷新页面后重试。' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '提交的内容太大:请减少一次提交的数据量后重试。' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '提交的内容类型不受支持:请通过系统页面操作。' },
  UNPROCESSABLE_CONTENT: { status: 422, zh: '提交的内容无法处理:请检查后重试。' },
  PRECONDITION_REQUIRED: { status: 428, zh: '操作的前提条件缺失:请刷新页面后重试。' },
  TOO_MANY_REQUESTS: { status: 429, zh: '请求过于频繁:请稍后再试。' },
  CLIENT_CLOSED_REQUEST: { status: 499, zh: '请求已取消。' },
  NOT_IMPLEMENTED: { status: 501, zh: '此功能尚未提供。' },
  BAD_GATEWAY: { status: 502, zh: '服务暂时不可用:请稍后重试。' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '服务暂时不可用:请稍后重试。' },
  GATEWAY_TIMEOUT: { status: 504, zh: '服务响应超时:请稍后重试。' },
};

/** A TRPCError of tRPC's own (or one a procedure threw with its own Chinese message): its code kept, a Chinese sentence. */
function mapTrpcRefusal(err: TrpcLike): MappedError {
  const known = TRPC_CODES[err.code];
  const cause = err.cause instanceof Error ? err.cause.message : undefined;
  if (err.code === 'INTERNAL_SERVER_ERROR' || !known) return { kind: 'server', status: 500, message: SERVER_MESSAGE, detail: cause ?? err.message, fieldErrors: null };
  // a body that is not JSON comes as BAD_REQUEST with the parser's SyntaxError as its cause
  if (err.cause instanceof SyntaxError) return { kind: 'user', status: known.status, message: TRPC_CODES.PARSE_ERROR!.zh, detail: err.message, fieldErrors: null };
  const kind: ErrorKind = err.code === 'UNAUTHORIZED' ? 'unauthorized' : err.code === 'FORBIDDEN' ? 'forbidden' : known.status >= 500 ? 'server' : 'user';
  // a message a procedure wrote in Chinese (导入任务 7 不存在。) says more than the code's sentence
  return { kind, status: known.status, message: CJK.test(err.message) ? err.message : known.zh, detail: err.message, fieldErrors: null };
}

/**
 * An HTTP route's answer to a failure: a plain-text sentence, the detail in the log (a JSON
 * line with the request's id, server/log.ts, when `req` is given).
 */
export function errorResponse(err: unknown, what: string, req?: Request): Response {
  const m = mapError(err);
  const requestId = req?.headers.get(REQUEST_ID_HEADER) ?? undefined;
  if (m.kind === 'server') logger.error('route.error', { requestId, message: `${what} failed: ${m.detail}`, route: what, err });
  return new Response(m.message, { status: m.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) } });
}
