// The top bar of every workspace page: product name, county, data-set badge, navigation.
import Link from 'next/link';

export function TopBar({ countyName, demoLabel, active }: { countyName?: string; demoLabel?: string | null; active: 'map' | 'planner' | 'audit' | 'import' }) {
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
      </nav>
    </header>
  );
}
