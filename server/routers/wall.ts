// The command-centre wall (/screen): its panels, the 平安指数 ranking it shows, and the
// live-event stream (SSE, server/live). Displays (kiosk) and commanders.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { wallPanels, type WallPanels } from '../services/wall/panels';
import { peaceIndexFor } from '../services/peace-index/published';
import { liveStream } from '../live/subscribe';
import { liveHub } from '../live/outbox';
import { patrolDosage } from '../services/patrol/dosage';
import { chinaDateOf } from '../../lib/china-time';

/**
 * The 巡防 theme's dosage panel: today's (China time) patrol dosage at the Gi* hotspots of the
 * last year, the same computation as the patrol page. A hotspot analysis costs seconds, so
 * one result per scope is shared for DOSAGE_MS; the walls ask every 10 minutes.
 */
export const DOSAGE_MS = 10 * 60_000;
type WallDosage = { day: string; hotspots: number; visited: number; visits: number; koperShare: number | null; hotSlotShare: number | null; unvisited: { label: string; incidents: number; hotHours: number[] }[] };
const sharedDosage = new Map<string, { started: number; value: Promise<WallDosage> }>();
function dosageFor(townships: readonly string[] | null, compute: () => Promise<WallDosage>): Promise<WallDosage> {
  const key = townships ? [...townships].sort().join(',') : '*';
  const hit = sharedDosage.get(key);
  if (hit && Date.now() - hit.started < DOSAGE_MS) return hit.value;
  const entry = { started: Date.now(), value: compute() };
  sharedDosage.set(key, entry);
  entry.value.catch(() => { if (sharedDosage.get(key) === entry) sharedDosage.delete(key); });
  return entry.value;
}

const wall = procedure.meta({ cap: 'wall.read' });

/**
 * Every wall of one scope asks for the same panels, and all of them at once a moment after
 * an event (app/screen refreshes 1.5 s after one). A request joins the computation of its
 * scope, running or done, when that computation started
 * - less than PANELS_SHARED_MS ago, shorter than the walls' 1.5 s delay: the refresh after
 *   an event then always reads a computation begun after the event reached the wall, i.e.
 *   after its transaction committed; or
 * - less than PANELS_QUIET_MS ago and no live event has come since (the process's hub
 *   has the same high-water mark): nothing the wall shows has changed but the clock.
 * Keyed by the townships the actor may see, which is all the panels depend on (row-level
 * security). Measured in `npm run bench -- load`.
 */
export const PANELS_SHARED_MS = 1_000;
export const PANELS_QUIET_MS = 10_000;
const sharedPanels = new Map<string, { started: number; high: bigint; value: Promise<WallPanels> }>();
function panelsFor(townships: readonly string[] | null, compute: () => Promise<WallPanels>): Promise<WallPanels> {
  const key = townships ? [...townships].sort().join(',') : '*';
  const now = Date.now();
  const hub = liveHub();
  const high = hub.listenerCount > 0 ? hub.highWater : -1n; // a hub nobody listens to is not polled
  const hit = sharedPanels.get(key);
  if (hit && (now - hit.started < PANELS_SHARED_MS || (high >= 0n && hit.high === high && now - hit.started < PANELS_QUIET_MS))) return hit.value;
  const entry = { started: now, high, value: compute() };
  sharedPanels.set(key, entry);
  entry.value.catch(() => { if (sharedPanels.get(key) === entry) sharedPanels.delete(key); });
  // a handful of scopes at most (the county, a few townships' walls): drop old ones
  if (sharedPanels.size > 50) for (const [k, v] of sharedPanels) if (now - v.started > PANELS_QUIET_MS) sharedPanels.delete(k);
  return entry.value;
}

export const wallRouter = router({
  panels: wall.query(({ ctx }) => panelsFor(ctx.actor.townships, () => ctx.read((tx) => wallPanels(tx)))),
  /** The default period's index, as published for the county (computed and published when there is none). */
  peaceIndex: procedure.meta({ cap: 'wall.read', cost: 'heavy' }).query(async ({ ctx }) => {
    const r = await peaceIndexFor(ctx.actor, {});
    return {
      period: r.method.period,
      townships: r.townships.map((t) => ({ code: t.code, name: t.name, score: t.score, rank: t.rank, rankChange: t.rankChange, list: t.list })),
    };
  }),
  /** Today's patrol dosage at the hotspots (the 巡防 theme), shared per scope for DOSAGE_MS. */
  patrolDosage: procedure.meta({ cap: 'wall.read', cost: 'heavy' }).query(({ ctx }) => dosageFor(ctx.actor.townships, () => ctx.read(async (tx) => {
    const day = chinaDateOf(new Date());
    const next = chinaDateOf(new Date(Date.now() + 86_400_000));
    const d = await patrolDosage(tx, { period: { from: day, to: next }, areas: { kind: 'hotspots' } });
    const unvisited = d.areas.filter((a) => a.visits === 0).sort((a, b) => b.incidents - a.incidents).slice(0, 5).map((a) => ({ label: a.label, incidents: a.incidents, hotHours: a.hotHours }));
    return { day, hotspots: d.totals.areas, visited: d.totals.areas - d.totals.unvisited, visits: d.totals.visits, koperShare: d.totals.koperShare, hotSlotShare: d.totals.hotSlotShare, unvisited };
  }))),
  /** New incidents, status steps, camera and hazard changes, patrol positions: tracked by outbox id. */
  events: wall
    .input(z.object({ lastEventId: z.string().max(20, '事件编号过长').nullish() }).strict().optional())
    .subscription(({ ctx, input, signal }) => liveStream(ctx.actor, input?.lastEventId, signal)),
});
