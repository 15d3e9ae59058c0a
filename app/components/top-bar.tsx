'use client';
// The top bar of every workspace page: product name, county, data-set badge, navigation,
// the data scope of a township officer, and at the right the signed-in person
// (user-menu.tsx). A page is listed only when the person's role may open it (auth.me's
// capabilities; the server checks again on every request).
import Link from 'next/link';
import { useMe, UserMenu } from './user-menu';

export type TopBarPage = 'map' | 'planner' | 'audit' | 'patrol' | 'import' | 'admin';

const PAGES: { page: TopBarPage; href: string; label: string; cap: string }[] = [
  { page: 'map', href: '/', label: '态势地图', cap: 'map.read' },
  { page: 'planner', href: '/planner', label: '热点研判', cap: 'data.read' },
  { page: 'audit', href: '/audit', label: '视频监控', cap: 'data.read' },
  { page: 'patrol', href: '/patrol', label: '巡防研判', cap: 'data.read' },
  { page: 'import', href: '/import', label: '数据导入', cap: 'import.write' },
  { page: 'admin', href: '/admin/audit', label: '审计日志', cap: 'audit.read' },
];

export function TopBar({ countyName, demoLabel, active }: { countyName?: string; demoLabel?: string | null; active: TopBarPage }) {
  const me = useMe();
  const caps: readonly string[] = me.data?.capabilities ?? [];
  const scope = me.data?.scopeNames;
  return (
    <header className="topbar">
      <h1>平安一张图</h1>
      {countyName && <span className="county-name">{countyName}</span>}
      {demoLabel && (
        <span className="badge demo-badge" title="由演示数据生成器生成,非真实数据">
          {demoLabel}
        </span>
      )}
      {scope && (
        <span className="badge scope-badge" data-testid="scope-badge" title="本账号只能查看所属乡镇(街道)的数据">
          数据范围:{scope.join('、')}
        </span>
      )}
      <nav className="topnav">
        {PAGES.filter((p) => p.page === active || caps.includes(p.cap)).map((p) => (
          <Link key={p.page} href={p.href} className={active === p.page ? 'active' : ''} data-testid={`nav-${p.page}`}>
            {p.label}
          </Link>
        ))}
      </nav>
      <UserMenu />
    </header>
  );
}
