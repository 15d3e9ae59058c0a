'use client';
// The sign-in form: POST /api/auth/sign-in, then on to `next` (a path of this site only),
// or first to the password page when the initial password must be changed.
import { useState, type FormEvent } from 'react';
import { safeNext } from '@/lib/url-params';
import { ParamNotices } from '../components/param-notices';

export interface DemoAccount {
  username: string;
  password: string;
  /** the role's Chinese name */
  role: string;
}

const CJK = /[\u3400-\u9fff]/;

async function readError(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string' && CJK.test(body.error)) return body.error;
  } catch {
    // a plain-text answer (malformed request, server error)
  }
  // a Chinese sentence is shown as it is; anything else (an HTML error page, English) is not
  const plain = text.trim();
  return CJK.test(plain) && plain.length < 300 && !plain.startsWith('<') ? plain : `登录失败(HTTP ${res.status}),请稍后再试。`;
}

export function LoginForm({ next, demo, notice, paramNotices = [] }: { next: string | null; demo: DemoAccount[]; notice: string; paramNotices?: string[] }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim()) return setError('请输入用户名');
    if (!password) return setError('请输入密码');
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ username: username.trim(), password }),
      });
      if (!res.ok) {
        setError(await readError(res));
        setBusy(false);
        return;
      }
      const body = (await res.json()) as { ok: boolean; displayName?: string; mustChangePassword?: boolean; error?: string };
      if (!body.ok) {
        setError(body.error ?? '登录失败,请稍后再试。');
        setBusy(false);
        return;
      }
      const target = safeNext(next);
      // a full page load: nothing cached for an earlier session carries over
      window.location.assign(body.mustChangePassword ? `/account/password?next=${encodeURIComponent(target)}` : target);
    } catch {
      setError('无法连接服务器,请检查网络后重试。');
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="login-title">
        <h1 className="auth-product">平安一张图</h1>
        <h2 id="login-title" className="auth-title">登录</h2>
        <ParamNotices notices={paramNotices} />
        <form className="auth-form" onSubmit={(e) => void submit(e)} noValidate>
          <label>
            用户名
            <input name="username" autoComplete="username" autoFocus value={username} onChange={(e) => setUsername(e.target.value)} maxLength={60} data-testid="login-username" />
          </label>
          <label>
            密码
            <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} maxLength={200} data-testid="login-password" />
          </label>
          {error && (
            <p className="auth-error" role="alert" data-testid="login-error">
              {error}
            </p>
          )}
          <button type="submit" className="primary auth-submit" disabled={busy} data-testid="login-submit">
            {busy ? '正在登录…' : '登录'}
          </button>
        </form>
        <p className="auth-notice" data-testid="login-notice">{notice}</p>
        {demo.length > 0 && (
          <div className="demo-accounts" role="note" data-testid="demo-accounts">
            <h3>演示账号已启用(示例数据)</h3>
            <p>以下账号仅用于演示,正式使用前请停用或修改密码。点击一行可填入。</p>
            <table>
              <thead>
                <tr>
                  <th>用户名</th>
                  <th>密码</th>
                  <th>角色</th>
                </tr>
              </thead>
              <tbody>
                {demo.map((a) => (
                  <tr
                    key={a.username}
                    onClick={() => {
                      setUsername(a.username);
                      setPassword(a.password);
                      setError(null);
                    }}
                    title="填入此账号"
                  >
                    <td><code>{a.username}</code></td>
                    <td><code>{a.password}</code></td>
                    <td>{a.role}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}
