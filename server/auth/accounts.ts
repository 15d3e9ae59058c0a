// Accounts, sign-in, sessions, display tokens and print tokens. Written here rather than
// taken from an auth library: the lock-out per account, the per-address limit, the idle
// timeout and the township scope are each a few lines against our own tables, and every
// query runs through withScope like the rest of the app (a library with its own pool
// would be a sixth way into the data).
import crypto from 'node:crypto';
import { z } from 'zod';
import { many, maybeOne, one } from '../db/index';
import { actorOf, withScope, type Tx } from '../db/scope';
import { AccountError } from '../errors';
import { systemActor, ROLES, type Actor, type Role } from '../context';
import { audit, auditApart } from '../audit';
import { checkPasswordRules, dummyHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MINUTES = 30;
/** Failed sign-ins from one address within ADDRESS_WINDOW_MINUTES before it is refused. */
export const ADDRESS_LIMIT = 20;
export const ADDRESS_WINDOW_MINUTES = 15;
export const PRINT_TOKEN_SECONDS = 300;

const AUTH = systemActor('auth', []);

const PERSON_ROLES = ROLES.filter((r) => r !== 'kiosk' && r !== 'feed') as [Role, ...Role[]];
const TownshipCode = z.string().regex(/^\d{12}$/, '乡镇代码应为 12 位数字');

export const NewUserSchema = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9_.-]{2,40}$/, '用户名为 2–40 位小写字母、数字或 _ . -'),
  displayName: z.string().trim().min(1, '请填写姓名').max(60),
  password: z.string(),
  roles: z.array(z.enum(PERSON_ROLES)).min(1, '至少一个角色'),
  townships: z.array(TownshipCode).min(1).nullable().default(null),
  mustChangePassword: z.boolean().default(true),
});
export type NewUser = z.input<typeof NewUserSchema>;

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  roles: Role[];
  townships: string[] | null;
  must_change_password: boolean;
  disabled: boolean;
  failed_attempts: number;
  locked_until: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
}
const USER_COLUMNS = 'id, username, display_name, roles, townships, must_change_password, disabled, failed_attempts, locked_until, last_sign_in_at, created_at';

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}
const newToken = () => crypto.randomBytes(32).toString('base64url');

function actorOfUser(u: Pick<UserRow, 'id' | 'username' | 'display_name' | 'roles' | 'townships' | 'must_change_password'>, address?: string): Actor {
  return { kind: 'user', id: `user:${u.username}`, userId: u.id, displayName: u.display_name, roles: u.roles, townships: u.townships, address, mustChangePassword: u.must_change_password };
}

async function checkTownships(tx: Tx, codes: string[] | null): Promise<void> {
  if (!codes) return;
  const known = await many<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'township' AND code = ANY ($1)`, [codes], 'checking township codes', tx);
  const missing = codes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length) throw new AccountError(`Unknown township code(s): ${missing.join(', ')}.`, `未知的乡镇代码:${missing.join('、')}。请选择本县的乡镇(街道)。`);
}

// ---------------------------------------------------------------- users (admin, CLI)
export async function addUser(tx: Tx, raw: NewUser): Promise<UserRow> {
  const u = NewUserSchema.parse(raw);
  checkPasswordRules(u.password, u.username);
  if (u.roles.includes('township') && !u.townships) throw new AccountError('A township officer needs their township (--township).', '乡镇(街道)专干必须指定所属乡镇。');
  await checkTownships(tx, u.townships);
  const exists = await maybeOne(`SELECT 1 FROM app_users WHERE username = $1`, [u.username], 'checking the user name', tx);
  if (exists) throw new AccountError(`The user ${u.username} already exists.`, `用户 ${u.username} 已存在:请换一个用户名。`);
  const row = await one<UserRow>(
    `INSERT INTO app_users (username, display_name, password_hash, roles, townships, must_change_password, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, now()) RETURNING ${USER_COLUMNS}`,
    [u.username, u.displayName, await hashPassword(u.password), u.roles, u.townships, u.mustChangePassword],
    'adding a user', tx,
  );
  await audit(tx, { action: 'user.add', object: `user:${u.username}`, rows: 1, detail: { roles: u.roles, townships: u.townships } });
  return row;
}

export async function listUsers(tx: Tx): Promise<UserRow[]> {
  return many<UserRow>(`SELECT ${USER_COLUMNS} FROM app_users ORDER BY username`, [], 'listing users', tx);
}

async function findUser(tx: Tx, username: string): Promise<UserRow & { password_hash: string }> {
  const u = await maybeOne<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM app_users WHERE username = $1`, [username.toLowerCase()], 'reading a user', tx);
  if (!u) throw new AccountError(`There is no user ${username}.`, `没有用户 ${username}:请检查用户名。`);
  return u;
}

