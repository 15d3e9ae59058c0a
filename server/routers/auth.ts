// The signed-in person: who they are, changing their own password. (Signing in and out
// are HTTP routes, app/api/auth/*, because they set and clear the session cookie.)
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { changeOwnPassword } from '../auth/accounts';
import { CAPABILITIES, can, ROLE_NAMES, type Capability } from '../context';
import { many } from '../db/index';
import type { Tx } from '../db/scope';

async function townshipNames(tx: Tx, codes: readonly string[]): Promise<string[]> {
  const rows = await many<{ name: string }>(`SELECT name FROM admin_areas WHERE level = 'township' AND code = ANY ($1) ORDER BY code`, [codes], 'naming the townships in scope', tx);
  return rows.map((r) => r.name);
}

export const authRouter = router({
  me: procedure.meta({ cap: 'self' }).query(async ({ ctx }) => ({
    id: ctx.actor.id,
    displayName: ctx.actor.displayName,
    roles: ctx.actor.roles.map((r) => ({ role: r, name: ROLE_NAMES[r] })),
    /** what the pages may offer this person (the server checks again on every call) */
    capabilities: (Object.keys(CAPABILITIES) as Capability[]).filter((c) => can(ctx.actor, c)),
    townships: ctx.actor.townships,
    /** the names of the townships in scope, for the scope badge (null: the whole county) */
    scopeNames: ctx.actor.townships === null ? null : await ctx.read((tx) => townshipNames(tx, ctx.actor.townships!)),
    mustChangePassword: ctx.actor.mustChangePassword ?? false,
  })),
  changePassword: procedure
    .meta({ cap: 'self' })
    .input(z.object({ current: z.string().min(1, '请输入当前密码'), next: z.string().min(1, '请输入新密码') }))
    .mutation(({ ctx, input }) => ctx.write((tx) => changeOwnPassword(tx, input.current, input.next))),
});
