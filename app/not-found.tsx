// 页面不存在: what a person sees at an address the app does not have (and where a page
// calls notFound()). Rendered inside the root layout; no session is needed to read it.
import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: '页面不存在 · 平安一张图' };

export default function NotFound() {
  return (
    <main className="auth-page" data-testid="not-found">
      <section className="auth-card status-card" aria-labelledby="not-found-title">
        <h1 className="auth-product">平安一张图</h1>
        <p className="status-code">404</p>
        <h2 id="not-found-title">页面不存在</h2>
        <p>您打开的地址没有对应的页面:链接可能有误或已过期,也可能是地址输入不完整。</p>
        <p>请检查地址是否正确,或回到态势地图,从顶部导航进入需要的功能。</p>
        <p className="status-actions">
          <Link href="/" className="primary" data-testid="back-to-map">返回态势地图</Link>
        </p>
      </section>
    </main>
  );
}
