// What a page says when a request fails: the server's Chinese sentence (server/errors.ts
// maps every refusal to one), never zod's JSON, an English message or a stack. A sentence
// that is not Chinese (a network failure, a proxy's refusal, an old server) is replaced by
// one that says what happened and what to do, chosen by the error's tRPC code.
const CJK = /[\u3400-\u9fff]/;

interface FieldError {
  path: string;
  message: string;
}

function dataOf(err: unknown): { code?: unknown; httpStatus?: unknown; fieldErrors?: unknown } | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const data = (err as { data?: unknown }).data;
  return data && typeof data === 'object' ? (data as { code?: unknown; httpStatus?: unknown; fieldErrors?: unknown }) : undefined;
}

function looksLikeData(text: string): boolean {
  const t = text.trim();
  return t.startsWith('{') || t.startsWith('[') || /\bat \S+:\d+:\d+/.test(t);
}

/** The Chinese messages of the error's per-field problems (data.fieldErrors), if any. */
export function fieldErrorsOf(err: unknown): FieldError[] {
  const list = dataOf(err)?.fieldErrors;
  if (!Array.isArray(list)) return [];
  return list.filter((f): f is FieldError => !!f && typeof f.message === 'string' && typeof f.path === 'string' && CJK.test(f.message) && !looksLikeData(f.message));
}

/** Per-field hints of a failed request for a form: server path → the form's field. */
export function fieldHints<F extends string>(err: unknown, fields: Record<string, F>): Partial<Record<F, string>> {
  const hints: Partial<Record<F, string>> = {};
  for (const f of fieldErrorsOf(err)) {
    const field = fields[f.path];
    if (field && !hints[field]) hints[field] = f.message;
  }
  return hints;
}

const BY_CODE: Record<string, string> = {
  BAD_REQUEST: '输入有误,服务器未能处理:请检查填写的内容后重试。',
  PARSE_ERROR: '请求格式有误,服务器未能处理:请刷新页面后重试。',
  UNAUTHORIZED: '登录已失效,请重新登录。',
  FORBIDDEN: '当前账号没有执行此操作的权限。',
  NOT_FOUND: '要找的内容不存在,可能已被删除:请刷新页面。',
  TIMEOUT: '服务器处理超时:请缩小范围后重试,或稍后再试。',
  CONFLICT: '数据已被其他人修改:请刷新页面后重试。',
  PAYLOAD_TOO_LARGE: '提交的内容过大,服务器拒绝处理。',
  UNSUPPORTED_MEDIA_TYPE: '请求格式不受支持:请刷新页面后重试。',
  TOO_MANY_REQUESTS: '服务器正忙:请稍候片刻再试。',
  PRECONDITION_FAILED: '操作的前提条件不满足:请刷新页面后重试。',
};
const SERVER = '操作未完成:服务器出现错误,请稍后重试;如果问题持续,请联系系统管理员查看服务日志。';
const OFFLINE = '无法连接服务器:请检查网络后重试。';

/** One Chinese sentence for a failed request (a tRPC client error, a fetch failure, anything thrown). */
export function errorText(err: unknown): string {
  if (err === null || err === undefined) return '';
  const message = typeof err === 'string' ? err : err instanceof Error || (typeof err === 'object' && 'message' in err) ? String((err as { message: unknown }).message ?? '') : '';
  if (CJK.test(message) && !looksLikeData(message)) return message;
  const fields = fieldErrorsOf(err);
  if (fields.length) return fields.map((f) => f.message).join(';');
  // zod issues as JSON (an older server): their Chinese messages, if they have any
  if (looksLikeData(message)) {
    try {
      const issues = JSON.parse(message) as unknown;
      if (Array.isArray(issues)) {
        const zh = issues.map((i) => (i && typeof i === 'object' ? String((i as { message?: unknown }).message ?? '') : '')).filter((m) => CJK.test(m));
        if (zh.length) return zh.join(';');
      }
    } catch {
      /* not JSON after all */
    }
  }
  const data = dataOf(err);
  if (!data) return /fetch|network|load failed/i.test(message) ? OFFLINE : SERVER;
  return (typeof data.code === 'string' && BY_CODE[data.code]) || SERVER;
}
