// The command centre under load: N walls (each one SSE stream of wall.events and wall.panels
// every 30 s and shortly after events, as app/screen does) and M analysts (county-zoom map
// bins, grid counts, and now and then a Gi* analysis) against one `npm start` server with the
// simulator at 10× the county's rate, for `--minutes`. Reported:
// - wall.panels latency, p50/p95/p99, against the same request on the same server with
//   one wall and no analysts, measured first in the same run (the ratio is what to compare);
// - fan-out: a camera status pushed every 3 s through POST /api/ingest/camera-status (a feed
//   token the bench issues), from the push's start to the event's arrival at each wall;
//   every wall must get every event; and the age of the simulator's events on arrival (from
//   their transaction's start, live_events.at), which shows how far the simulator lags;
// - the server's resident memory at the first minute and at the end (growth).
// All over HTTP, as the browsers would; nothing is mocked. Not part of CI (minutes long).
//
//   npm run bench -- load [--walls 100] [--analysts 10] [--minutes 5] [--rate 10]
// The database: DATABASE_URL if set, else an embedded demo county in .data/bench-load
// (seeded on first use, ~1 min; the simulator then back-fills to now).
import { parseArgs } from 'node:util';
import { rssMb, startApp } from './app-process';
import { withScope } from '../server/db/scope';
import { many } from '../server/db/index';
import { systemActor } from '../server/context';
import { addFeed } from '../server/auth/accounts';
import { DEMO_DISPLAY, DEMO_ACCOUNTS } from '../server/auth/demo';
import { CHINA_OFFSET_MS } from '../lib/china-time';

const pct = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
};
const summary = (xs: number[]) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99), max: pct(xs, 100) });
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const done = () => { clearTimeout(t); signal?.removeEventListener('abort', done); resolve(); };
  const t = setTimeout(done, ms);
  signal?.addEventListener('abort', done, { once: true });
});

