'use client';
// The signed-in person at the right of the top bar: name, roles, 修改密码, 退出.
import { useState } from 'react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

/** Who is signed in (auth.me); a wall display, which has no account, gets an error and no menu. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000, retry: false });
}

export function UserMenu() {
  const me = useMe();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const [leaving, setLeaving] = useState(false);
  if (!me.data) return null;

  const signOut = async () => {
    setLeaving(true);
    try {
      await fetch('/api/auth/sign-out', { method: 'POST', credentials: 'same-origin' });
    } catch {
      // the session ends on the server at its idle timeout anyway; leave for the sign-in page
    }
    queryClient.clear();
    window.location.assign('/login');
  };

  const roles = me.data.roles.map((r) => r.name).join('、');
  const passwordHref = `/account/password?next=${encodeURIComponent(pathname || '/')}`;
  return (
    <div className="user-menu" data-testid="user-menu">
      <span className="user-name" data-testid="user-name">{me.data.displayName}</span>
      {roles && <span className="user-roles" data-testid="user-roles">{roles}</span>}
      <Link href={passwordHref} className="user-link">修改密码</Link>
      <button type="button" className="user-signout" onClick={() => void signOut()} disabled={leaving} data-testid="sign-out">
        {leaving ? '正在退出…' : '退出'}
      </button>
    </div>
  );
}
