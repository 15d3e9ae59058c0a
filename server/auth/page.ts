// The actor of a server-rendered page (the workspaces and the printable reports): the
// session cookie, or the print cookie Chromium carries when it prints a report for the
// person who asked. No actor: to the sign-in page; an initial password: to the change form.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { can, type Actor, type Capability } from '../context';
import { actorFromHeaders } from './request';

export type PageAccess = { actor: Actor; denied: null } | { actor: Actor; denied: string };

export async function pageActor(path: string, cap: Capability): Promise<PageAccess> {
  const actor = await actorFromHeaders(await headers(), path.split('?')[0]);
  if (!actor) redirect(`/login?next=${encodeURIComponent(path)}`);
  if (actor.mustChangePassword) redirect(`/account/password?next=${encodeURIComponent(path)}`);
  return can(actor, cap) ? { actor, denied: null } : { actor, denied: '当前账号没有查看此页面的权限。' };
}
