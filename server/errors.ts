// The one error vocabulary of the server. A UserError is something the user did wrong
// (a bad parameter, a file that cannot be read, an input outside what an analysis
// accepts); its message says what is wrong and where. Subsystems subclass it so logs
// and tests can tell them apart, but every entry point maps them the same way:
// tRPC BAD_REQUEST, HTTP 400, CLI exit 2. AccessError is a missing or insufficient
// sign-in (401 / 403). Anything else is the server's fault: logged in full, answered
// with a generic sentence that carries no SQL, stack or path.
import { ZodError } from 'zod';

export class UserError extends Error {
  override name = 'UserError';
  /**
   * @param message English, for the CLI and the log.
   * @param zh The same in Chinese, for pages (tRPC, routes, the import report): what is
   *   wrong and what to do, without CLI flags, SQL or field names a user never saw.
   */
  constructor(
    message: string,
    readonly zh?: string,
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

export type ErrorKind = 'user' | 'unauthorized' | 'forbidden' | 'server';

export interface MappedError {
  kind: ErrorKind;
  status: 400 | 401 | 403 | 500;
  /** What a page's user is told (Chinese). */
  message: string;
  /** The English sentence for the CLI and the log (same as message when only one exists). */
  detail: string;
  fieldErrors: { path: string; message: string }[] | null;
}

const SERVER_MESSAGE = '服务器内部错误:操作未完成,请稍后重试;如果问题持续,请联系系统管理员查看服务日志。';

/** The one mapping from an error to what the caller is told. */
export function mapError(err: unknown): MappedError {
  if (err instanceof UserError) return { kind: 'user', status: 400, message: err.zh ?? err.message, detail: err.message, fieldErrors: null };
  if (err instanceof ZodError) {
    const fieldErrors = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
    return { kind: 'user', status: 400, message, detail: message, fieldErrors };
  }
  if (err instanceof AccessError) {
    return err.code === 'UNAUTHORIZED'
      ? { kind: 'unauthorized', status: 401, message: err.message, detail: err.message, fieldErrors: null }
      : { kind: 'forbidden', status: 403, message: err.message, detail: err.message, fieldErrors: null };
  }
  return { kind: 'server', status: 500, message: SERVER_MESSAGE, detail: err instanceof Error ? err.message : String(err), fieldErrors: null };
}

/** An HTTP route's answer to a failure: a plain-text sentence, the detail in the log. */
export function errorResponse(err: unknown, what: string): Response {
  const m = mapError(err);
  if (m.kind === 'server') console.error(`${what} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return new Response(m.message, { status: m.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
