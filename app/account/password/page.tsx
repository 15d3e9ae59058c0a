// 修改密码: a signed-in person changes their own password — required before anything else
// when the account still has its initial password.
import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { actorFromHeaders } from '@/server/auth/request';
import { PASSWORD_RULE } from '@/server/auth/passwords';
import type { Actor } from '@/server/context';
import { readNext } from '@/lib/url-params';
import { PasswordForm } from './password-form';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '修改密码 · 平安一张图' };

export default async function PasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // only a path of this site is a place to go on to; another is refused with a notice
  const { next, notices } = readNext(await searchParams);
  let actor: Actor | null | undefined;
  try {
    actor = await actorFromHeaders(await headers(), '/account/password');
  } catch (err) {
    // the session could not be read: the form still shows, and the server answers the change
    console.error(`password page: session unavailable: ${err instanceof Error ? err.message : String(err)}`);
    actor = undefined;
  }
  if (actor === null) {
    const back = `/account/password${next ? `?next=${encodeURIComponent(next)}` : ''}`;
    redirect(`/login?next=${encodeURIComponent(back)}`);
  }
  return (
    <PasswordForm
      next={next}
      paramNotices={notices}
      rule={PASSWORD_RULE}
      displayName={actor?.displayName ?? null}
      mustChange={actor?.mustChangePassword ?? false}
      isPerson={actor ? actor.kind === 'user' : true}
    />
  );
}