/** An administrator sets a password (the user must change it at the next sign-in). */
export async function setPassword(tx: Tx, username: string, password: string, mustChange = true): Promise<void> {
  const u = await findUser(tx, username);
  checkPasswordRules(password, u.username);
  await many(`UPDATE app_users SET password_hash = $2, must_change_password = $3, password_changed_at = now(), failed_attempts = 0, locked_until = NULL WHERE id = $1`, [u.id, await hashPassword(password), mustChange], 'setting a password', tx);
  await many(`UPDATE app_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL`, [u.id], 'ending the sessions of a user', tx);
  await audit(tx, { action: 'user.passwd', object: `user:${u.username}`, rows: 1 });
}

/** An administrator changes a person's roles and township scope; their sessions end, so the change holds at once. */
export async function setRoles(tx: Tx, username: string, rawRoles: string[], rawTownships: string[] | null): Promise<void> {
  const u = await findUser(tx, username);
  const roles = z.array(z.enum(PERSON_ROLES)).min(1, '至少一个角色').parse(rawRoles);
  const townships = z.array(TownshipCode).min(1).nullable().parse(rawTownships);
  if (roles.includes('township') && !townships) throw new AccountError('A township officer needs their township (--township).', '乡镇(街道)专干必须指定所属乡镇。');
  await checkTownships(tx, townships);
  await many(`UPDATE app_users SET roles = $2, townships = $3 WHERE id = $1`, [u.id, roles, townships], 'changing roles', tx);
  await many(`UPDATE app_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL`, [u.id], 'ending the sessions of a user', tx);
  await audit(tx, { action: 'user.roles', object: `user:${u.username}`, rows: 1, detail: { from: { roles: u.roles, townships: u.townships }, to: { roles, townships } } });
}

export async function setDisabled(tx: Tx, username: string, disabled: boolean): Promise<void> {
  const u = await findUser(tx, username);
  await many(`UPDATE app_users SET disabled = $2 WHERE id = $1`, [u.id, disabled], 'disabling a user', tx);
  if (disabled) await many(`UPDATE app_sessions SET ended_at = now() WHERE user_id = $1 AND ended_at IS NULL`, [u.id], 'ending the sessions of a user', tx);
  await audit(tx, { action: disabled ? 'user.disable' : 'user.enable', object: `user:${u.username}`, rows: 1 });
}

/** A signed-in user changes their own password (required after an initial one). */
export async function changeOwnPassword(tx: Tx, current: string, next: string): Promise<void> {
  const actor = actorOf(tx);
  if (actor.kind !== 'user' || !actor.userId) throw new AccountError('Only a signed-in user can change their password.', '只有登录的用户可以修改密码:请先登录。');
  const u = await one<{ username: string; password_hash: string }>(`SELECT username, password_hash FROM app_users WHERE id = $1`, [actor.userId], 'reading the user', tx);
  if (!(await verifyPassword(u.password_hash, current))) throw new AccountError('The current password is wrong.', '当前密码不正确:请重新输入。');
  if (current === next) throw new AccountError('The new password is the same as the current one.', '新密码不能与当前密码相同:请另设一个。');
  checkPasswordRules(next, u.username);
  await many(`UPDATE app_users SET password_hash = $2, must_change_password = false, password_changed_at = now() WHERE id = $1`, [actor.userId, await hashPassword(next)], 'changing the password', tx);
  await audit(tx, { action: 'user.passwd.self', object: actor.id, rows: 1 });
}

// ---------------------------------------------------------------- sign-in and sessions
export type SignInResult =
  | { ok: true; token: string; actor: Actor; mustChangePassword: boolean }
  | { ok: false; reason: string };

const GENERIC_FAILURE = '用户名或密码错误。';

