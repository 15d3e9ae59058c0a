'use client';
// The wall: a header with the clock, the map in the centre and the theme's panels around
// it. Panels read wall.panels (every 30 s, and 1.5 s after a live event says something
// changed); the live stream (wall.events, SSE) feeds the flashes and the "just in" list.
// When the server or the database cannot be reached every panel keeps its last data and a
// badge says when it was last fresh; the stream and the queries reconnect by themselves.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useTRPC } from '../trpc';
import { useBasemap } from '../map/use-basemap';
import { THEMES, THEME_IDS, layoutFor, type Layout, type PanelId, type WallTheme } from './themes';
import { WallMap, FLASH_MS, type Flash } from './wall-map';
import { PANELS, type PanelData } from './panels';
import { chinaIso } from '@/lib/china-time';
import './screen.css';

const PANEL_REFRESH_MS = 30_000;
const EVENT_REFRESH_DELAY_MS = 1_500;
const DEFAULT_ROTATE_S = 60;
/** Past this JS heap the page reloads itself (state is in the URL). */
const HEAP_BUDGET_BYTES = 1_500 * 1024 * 1024;
const STALE_AFTER_MS = 75_000;
const STREAM_GRACE_MS = 10_000;
const RESUBSCRIBE_MS = 5_000;

/** A refusal of the caller (401/403): a revoked or unknown display token. */
function isRefusal(err: unknown): boolean {
  const code = (err as { data?: { code?: string } } | null)?.data?.code;
  return code === 'UNAUTHORIZED' || code === 'FORBIDDEN';
}

const hms = (ms: number) => chinaIso(ms).slice(11, 19);

interface Fresh { id: string; category: string; township: string | null; at: string; lon: number; lat: number; major: boolean }

function readParams(): { pinned: WallTheme | null; rotateS: number; startIndex: number } {
  const q = new URLSearchParams(window.location.search);
  const pinned = THEMES.find((t) => t.id === q.get('theme')) ?? null;
  const r = Number(q.get('rotate'));
  const at = THEME_IDS.indexOf((q.get('at') ?? '') as WallTheme['id']);
  return { pinned, rotateS: Number.isFinite(r) && r >= 10 && r <= 3600 ? r : DEFAULT_ROTATE_S, startIndex: at >= 0 ? at : 0 };
}

/** The wall reads its URL and viewport, which the server render does not have: drawn after mounting. */
export function ScreenWall({ displayName }: { displayName: string }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <Wall displayName={displayName} /> : <main className="screen" data-testid="screen" />;
}

