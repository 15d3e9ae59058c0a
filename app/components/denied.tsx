// What a signed-in user sees on a page their role may not open.
import Link from 'next/link';

export function Denied({ reason }: { reason: string }) {
  return (
    <main className="denied" data-testid="denied">
      <h1>无权访问</h1>
      <p>{reason}</p>
      <p>
        <Link href="/">返回态势地图</Link> · <Link href="/login">切换账号</Link>
      </p>
    </main>
  );
}