export async function signIn(username: string, password: string, address: string, userAgent?: string): Promise<SignInResult> {
  const name = username.trim().toLowerCase();
  const who = { ...AUTH, address };
  const result = await withScope(who, { attempted: 'signing in' }, async (tx): Promise<SignInResult> => {
    const recent = await one<{ n: number }>(
      `SELECT count(*) AS n FROM sign_in_failures WHERE address = $1 AND at > now() - make_interval(mins => $2)`,
      [address, ADDRESS_WINDOW_MINUTES], 'counting failed sign-ins', tx,
    );
    if (recent.n >= ADDRESS_LIMIT) return { ok: false, reason: `此地址登录失败次数过多,请 ${ADDRESS_WINDOW_MINUTES} 分钟后再试。` };
    const u = await maybeOne<UserRow & { password_hash: string }>(`SELECT ${USER_COLUMNS}, password_hash FROM app_users WHERE username = $1`, [name], 'reading the user', tx);
    if (u?.locked_until && u.locked_until > new Date()) {
      const mins = Math.ceil((u.locked_until.getTime() - Date.now()) / 60_000);
      return { ok: false, reason: `账号已因连续 ${LOCK_AFTER_FAILURES} 次登录失败被锁定,请 ${mins} 分钟后再试,或联系管理员。` };
    }
    const good = u ? await verifyPassword(u.password_hash, password) : (await verifyPassword(await dummyHash(), password), false);
    if (!u || !good || u.disabled) {
      await many(`INSERT INTO sign_in_failures (address, username) VALUES ($1, $2)`, [address, name.slice(0, 60)], 'recording a failed sign-in', tx);
      if (u && !good) {
        const r = await one<{ failed_attempts: number }>(
          `UPDATE app_users SET failed_attempts = failed_attempts + 1,
             locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
           WHERE id = $1 RETURNING failed_attempts`,
          [u.id, LOCK_AFTER_FAILURES, LOCK_MINUTES], 'counting failed attempts', tx,
        );
        if (r.failed_attempts >= LOCK_AFTER_FAILURES) {
          await audit(tx, { action: 'auth.lock', object: `user:${u.username}`, result: 'refused', detail: { failures: r.failed_attempts } });
          return { ok: false, reason: `账号已因连续 ${LOCK_AFTER_FAILURES} 次登录失败被锁定 ${LOCK_MINUTES} 分钟。` };
        }
      }
      return { ok: false, reason: u?.disabled && good ? '账号已停用,请联系管理员。' : GENERIC_FAILURE };
    }
    const token = newToken();
    await many(`INSERT INTO app_sessions (token_hash, user_id, address, user_agent) VALUES ($1, $2, $3, $4)`, [sha256(token), u.id, address, userAgent?.slice(0, 300) ?? null], 'opening a session', tx);
    await many(`UPDATE app_users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1`, [u.id], 'recording the sign-in', tx);
    const actor = actorOfUser(u, address);
    await many(
      `INSERT INTO audit_log (actor, roles, address, action, object, result) VALUES ($1, $2, $3, 'auth.sign-in', $1, 'ok')`,
      [actor.id, actor.roles, address], 'writing the audit log', tx,
    );
    return { ok: true, token, actor, mustChangePassword: u.must_change_password };
  });
  if (!result.ok) await auditApart(who, { action: 'auth.sign-in', object: `user:${name.slice(0, 60)}`, result: 'refused', detail: { reason: result.reason } });
  return result;
}

/** The person behind a session cookie, or null when it is unknown, ended, idle or too old. */
export async function resolveSession(token: string, address?: string): Promise<Actor | null> {
  if (!token || token.length > 100) return null;
  return withScope(AUTH, { attempted: 'reading the session' }, async (tx) => {
    const row = await maybeOne<UserRow & { last_seen_at: Date }>(
      `SELECT u.id, u.username, u.display_name, u.roles, u.townships, u.must_change_password, s.last_seen_at
       FROM app_sessions s JOIN app_users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.ended_at IS NULL AND NOT u.disabled
         AND s.last_seen_at > now() - make_interval(mins => $2) AND s.created_at > now() - make_interval(hours => $3)`,
      [sha256(token), SESSION_IDLE_MINUTES, SESSION_MAX_HOURS], 'reading the session', tx,
    );
    if (!row) return null;
    // sliding idle timeout; touched at most once a minute
    if (Date.now() - row.last_seen_at.getTime() > 60_000) await many(`UPDATE app_sessions SET last_seen_at = now() WHERE token_hash = $1`, [sha256(token)], 'touching the session', tx);
    return actorOfUser(row, address);
  });
}

