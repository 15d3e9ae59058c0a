'use client';
// The top bar of every workspace page: product name, county, data-set badge, navigation,
// and at the right the signed-in person (user-menu.tsx). 审计日志 is listed for the roles
// that may read the audit log (admin, auditor): from `canReadAudit` when the page knows,
// else from auth.me.
import Link from 'next/link';
import { useCanReadAudit, UserMenu } from './user-menu';

export type TopBarPage = 'map' | 'planner' | 'audit' | 'import' | 'admin';

export function TopBar({
  countyName,
  demoLabel,
  active,
  canReadAudit,
}: {
  countyName?: string;
  demoLabel?: string | null;
  active: TopBarPage;
  /** Show the 审计日志 link; when left out, decided from the signed-in person's roles. */
  canReadAudit?: boolean;
}) {
  const fromRoles = useCanReadAudit();
  const showAudit = canReadAudit ?? fromRoles;
  return (
    <header className="topbar">
      <h1>平安一张图</h1>
      {countyName && <span className="county-name">{countyName}</span>}
      {demoLabel && (
        <span className="badge demo-badge" title="由演示数据生成器生成,非真实数据">
          {demoLabel}
        </span>
      )}
      <nav className="topnav">
        <Link href="/" className={active === 'map' ? 'active' : ''}>
          态势地图
        </Link>
        <Link href="/planner" className={active === 'planner' ? 'active' : ''}>
          热点研判
        </Link>
        <Link href="/audit" className={active === 'audit' ? 'active' : ''}>
          视频监控
        </Link>
        <Link href="/import" className={active === 'import' ? 'active' : ''}>
          数据导入
        </Link>
        {showAudit && (
          <Link href="/admin/audit" className={active === 'admin' ? 'active' : ''} data-testid="nav-audit-log">
            审计日志
          </Link>
        )}
      </nav>
      <UserMenu />
    </header>
  );
}
