// The audit log is append-only (the application role may not UPDATE, DELETE or TRUNCATE it,
// and a trigger refuses those even to the owner), and each audited action writes its row.
// Sign-in: argon2id hashes, the lock-out after 5 failures, password rules, idle sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { many, one } from '../../server/db/index';
import { MAINTENANCE, withScope } from '../../server/db/scope';
import { addDisplay, addUser, resolveDisplay, resolveSession, revokeDisplay, setDisabled, setRoles, signIn, signOut, LOCK_AFTER_FAILURES } from '../../server/auth/accounts';
import { checkPasswordRules } from '../../server/auth/passwords';
import { AccountError } from '../../server/errors';
import { caller, inRollback, sqlState, TEST_ACTOR } from '../helpers';

const rows = (action: string, object: string) =>
  inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND object = $2`, [action, object], 'counting audit rows', tx)).then((r) => r.n);

const commit = <T>(fn: Parameters<typeof inRollback<T>>[0]) => withScope(TEST_ACTOR, { attempted: 'a test' }, fn);

test('the application role cannot change or remove audit rows; the trigger refuses the owner too', async () => {
  await commit((tx) => many(`INSERT INTO audit_log (actor, action, result) VALUES ('system:test', 'test.append', 'ok')`, [], 'appending', tx));
  const app = await inRollback(async (tx) => ({
    update: await sqlState(tx, `UPDATE audit_log SET action = 'x' WHERE action = 'test.append'`),
    del: await sqlState(tx, `DELETE FROM audit_log WHERE action = 'test.append'`),
    truncate: await sqlState(tx, `TRUNCATE audit_log`),
  }));
  assert.deepEqual(app, { update: '42501', del: '42501', truncate: '42501' });
  const owner = await withScope(MAINTENANCE, { attempted: 'a test', readOnly: true }, async (tx) => ({
    update: await sqlState(tx, `UPDATE audit_log SET action = 'x' WHERE action = 'test.append'`),
    del: await sqlState(tx, `DELETE FROM audit_log WHERE action = 'test.append'`),
  }));
  assert.deepEqual(owner, { update: '42501', del: '42501' });
});

test('only auditors and admins read the log', async () => {
  const seen = (roles: ('analyst' | 'auditor')[]) => inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`, [], 'reading', tx), { ...TEST_ACTOR, roles }).then((r) => r.n);
  assert.equal(await seen(['analyst']), 0);
  assert.ok((await seen(['auditor'])) > 0);
});

test('password rules: at least 8 characters and 3 of 4 classes, not the user name', () => {
  assert.throws(() => checkPasswordRules('Ab1!'), AccountError);
  assert.throws(() => checkPasswordRules('abcdefgh1'), AccountError);
  assert.throws(() => checkPasswordRules('Zhangsan-2026', 'zhangsan'), AccountError);
  checkPasswordRules('Abcdefg1');
  checkPasswordRules('abcdef1!');
});