export async function signOut(token: string, address?: string): Promise<void> {
  const actor = await resolveSession(token, address);
  await withScope(actor ?? { ...AUTH, address }, { attempted: 'signing out' }, async (tx) => {
    const r = await many(`UPDATE app_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL RETURNING user_id`, [sha256(token)], 'ending the session', tx);
    if (actor && r.length) await audit(tx, { action: 'auth.sign-out', object: actor.id, rows: 1 });
  });
}

// ---------------------------------------------------------------- display tokens (the wall)
export async function addDisplay(tx: Tx, name: string, townships: string[] | null = null): Promise<{ name: string; token: string }> {
  const n = z.string().trim().min(1, '请填写大屏名称').max(60).parse(name);
  await checkTownships(tx, townships);
  const exists = await maybeOne(`SELECT 1 FROM displays WHERE name = $1 AND revoked_at IS NULL`, [n], 'checking the display name', tx);
  if (exists) throw new AccountError(`The display ${n} already has a valid token: revoke it first (display revoke).`, `大屏 ${n} 已有有效令牌:请先吊销该令牌,再重新签发。`);
  const token = `dsp_${newToken()}`;
  await many(
    `INSERT INTO displays (name, token_hash, townships, created_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, townships = excluded.townships, created_by = excluded.created_by, created_at = now(), revoked_at = NULL, last_seen_at = NULL`,
    [n, sha256(token), townships, actorOf(tx).id], 'issuing a display token', tx,
  );
  await audit(tx, { action: 'display.issue', object: `display:${n}`, rows: 1, detail: { townships } });
  return { name: n, token };
}

export async function revokeDisplay(tx: Tx, name: string): Promise<void> {
  const r = await many(`UPDATE displays SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id`, [name], 'revoking a display token', tx);
  if (!r.length) throw new AccountError(`There is no valid display token for ${name}.`, `大屏 ${name} 没有有效的令牌:请检查大屏名称。`);
  await audit(tx, { action: 'display.revoke', object: `display:${name}`, rows: 1 });
}

export async function listDisplays(tx: Tx) {
  return many<{ id: number; name: string; townships: string[] | null; created_by: string; created_at: Date; last_seen_at: Date | null; revoked_at: Date | null }>(
    `SELECT id, name, townships, created_by, created_at, last_seen_at, revoked_at FROM displays ORDER BY name`, [], 'listing displays', tx,
  );
}

export async function resolveDisplay(token: string, address?: string): Promise<Actor | null> {
  if (!token.startsWith('dsp_') || token.length > 100) return null;
  return withScope(AUTH, { attempted: 'reading the display token' }, async (tx) => {
    const d = await maybeOne<{ name: string; townships: string[] | null; last_seen_at: Date | null }>(
      `SELECT name, townships, last_seen_at FROM displays WHERE token_hash = $1 AND revoked_at IS NULL`, [sha256(token)], 'reading the display token', tx,
    );
    if (!d) return null;
    if (!d.last_seen_at || Date.now() - d.last_seen_at.getTime() > 60_000) await many(`UPDATE displays SET last_seen_at = now() WHERE token_hash = $1`, [sha256(token)], 'touching the display', tx);
    return { kind: 'display', id: `display:${d.name}`, displayName: `大屏 ${d.name}`, roles: ['kiosk'], townships: d.townships, address };
  });
}

// ---------------------------------------------------------------- feed tokens (pushes from outside)
export const FEED_TOPICS = ['camera-status', 'hazard-alert'] as const;
export type FeedTopic = (typeof FEED_TOPICS)[number];

export async function addFeed(tx: Tx, name: string, topics: readonly string[], townships: string[] | null = null): Promise<{ name: string; token: string; topics: FeedTopic[] }> {
  const n = z.string().trim().min(1, '请填写接入系统名称').max(60).parse(name);
  const t = z.array(z.enum(FEED_TOPICS)).min(1, '至少一类数据').parse(topics.length ? [...new Set(topics)] : [...FEED_TOPICS]);
  await checkTownships(tx, townships);
  const exists = await maybeOne(`SELECT 1 FROM feeds WHERE name = $1 AND revoked_at IS NULL`, [n], 'checking the feed name', tx);
  if (exists) throw new AccountError(`The feed ${n} already has a valid token: revoke it first (feed revoke).`, `接入系统 ${n} 已有有效令牌:请先吊销该令牌,再重新签发。`);
  const token = `feed_${newToken()}`;
  await many(
    `INSERT INTO feeds (name, token_hash, topics, townships, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, topics = excluded.topics, townships = excluded.townships,
       created_by = excluded.created_by, created_at = now(), revoked_at = NULL, last_used_at = NULL`,
    [n, sha256(token), t, townships, actorOf(tx).id], 'issuing a feed token', tx,
  );
  await audit(tx, { action: 'feed.issue', object: `feed:${n}`, rows: 1, detail: { topics: t, townships } });
  return { name: n, token, topics: t };
}

