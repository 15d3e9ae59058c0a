// The signed-in person: who they are, changing their own password. (Signing in and out
// are HTTP routes, app/api/auth/*, because they set and clear the session cookie.)
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { changeOwnPassword } from '../auth/accounts';
import { ROLE_NAMES } from '../context';

export const authRouter = router({
  me: procedure.meta({ cap: 'self' }).query(({ ctx }) => ({
    id: ctx.actor.id,
    displayName: ctx.actor.displayName,
    roles: ctx.actor.roles.map((r) => ({ role: r, name: ROLE_NAMES[r] })),
    townships: ctx.actor.townships,
    mustChangePassword: ctx.actor.mustChangePassword ?? false,
  })),
  changePassword: procedure
    .meta({ cap: 'self' })
    .input(z.object({ current: z.string().min(1, '请输入当前密码'), next: z.string().min(1, '请输入新密码') }))
    .mutation(({ ctx, input }) => ctx.write((tx) => changeOwnPassword(tx, input.current, input.next))),
});
