// 登录: the sign-in page. While the demo accounts still sign in with their printed
// passwords, they are listed in a box that says so (示例数据); a production database has none.
import type { Metadata } from 'next';
import { demoAccounts } from '@/server/auth/demo';
import { LOCK_AFTER_FAILURES, LOCK_MINUTES, SESSION_IDLE_MINUTES } from '@/server/auth/accounts';
import { readNext } from '@/lib/url-params';
import { LoginForm, type DemoAccount } from './login-form';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: '登录 · 平安一张图' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // only a path of this site is a place to return to; another is refused with a notice
  const { next, notices } = readNext(await searchParams);
  let demo: DemoAccount[] = [];
  try {
    demo = await demoAccounts();
  } catch (err) {
    // the page must still let people sign in when the list cannot be read
    console.error(`sign-in page: demo accounts unavailable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const notice = `${SESSION_IDLE_MINUTES} 分钟无操作将自动退出;连续 ${LOCK_AFTER_FAILURES} 次密码错误将锁定账号 ${LOCK_MINUTES} 分钟`;
  return <LoginForm next={next} demo={demo} notice={notice} paramNotices={notices} />;
}
