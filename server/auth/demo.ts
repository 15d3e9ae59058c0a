// The demo county's accounts: one per role, passwords printed in the README and on the
// sign-in page while they still work. Created by the demo seed only; a production database
// (migrated without the seed) has no account until `npm run cli -- user add` makes an admin.
import crypto from 'node:crypto';
import { many, maybeOne } from '../db/index';
import { withScope, type Tx } from '../db/scope';
import { systemActor, ROLE_NAMES, type Role } from '../context';
import { hashPassword, verifyPassword } from './passwords';

export const DEMO_ACCOUNTS: { username: string; displayName: string; password: string; role: Exclude<Role, 'kiosk'>; township?: true }[] = [
  { username: 'admin', displayName: '系统管理员(演示)', password: 'Yunxi@2026-1', role: 'admin' },
  { username: 'commander', displayName: '指挥长(演示)', password: 'Yunxi@2026-2', role: 'commander' },
  { username: 'analyst', displayName: '研判分析员(演示)', password: 'Yunxi@2026-3', role: 'analyst' },
  { username: 'chengguan', displayName: '城关镇专干(演示)', password: 'Yunxi@2026-4', role: 'township', township: true },
  { username: 'auditor', displayName: '审计员(演示)', password: 'Yunxi@2026-5', role: 'auditor' },
];

/**
 * The demo's wall display (县综治中心大屏), county-wide, with a token printed in the README so
 * the wall opens after the quick start with nothing to type. Only the demo seed makes it.
 */
export const DEMO_DISPLAY = { name: '县综治中心大屏', token: 'dsp_demo-yunxi-county-wall-2026' } as const;

/** Creates (or resets) the demo accounts; the township officer gets the county seat's township. */
export async function seedDemoAccounts(tx: Tx): Promise<void> {
  const seat = await maybeOne<{ code: string }>(
    `SELECT code FROM admin_areas WHERE level = 'township' ORDER BY (name LIKE '城关%') DESC, code LIMIT 1`, [], 'finding the seat township', tx,
  );
  for (const a of DEMO_ACCOUNTS) {
    await many(
      `INSERT INTO app_users (username, display_name, password_hash, roles, townships, must_change_password, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, false, now())
       ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, password_hash = excluded.password_hash, roles = excluded.roles,
         townships = excluded.townships, must_change_password = false, disabled = false, failed_attempts = 0, locked_until = NULL`,
      [a.username, a.displayName, await hashPassword(a.password), [a.role], a.township && seat ? [seat.code.trim()] : null], 'creating the demo accounts', tx,
    );
  }
  await many(
    `INSERT INTO displays (name, token_hash, townships, created_by) VALUES ($1, $2, NULL, 'system:demo')
     ON CONFLICT (name) DO UPDATE SET token_hash = excluded.token_hash, townships = NULL, revoked_at = NULL`,
    [DEMO_DISPLAY.name, crypto.createHash('sha256').update(DEMO_DISPLAY.token).digest('hex')], 'registering the demo wall display', tx,
  );
  await many(
    `INSERT INTO dataset_info (key, value) VALUES ('demo-accounts', $1::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [JSON.stringify(DEMO_ACCOUNTS.map((a) => a.username))], 'recording the demo accounts', tx,
  );
}

/** The demo accounts that still sign in with their printed password (for the sign-in page). */
export async function demoAccounts(): Promise<{ username: string; password: string; role: string }[]> {
  return withScope(systemActor('sign-in page', []), { attempted: 'listing the demo accounts', readOnly: true }, async (tx) => {
    const marker = await maybeOne(`SELECT 1 FROM dataset_info WHERE key = 'demo-accounts'`, [], 'reading the demo marker', tx);
    if (!marker) return [];
    const users = await many<{ username: string; password_hash: string }>(
      `SELECT username, password_hash FROM app_users WHERE username = ANY ($1) AND NOT disabled`, [DEMO_ACCOUNTS.map((a) => a.username)], 'reading the demo accounts', tx,
    );
    const out: { username: string; password: string; role: string }[] = [];
    for (const a of DEMO_ACCOUNTS) {
      const u = users.find((x) => x.username === a.username);
      if (u && (await verifyPassword(u.password_hash, a.password))) out.push({ username: a.username, password: a.password, role: ROLE_NAMES[a.role] });
    }
    return out;
  });
}
