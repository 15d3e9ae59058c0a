// Every tRPC procedure names the capability it needs, refuses an anonymous caller
// (UNAUTHORIZED) and a role without that capability (FORBIDDEN). The list of procedures is
// read from the router, so a new procedure without a rule fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { appRouter } from '../../server/root';
import { CAPABILITIES, ROLES, type Actor, type Capability, type Role } from '../../server/context';
import { caller } from '../helpers';

type Proc = { _def: { meta?: { cap?: Capability } } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Proc>);

function call(c: Awaited<ReturnType<typeof caller>>, path: string): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], c) as (input?: unknown) => Promise<unknown>;
  return fn(undefined);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return err instanceof TRPCError ? err.code : `not a TRPCError: ${String(err)}`;
  }
}

const person = (roles: Role[], extra: Partial<Actor> = {}): Actor => ({ kind: 'user', id: `user:test-${roles.join('-')}`, displayName: 'test', roles, townships: null, ...extra });

test('the router has procedures and every one names a capability', () => {
  assert.ok(procedures.length >= 30, `${procedures.length} procedures`);
  const missing = procedures.filter(([, p]) => !p._def.meta?.cap).map(([path]) => path);
  assert.deepEqual(missing, [], 'procedures without an access rule');
});

test('every procedure refuses an anonymous caller with UNAUTHORIZED', async () => {
  const anonymous = await caller(null);
  for (const [path] of procedures) assert.equal(await codeOf(call(anonymous, path)), 'UNAUTHORIZED', path);
});

test('every procedure refuses a role that lacks its capability with FORBIDDEN', async () => {
  let checked = 0;
  for (const [path, p] of procedures) {
    const allowed: readonly Role[] = CAPABILITIES[p._def.meta!.cap!];
    const lacking = ROLES.filter((r) => !allowed.includes(r));
    for (const role of lacking) {
      assert.equal(await codeOf(call(await caller(person([role])), path)), 'FORBIDDEN', `${path} as ${role}`);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} refusals checked`);
});

test('an allowed role gets past the access check (bad input is BAD_REQUEST, not FORBIDDEN)', async () => {
  const c = await caller(person(['analyst']));
  assert.equal(await codeOf(call(c, 'hotspots.gistar')), 'BAD_REQUEST');
  assert.equal(await codeOf(call(c, 'targets.setStatus')), 'BAD_REQUEST');
  assert.equal(await codeOf(call(await caller(person(['kiosk'], { kind: 'display' })), 'basemap.county')), 'OK');
});

test('a person with an initial password may only change it', async () => {
  const c = await caller(person(['analyst'], { mustChangePassword: true }));
  assert.equal(await codeOf(call(c, 'basemap.county')), 'FORBIDDEN');
  assert.equal(await codeOf(call(c, 'auth.me')), 'OK');
});

test('server errors reach the client as a generic sentence, without SQL', async () => {
  const c = await caller(person(['analyst']));
  // an evaluation of a target that does not exist is the user's mistake: a sentence, BAD_REQUEST
  await assert.rejects(c.targets.evaluate({ id: 999_999_999 }), (err: TRPCError) => err.code === 'BAD_REQUEST' && !/SELECT|FROM|\bat \//.test(err.message));
});