function Wall({ displayName }: { displayName: string }) {
  const trpc = useTRPC();
  const { countyName, demoLabel } = useBasemap();
  const [params] = useState(readParams);
  const [index, setIndex] = useState(params.startIndex);
  const theme = params.pinned ?? THEMES[index % THEMES.length]!;
  const [layout, setLayout] = useState<Layout>(() => layoutFor(window.innerWidth, window.innerHeight));
  const [now, setNow] = useState(() => Date.now());

  // the clock, the layout, the rotation
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    const onResize = () => setLayout(layoutFor(window.innerWidth, window.innerHeight));
    window.addEventListener('resize', onResize);
    return () => {
      clearInterval(t);
      window.removeEventListener('resize', onResize);
    };
  }, []);
  useEffect(() => {
    if (params.pinned) return;
    const t = setInterval(() => setIndex((i) => (i + 1) % THEMES.length), params.rotateS * 1_000);
    return () => clearInterval(t);
  }, [params]);
  // the theme in the URL, so a reload (the heap budget) comes back to it
  useEffect(() => {
    const q = new URLSearchParams(window.location.search);
    if (params.pinned) return;
    q.set('at', theme.id);
    window.history.replaceState(null, '', `?${q}`);
  }, [theme.id, params.pinned]);
  useEffect(() => {
    const t = setInterval(() => {
      const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
      if (mem && mem.usedJSHeapSize > HEAP_BUDGET_BYTES) window.location.reload();
    }, 60_000);
    return () => clearInterval(t);
  }, []);

  // a refused token (revoked) ends everything: the wall says so instead of retrying for ever
  const [revoked, setRevoked] = useState(false);
  const retry = (_n: number, err: unknown) => {
    if (isRefusal(err)) {
      setRevoked(true);
      return false;
    }
    return true;
  };
  const panels = useQuery({ ...trpc.wall.panels.queryOptions(), enabled: !revoked, refetchInterval: PANEL_REFRESH_MS, refetchIntervalInBackground: true, retry, retryDelay: 5_000, staleTime: 0 });
  const peace = useQuery({ ...trpc.wall.peaceIndex.queryOptions(), enabled: !revoked, refetchInterval: 30 * 60_000, refetchIntervalInBackground: true, retry, retryDelay: 30_000 });
  // the 巡防 theme's dosage panel (every theme rotates through the wall), every 10 minutes
  const dosage = useQuery({ ...trpc.wall.patrolDosage.queryOptions(), enabled: !revoked, refetchInterval: 10 * 60_000, refetchIntervalInBackground: true, retry, retryDelay: 60_000 });

  // live events: a new incident flashes and joins the "just in" list; anything refreshes the panels soon
  const [flashes, setFlashes] = useState<Flash[]>([]);
  const [fresh, setFresh] = useState<Fresh[]>([]);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetchPanels = panels.refetch;
  const soon = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      void refetchPanels();
    }, EVENT_REFRESH_DELAY_MS);
  }, [refetchPanels]);
  useEffect(() => () => { if (refreshTimer.current) clearTimeout(refreshTimer.current); }, []);
  const [lastEventAt, setLastEventAt] = useState(0);
  const sub = useSubscription(trpc.wall.events.subscriptionOptions(undefined, {
    enabled: !revoked,
    onError: (err) => { if (isRefusal(err)) setRevoked(true); },
    onData: (msg) => {
      const e = msg.data;
      setLastEventAt(Date.now());
      if (e.topic === 'incident.new') {
        const p = e.payload as { id: string; categoryName: string; township: string | null; occurredAt: string; lon: number; lat: number; severity: string };
        const at = Date.now();
        setFlashes((f) => [...f.filter((x) => at - x.at < FLASH_MS), { id: p.id, lon: p.lon, lat: p.lat, at }].slice(-50));
        setFresh((f) => [{ id: p.id, category: p.categoryName, township: p.township, at: p.occurredAt, lon: p.lon, lat: p.lat, major: p.severity === 'major' }, ...f.filter((x) => x.id !== p.id)].slice(0, 20));
      }
      if (e.topic !== 'patrol.position' || Math.random() < 0.2) soon();
    },
  }));
  // drop flashes that are over (the list stays bounded)
  useEffect(() => {
    if (!flashes.length) return;
    const t = setTimeout(() => setFlashes((f) => f.filter((x) => Date.now() - x.at < FLASH_MS)), FLASH_MS);
    return () => clearTimeout(t);
  }, [flashes]);

  // a stream that gave up (an error tRPC does not retry, e.g. the server went away mid-request,
  // or one that ended) is started again while the token holds
  const resetSub = sub.reset;
  useEffect(() => {
    if (revoked || (sub.status !== 'error' && sub.status !== 'idle')) return;
    const t = setTimeout(resetSub, RESUBSCRIBE_MS);
    return () => clearTimeout(t);
  }, [sub.status, revoked, resetSub]);
  // the stream reconnects by design every LIVE_SUBSCRIPTION_MAX_MS: only a longer gap counts
  const connected = sub.status === 'pending';
  const [downSince, setDownSince] = useState<number | null>(null);
  useEffect(() => setDownSince((d) => (connected ? null : d ?? Date.now())), [connected]);
  const freshAt = panels.dataUpdatedAt;
  const streamDown = downSince !== null && now - downSince > STREAM_GRACE_MS;
  const stale = streamDown || panels.isError || (freshAt > 0 && now - freshAt > STALE_AFTER_MS);
  const data: PanelData = useMemo(() => ({ panels: panels.data, peace: peace.data, dosage: dosage.data, fresh }), [panels.data, peace.data, dosage.data, fresh]);

  // wide walls (32:9) show one more panel on each side: the theme's extras
  const slots = useMemo(() => ({
    left: layout === 'wide' ? [...theme.left, ...theme.extra.slice(0, 1)] : theme.left,
    right: layout === 'wide' ? [...theme.right, ...theme.extra.slice(1, 2)] : theme.right,
  }), [theme, layout]);
  const teams = useMemo(() => (panels.data?.patrols ?? []).filter((p) => p.lon !== null && p.lat !== null).map((p) => ({ id: p.id, name: p.name, lon: p.lon!, lat: p.lat! })), [panels.data]);

  if (revoked) {
    return (
      <main className="screen revoked" data-testid="revoked">
        <div className="screen-revoked">本大屏的访问令牌已被吊销或已失效,实时数据已停止。<br />请联系系统管理员重新签发令牌(npm run cli -- display add)。</div>
      </main>
    );
  }
  return (
    <main className={`screen layout-${layout}`} data-theme={theme.id} data-testid="screen">
      <header className="screen-head" data-panel="head">
        <div className="screen-head-left">
          <div className="screen-title">{countyName ?? ''}平安一张图 · 综治中心大屏</div>
          {demoLabel && <span className="screen-demo">{demoLabel}</span>}
        </div>
        <nav className="screen-themes" aria-label="主题">
          {THEMES.map((t) => <span key={t.id} className={t.id === theme.id ? 'on' : ''}>{t.title}</span>)}
        </nav>
        <div className="screen-clock">
          {stale && (
            <span className="stale-badge" role="status" data-testid="stale-badge">
              {streamDown || panels.isError ? '连接中断' : '数据未更新'} · 数据更新于 {freshAt ? hms(freshAt) : '—'}
            </span>
          )}
          <span className="screen-time">{chinaIso(now).slice(0, 10)} {hms(now)}</span>
          <span className="screen-display">{displayName}</span>
        </div>
      </header>
      <section className="screen-side left" data-panel-column="left">
        {slots.left.map((id) => <PanelBox key={id} id={id} data={data} />)}
      </section>
      <section className="screen-map" data-panel="map">
        <WallMap layers={theme.layers} flashes={flashes} teams={teams} showTeams={theme.id === 'patrol'} />
        <div className="screen-map-title">{theme.title}</div>
      </section>
      <section className="screen-side right" data-panel-column="right">
        {slots.right.map((id) => <PanelBox key={id} id={id} data={data} />)}
      </section>
      <span hidden data-testid="last-event">{lastEventAt}</span>
    </main>
  );
}

function PanelBox({ id, data }: { id: PanelId; data: PanelData }) {
  const P = PANELS[id];
  return (
    <div className="screen-panel" data-panel={id}>
      <h2>{P.title}</h2>
      <div className="screen-panel-body">
        <P.Body data={data} />
      </div>
    </div>
  );
}