test('sign-in, the lock-out after 5 failures, sessions and sign-out, each in the audit log', async () => {
  const name = `t${crypto.randomBytes(4).toString('hex')}`;
  const password = 'Test-pass-42';
  await commit((tx) => addUser(tx, { username: name, displayName: '测试', password, roles: ['analyst'], mustChangePassword: false }));
  assert.equal(await rows('user.add', `user:${name}`), 1);
  const stored = await inRollback((tx) => one<{ h: string }>(`SELECT password_hash AS h FROM app_users WHERE username = $1`, [name], 'hash', tx));
  assert.match(stored.h, /^\$argon2id\$/);

  const address = `test-${name}`;
  const ok = await signIn(name, password, address);
  assert.ok(ok.ok);
  const actor = await resolveSession(ok.token);
  assert.equal(actor?.id, `user:${name}`);
  assert.equal(await rows('auth.sign-in', `user:${name}`), 1);

  for (let i = 0; i < LOCK_AFTER_FAILURES; i++) assert.equal((await signIn(name, 'wrong-Pass-1', address)).ok, false);
  const locked = await signIn(name, password, address);
  assert.equal(locked.ok, false, 'locked: even the right password is refused');
  assert.match(!locked.ok ? locked.reason : '', /锁定/);
  assert.equal(await rows('auth.lock', `user:${name}`), 1);
  assert.ok((await inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.sign-in' AND object = $1 AND result = 'refused'`, [`user:${name}`], 'refusals', tx))).n >= LOCK_AFTER_FAILURES);

  await signOut(ok.token);
  assert.equal(await resolveSession(ok.token), null, 'an ended session is gone');
  assert.equal(await rows('auth.sign-out', `user:${name}`), 1);

  // an idle session ends after 30 minutes
  await withScope(MAINTENANCE, { attempted: 'unlocking' }, (tx) => many(`UPDATE app_users SET locked_until = NULL, failed_attempts = 0 WHERE username = $1`, [name], 'unlocking', tx));
  const s2 = await signIn(name, password, `${address}-2`);
  assert.ok(s2.ok);
  await withScope(MAINTENANCE, { attempted: 'ageing' }, (tx) => many(`UPDATE app_sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM app_users WHERE username = $1)`, [name], 'ageing', tx));
  assert.equal(await resolveSession(s2.token), null, 'idle for 31 minutes');

  await commit((tx) => setDisabled(tx, name, true));
  assert.equal(await rows('user.disable', `user:${name}`), 1);
  assert.equal((await signIn(name, password, `${address}-3`)).ok, false, 'a disabled account cannot sign in');
});

test('display tokens: issued, resolved as a kiosk, revoked; both audited', async () => {
  const name = `wall-${crypto.randomBytes(3).toString('hex')}`;
  const d = await commit((tx) => addDisplay(tx, name));
  const actor = await resolveDisplay(d.token);
  assert.deepEqual(actor?.roles, ['kiosk']);
  await commit((tx) => revokeDisplay(tx, name));
  assert.equal(await resolveDisplay(d.token), null);
  assert.equal(await rows('display.issue', `display:${name}`), 1);
  assert.equal(await rows('display.revoke', `display:${name}`), 1);
});

test('target changes and camera edits write their audit rows in the same transaction', async () => {
  await inRollback(async (tx) => {
    const before = await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('target.create', 'camera.edit')`, [], 'before', tx);
    const seat = await one<{ lon: number; lat: number }>(`SELECT ST_X(centre) AS lon, ST_Y(centre) AS lat FROM admin_areas WHERE level = 'county'`, [], 'seat', tx);
    const { createTarget } = await import('../../server/services/hotspots/target-lifecycle');
    const { updateCamera } = await import('../../server/services/coverage/cameras');
    await createTarget(tx, { name: '审计测试', lon: seat.lon, lat: seat.lat, cellM: 500, reasons: ['测试'], responsibleUnit: '测试单位', startsOn: '2026-01-01', deadline: '2026-06-30' });
    const cam = await one<{ id: number }>(`SELECT id FROM cameras ORDER BY id LIMIT 1`, [], 'a camera', tx);
    await updateCamera(tx, { id: cam.id, owner: '审计测试' });
    const after = await one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('target.create', 'camera.edit')`, [], 'after', tx);
    assert.equal(after.n - before.n, 2);
  });
});

test('a refused procedure call is recorded apart, with the caller', async () => {
  const who = { kind: 'user' as const, id: `user:refused-${crypto.randomBytes(3).toString('hex')}`, displayName: 't', roles: ['auditor' as const], townships: null };
  await assert.rejects((await caller(who)).targets.setStatus({ id: 1, status: 'completed' }));
  const r = await inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = $1 AND result = 'refused' AND action = 'trpc.targets.setStatus'`, [who.id], 'refusal', tx));
  assert.equal(r.n, 1);
});

test('a role change ends the person\'s sessions and is audited with before and after', async () => {
  const name = `r${crypto.randomBytes(4).toString('hex')}`;
  await commit((tx) => addUser(tx, { username: name, displayName: '测试', password: 'Test-pass-42', roles: ['analyst'], mustChangePassword: false }));
  const s = await signIn(name, 'Test-pass-42', `roles-${name}`);
  assert.ok(s.ok);
  const township = await inRollback((tx) => one<{ code: string }>(`SELECT trim(code) AS code FROM admin_areas WHERE level = 'township' ORDER BY code LIMIT 1`, [], 'a township', tx));
  await assert.rejects(commit((tx) => setRoles(tx, name, ['township'], null)), AccountError, 'an officer needs a township');
  await commit((tx) => setRoles(tx, name, ['township'], [township.code]));
  assert.equal(await resolveSession(s.token), null, 'the old session no longer works');
  const row = await inRollback((tx) => one<{ detail: { from: { roles: string[] }; to: { roles: string[]; townships: string[] } } }>(`SELECT detail FROM audit_log WHERE action = 'user.roles' AND object = $1`, [`user:${name}`], 'the audit row', tx));
  assert.deepEqual(row.detail.from.roles, ['analyst']);
  assert.deepEqual(row.detail.to, { roles: ['township'], townships: [township.code] });
});
