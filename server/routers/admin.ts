// Administration: users and roles, wall display tokens (admin), the audit log (auditor,
// admin). Every change is written to the audit log in its own transaction.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { addDisplay, addUser, listDisplays, listUsers, NewUserSchema, revokeDisplay, setDisabled, setPassword, setRoles } from '../auth/accounts';
import { AuditQuerySchema, listAudit } from '../audit';

const users = procedure.meta({ cap: 'users.admin' });
const Username = z.string().trim().min(1).max(40);

export const adminRouter = router({
  users: users.query(({ ctx }) => ctx.read((tx) => listUsers(tx))),
  addUser: users.input(NewUserSchema).mutation(({ ctx, input }) => ctx.write((tx) => addUser(tx, input))),
  setPassword: users.input(z.object({ username: Username, password: z.string() })).mutation(({ ctx, input }) => ctx.write((tx) => setPassword(tx, input.username, input.password))),
  setDisabled: users.input(z.object({ username: Username, disabled: z.boolean() })).mutation(({ ctx, input }) => ctx.write((tx) => setDisabled(tx, input.username, input.disabled))),
  setRoles: users
    .input(z.object({ username: Username, roles: z.array(z.string()).min(1), townships: z.array(z.string()).min(1).nullable().default(null) }))
    .mutation(({ ctx, input }) => ctx.write((tx) => setRoles(tx, input.username, input.roles, input.townships))),
  displays: users.query(({ ctx }) => ctx.read((tx) => listDisplays(tx))),
  addDisplay: users
    .input(z.object({ name: z.string().trim().min(1).max(60), townships: z.array(z.string().regex(/^\d{12}$/)).min(1).nullable().default(null) }))
    .mutation(({ ctx, input }) => ctx.write((tx) => addDisplay(tx, input.name, input.townships))),
  revokeDisplay: users.input(z.object({ name: z.string().trim().min(1).max(60) })).mutation(({ ctx, input }) => ctx.write((tx) => revokeDisplay(tx, input.name))),
  audit: procedure.meta({ cap: 'audit.read' }).input(AuditQuerySchema).query(({ ctx, input }) => ctx.read((tx) => listAudit(tx, input))),
});
