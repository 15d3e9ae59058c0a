'use client';
// The body of the error pages (app/error.tsx inside the layout, app/global-error.tsx when
// the layout itself failed): what happened, what to do, the way back to 态势地图, and the
// reference (digest) that finds the full error in the server log for the administrator.
// Never the error's message or stack: those may hold SQL, paths or English.
import { useEffect } from 'react';

export function ErrorView({ error, reset }: { error: Error & { digest?: string }; reset?: () => void }) {
  useEffect(() => {
    // for the administrator's browser console; the page itself shows only the reference
    console.warn('page error', error.digest ?? '');
  }, [error]);
  return (
    <main className="auth-page" data-testid="error-page">
      <section className="auth-card status-card" aria-labelledby="error-title">
        <h1 className="auth-product">平安一张图</h1>
        <h2 id="error-title">页面出错了</h2>
        <p>这个页面在显示时遇到了问题,没有完成加载。已保存的数据不受影响。</p>
        <p>请点击“重新加载”再试一次;如果仍然出错,请回到态势地图重新进入,或把下面的错误编号告诉系统管理员。</p>
        {error.digest && (
          <p className="status-ref" data-testid="error-digest">
            错误编号:<code>{error.digest}</code>
          </p>
        )}
        <p className="status-actions">
          {reset && (
            <button type="button" className="secondary" onClick={() => reset()}>
              重新加载
            </button>
          )}
          <a href="/" className="primary">返回态势地图</a>
        </p>
      </section>
    </main>
  );
}