const chinaDay = (ms: number) => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, strict: true, options: { walls: { type: 'string' }, analysts: { type: 'string' }, minutes: { type: 'string' }, rate: { type: 'string' } } });
  const walls = Number(values.walls ?? 100);
  const analysts = Number(values.analysts ?? 10);
  const minutes = Number(values.minutes ?? 5);
  const rate = Number(values.rate ?? 10);
  const app = await startApp({ SIMULATOR: 'on', SIMULATOR_RATE: String(rate) }, '.data/bench-load');
  const { base } = app;
  try {
    const wallHeaders = { authorization: `Bearer ${DEMO_DISPLAY.token}` };
    const panels = async (): Promise<number> => {
      const t = performance.now();
      const r = await fetch(`${base}/api/trpc/wall.panels`, { headers: wallHeaders });
      await r.text();
      if (!r.ok) throw new Error(`wall.panels answered ${r.status}`);
      return performance.now() - t;
    };
    // the simulator's back-fill to now runs at start: wait until it is done (the first chunk lands)
    await panels();
    await sleep(15_000);

    // ---- baseline: one wall, no analysts
    const baseline: number[] = [];
    for (let i = 0; i < 30; i++) {
      baseline.push(await panels());
      await sleep(300);
    }

    // ---- a feed that pushes camera status, and the cameras it flips
    const feedName = `bench-load-${Date.now()}`;
    const { feed, cams } = await withScope(systemActor('bench load', ['admin']), { attempted: 'preparing the load benchmark' }, async (tx) => ({
      feed: await addFeed(tx, feedName, ['camera-status']),
      cams: await many<{ gb_id: string; status: string }>(
        `SELECT gb_id, status FROM cameras c WHERE gb_id ~ '^\\d{20}$' AND (SELECT count(*) FROM cameras d WHERE d.gb_id = c.gb_id) = 1 ORDER BY id LIMIT 20`, [], 'choosing cameras', tx,
      ),
    }));

    // ---- analysts sign in
    const analyst = DEMO_ACCOUNTS.find((a) => a.role === 'analyst')!;
    const cookies: string[] = [];
    for (let i = 0; i < analysts; i++) {
      const r = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username: analyst.username, password: analyst.password }) });
      if (!r.ok) throw new Error(`sign-in answered ${r.status}: ${await r.text()}`);
      cookies.push(r.headers.get('set-cookie')!.split(';')[0]!);
    }

    const abort = new AbortController();
    const t0 = Date.now();
    const end = t0 + minutes * 60_000;
    const loaded: number[] = [];
    const panelErrors: string[] = [];
    const fanout: number[] = [];
    const simulatorAge: number[] = [];
    const pushedAt = new Map<string, number>();
    const pushErrors: string[] = [];
    const pushMs: number[] = [];
    const received: number[] = Array.from({ length: walls }, () => 0);
    const seenIds = new Set<string>();
    const reconnects = { n: 0 };

    const wall = async (i: number) => {
      let lastEventId: string | null = null;
      let refreshSoon: ReturnType<typeof setTimeout> | null = null;
      const refresh = async () => {
        try {
          loaded.push(await panels());
        } catch (err) {
          panelErrors.push((err as Error).message);
        }
      };
      const periodic = (async () => {
        await sleep(Math.random() * 30_000, abort.signal);
        while (!abort.signal.aborted) {
          await refresh();
          await sleep(30_000, abort.signal);
        }
      })();
      while (!abort.signal.aborted) {
        const input = encodeURIComponent(JSON.stringify(lastEventId ? { lastEventId } : {}));
        try {
          const r = await fetch(`${base}/api/trpc/wall.events?input=${input}`, { headers: { ...wallHeaders, accept: 'text/event-stream' }, signal: abort.signal });
          const reader = r.body!.pipeThrough(new TextDecoderStream()).getReader();
          let buf = '';
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            buf += value;
            let k: number;
            while ((k = buf.indexOf('\n\n')) >= 0) {
              const block = buf.slice(0, k);
              buf = buf.slice(k + 2);
              const id = /^id: ?(.*)$/m.exec(block)?.[1];
              const data = /^data: ?(.*)$/m.exec(block)?.[1];
              if (!data || !id) continue;
              lastEventId = id;
              const e = JSON.parse(data) as { topic?: string; at?: string; payload?: { source?: string; gbId?: string; status?: string } };
              if (!e.topic || !e.at) continue; // hello, reset
              received[i]!++;
              seenIds.add(id);
              const pushed = e.payload?.source === `feed:${feedName}` ? pushedAt.get(`${e.payload.gbId}:${e.payload.status}`) : undefined;
              if (pushed !== undefined) fanout.push(Date.now() - pushed);
              else if (e.payload?.source !== `feed:${feedName}`) simulatorAge.push(Date.now() - Date.parse(e.at));
              if ((e.topic !== 'patrol.position' || Math.random() < 0.2) && !refreshSoon) {
                refreshSoon = setTimeout(() => { refreshSoon = null; void refresh(); }, 1500);
              }
            }
          }
        } catch (err) {
          if (abort.signal.aborted) break;
          panelErrors.push(`stream: ${(err as Error).message}`);
          await sleep(5000, abort.signal);
        }
        if (!abort.signal.aborted) reconnects.n++;
      }
      if (refreshSoon) clearTimeout(refreshSoon);
      await periodic;
    };

    const analystTimes: Record<string, number[]> = { incidentBins: [], gridStats: [], gistar: [] };
    const analystErrors: string[] = [];
    const analystLoop = async (i: number) => {
      const call = async (name: string, path: string, input: unknown) => {
        const t = performance.now();
        const r = await fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie: cookies[i]! }, signal: abort.signal }).catch((e: Error) => e);
        if (r instanceof Error) return;
        await r.text();
        if (!r.ok) analystErrors.push(`${name} ${r.status}`);
        else analystTimes[name]!.push(performance.now() - t);
      };
      await sleep(Math.random() * 5000, abort.signal);
      let n = 0;
      while (!abort.signal.aborted) {
        const now = Date.now();
        const days = { from: chinaDay(now - (30 + (n % 5)) * 86_400_000), to: chinaDay(now) };
        await call('incidentBins', 'map.incidentBins', { bbox: [109.6, 32.4, 111.2, 33.6], zoom: 9 + (n % 3), ...days });
        await call('gridStats', 'map.gridStats', days);
        if (n % 6 === i % 6) await call('gistar', 'hotspots.gistar', { cellM: 500, neighbours: { kind: 'distance', metres: 1000 } });
        n++;
        await sleep(5000 + Math.random() * 5000, abort.signal);
      }
    };

    const pusher = async () => {
      await sleep(5000, abort.signal);
      for (let k = 0; !abort.signal.aborted; k++) {
        const cam = cams[k % cams.length]!;
        const status = cam.status === 'online' ? 'offline' : 'online';
        const t = Date.now();
        pushedAt.set(`${cam.gb_id}:${status}`, t);
        const r = await fetch(`${base}/api/ingest/camera-status`, {
          method: 'POST', headers: { authorization: `Bearer ${feed.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ items: [{ gbId: cam.gb_id, status, at: new Date(t).toISOString() }] }), signal: abort.signal,
        }).catch((e: Error) => e);
        if (r instanceof Error) break;
        const body = await r.text();
        if (!r.ok) pushErrors.push(`${r.status} ${body.slice(0, 200)}`);
        else {
          pushMs.push(Date.now() - t);
          cam.status = status;
        }
        await sleep(3000, abort.signal);
      }
    };

    const rss: { s: number; mb: number }[] = [{ s: 0, mb: rssMb(app.pid) }];
    const sampler = (async () => {
      while (!abort.signal.aborted) {
        await sleep(10_000, abort.signal);
        rss.push({ s: Math.round((Date.now() - t0) / 1000), mb: rssMb(app.pid) });
      }
    })();
    const running = [...Array.from({ length: walls }, (_, i) => wall(i)), ...Array.from({ length: analysts }, (_, i) => analystLoop(i)), pusher()];
    await sleep(end - Date.now());
    abort.abort();
    await Promise.all(running);
    await sampler;

    const atMinute = rss.find((x) => x.s >= 60) ?? rss[0]!;
    const last = rss[rss.length - 1]!;
    const b = summary(baseline);
    const l = summary(loaded);
    const f = summary(fanout);
    const complete = received.filter((n) => n >= seenIds.size).length;
    const growth = Math.round((last.mb / atMinute.mb - 1) * 1000) / 10;
    return {
      engine: process.env.DATABASE_URL ? 'postgres' : 'embedded',
      walls, analysts, minutes, simulatorRate: rate,
      panels: { baselineMs: b, loadedMs: l, p95Ratio: b.p95 && l.p95 ? Math.round((l.p95 / b.p95) * 100) / 100 : null, errors: panelErrors.length, firstErrors: [...new Set(panelErrors)].slice(0, 5) },
      fanout: {
        eventsSeen: seenIds.size, wallsWithEveryEvent: complete, reconnects: reconnects.n,
        pushes: pushMs.length, pushAnswerMs: summary(pushMs), pushErrors: pushErrors.length, firstPushErrors: [...new Set(pushErrors)].slice(0, 3),
        pushToWallMs: f, simulatorEventAgeMs: summary(simulatorAge),
      },
      analystMs: Object.fromEntries(Object.entries(analystTimes).map(([k, v]) => [k, summary(v)])),
      analystErrors: analystErrors.length, firstAnalystErrors: [...new Set(analystErrors)].slice(0, 5),
      rssMb: { start: rss[0]!.mb, atOneMinute: atMinute.mb, end: last.mb, max: Math.max(...rss.map((x) => x.mb)), growthPercentAfterFirstMinute: growth, samples: rss },
      targets: {
        panelsP95Under300Ms: (l.p95 ?? Infinity) < 300,
        fanoutP95Under2s: (f.p95 ?? Infinity) < 2000,
        rssGrowthUnder20Percent: growth < 20,
      },
    };
  } finally {
    await app.stop();
  }
}
