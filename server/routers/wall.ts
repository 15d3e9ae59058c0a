// The command-centre wall (/screen): its panels, the 平安指数 ranking it shows, and the
// live-event stream (SSE, server/live). Displays (kiosk) and commanders.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { wallPanels } from '../services/wall/panels';
import { peaceIndexFor } from '../services/peace-index/published';
import { liveStream } from '../live/subscribe';

const wall = procedure.meta({ cap: 'wall.read' });

export const wallRouter = router({
  panels: wall.query(({ ctx }) => ctx.read((tx) => wallPanels(tx))),
  /** The default period's index, as published for the county (computed and published when there is none). */
  peaceIndex: procedure.meta({ cap: 'wall.read', cost: 'heavy' }).query(async ({ ctx }) => {
    const r = await peaceIndexFor(ctx.actor, {});
    return {
      period: r.method.period,
      townships: r.townships.map((t) => ({ code: t.code, name: t.name, score: t.score, rank: t.rank, rankChange: t.rankChange, list: t.list })),
    };
  }),
  /** New incidents, status steps, camera and hazard changes, patrol positions: tracked by outbox id. */
  events: wall
    .input(z.object({ lastEventId: z.string().max(20, '事件编号过长').nullish() }).strict().optional())
    .subscription(({ ctx, input, signal }) => liveStream(ctx.actor, input?.lastEventId, signal)),
});
