'use client';
// The password form: current, new, repeat → auth.changePassword, then on to `next`.
import { useState, type FormEvent } from 'react';
import Link from 'next/link';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';
import { safeNext } from '@/lib/url-params';
import { errorText } from '../../components/error-text';
import { ParamNotices } from '../../components/param-notices';

export function PasswordForm({
  next,
  paramNotices = [],
  rule,
  displayName,
  mustChange,
  isPerson,
}: {
  next: string | null;
  /** notices of refused URL parameters (a `next` outside this site) */
  paramNotices?: string[];
  rule: string;
  displayName: string | null;
  mustChange: boolean;
  /** false for a wall display, which has no password of its own */
  isPerson: boolean;
}) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState('');
  const [repeat, setRepeat] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setDone(true);
        // a full page load: every query asks again, now without the initial-password refusal
        window.location.assign(safeNext(next));
      },
    }),
  );

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (change.isPending || done) return;
    if (!current) return setFormError('请输入当前密码');
    if (!fresh) return setFormError('请输入新密码');
    if (fresh !== repeat) return setFormError('两次输入的新密码不一致');
    if (fresh === current) return setFormError('新密码不能与当前密码相同');
    setFormError(null);
    change.mutate({ current, next: fresh });
  };

  const error = formError ?? (change.error ? errorText(change.error) : null);
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="password-title">
        <h1 className="auth-product">平安一张图</h1>
        <h2 id="password-title" className="auth-title">修改密码</h2>
        <ParamNotices notices={paramNotices} />
        {mustChange && (
          <p className="auth-must-change" role="alert" data-testid="must-change">
            当前账号使用的是初始密码,请先修改密码后再继续使用。
          </p>
        )}
        {displayName && <p className="auth-who">当前用户:{displayName}</p>}
        {!isPerson ? (
          <p className="auth-error">大屏等设备账号没有个人密码,无需修改。</p>
        ) : (
          <form className="auth-form" onSubmit={submit} noValidate>
            <label>
              当前密码
              <input type="password" name="current" autoComplete="current-password" autoFocus value={current} onChange={(e) => setCurrent(e.target.value)} maxLength={200} data-testid="password-current" />
            </label>
            <label>
              新密码
              <input type="password" name="new" autoComplete="new-password" value={fresh} onChange={(e) => setFresh(e.target.value)} maxLength={128} data-testid="password-new" />
            </label>
            <label>
              再次输入新密码
              <input type="password" name="repeat" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} maxLength={128} data-testid="password-repeat" />
            </label>
            <p className="auth-rule" data-testid="password-rule">{rule}</p>
            {error && (
              <p className="auth-error" role="alert" data-testid="password-error">
                {error}
              </p>
            )}
            {done && <p className="auth-ok" role="status">密码已修改,正在返回…</p>}
            <button type="submit" className="primary auth-submit" disabled={change.isPending || done} data-testid="password-submit">
              {change.isPending ? '正在保存…' : '修改密码'}
            </button>
          </form>
        )}
        {!mustChange && (
          <p className="auth-back">
            <Link href={safeNext(next)}>返回</Link>
          </p>
        )}
      </section>
    </main>
  );
}