export async function revokeFeed(tx: Tx, name: string): Promise<void> {
  const r = await many(`UPDATE feeds SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING id`, [name], 'revoking a feed token', tx);
  if (!r.length) throw new AccountError(`There is no valid feed token for ${name}.`, `接入系统 ${name} 没有有效的令牌:请检查名称。`);
  await audit(tx, { action: 'feed.revoke', object: `feed:${name}`, rows: 1 });
}

export async function listFeeds(tx: Tx) {
  return many<{ id: number; name: string; topics: FeedTopic[]; townships: string[] | null; created_by: string; created_at: Date; last_used_at: Date | null; revoked_at: Date | null }>(
    `SELECT id, name, topics, townships, created_by, created_at, last_used_at, revoked_at FROM feeds ORDER BY name`, [], 'listing feeds', tx,
  );
}

/** The actor of a feed token, with the topics it may push (`feed:<name>`, role feed); null when unknown or revoked. */
export async function resolveFeed(token: string, address?: string): Promise<Actor | null> {
  if (!token.startsWith('feed_') || token.length > 100) return null;
  return withScope(AUTH, { attempted: 'reading the feed token' }, async (tx) => {
    const f = await maybeOne<{ name: string; topics: FeedTopic[]; townships: string[] | null; last_used_at: Date | null }>(
      `SELECT name, topics, townships, last_used_at FROM feeds WHERE token_hash = $1 AND revoked_at IS NULL`, [sha256(token)], 'reading the feed token', tx,
    );
    if (!f) return null;
    if (!f.last_used_at || Date.now() - f.last_used_at.getTime() > 60_000) await many(`UPDATE feeds SET last_used_at = now() WHERE token_hash = $1`, [sha256(token)], 'touching the feed', tx);
    return { kind: 'feed', id: `feed:${f.name}`, displayName: `接入系统 ${f.name}`, roles: ['feed'], townships: f.townships, address, topics: f.topics };
  });
}

// ---------------------------------------------------------------- print tokens (PDF reports)
async function printKey(tx: Tx): Promise<Buffer> {
  const r = await one<{ value: string }>(`SELECT value FROM app_secrets WHERE name = 'print-token-key'`, [], 'reading the print key', tx);
  return Buffer.from(r.value, 'hex');
}

/** A short-lived token that lets headless Chromium open one report page as the requesting user. */
export async function issuePrintToken(tx: Tx, path: string): Promise<string> {
  const actor = actorOf(tx);
  if (actor.kind !== 'user' || !actor.userId) throw new AccountError('Only a signed-in user can print a report.', '只有登录的用户可以打印报告:请先登录。');
  const payload = `${actor.userId}.${Math.floor(Date.now() / 1000) + PRINT_TOKEN_SECONDS}.${sha256(path.split('?')[0]!).slice(0, 16)}`;
  const sig = crypto.createHmac('sha256', await printKey(tx)).update(payload).digest('base64url');
  return `${Buffer.from(payload).toString('base64url')}.${sig}`;
}

export async function resolvePrintToken(token: string, path: string, address?: string): Promise<Actor | null> {
  const [p64, sig] = token.split('.');
  if (!p64 || !sig) return null;
  const payload = Buffer.from(p64, 'base64url').toString();
  const [uid, exp, pathHash] = payload.split('.');
  if (!uid || !exp || Number(exp) < Date.now() / 1000 || pathHash !== sha256(path.split('?')[0]!).slice(0, 16)) return null;
  return withScope(AUTH, { attempted: 'reading a print token' }, async (tx) => {
    const expected = crypto.createHmac('sha256', await printKey(tx)).update(payload).digest('base64url');
    if (expected.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(sig))) return null;
    const u = await maybeOne<UserRow>(`SELECT ${USER_COLUMNS} FROM app_users WHERE id = $1 AND NOT disabled`, [Number(uid)], 'reading the user', tx);
    return u ? actorOfUser(u, address) : null;
  });
}
