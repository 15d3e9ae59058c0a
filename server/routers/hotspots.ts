// Hotspot analyses for the planner: Gi* over cells of the county. Bad parameters come back
// as BAD_REQUEST with one sentence, never as a server error.
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { publicProcedure, router } from '../trpc';
import { HotspotInputError, runHotspots } from '../services/hotspots/hotspots';

const GiStarInput = z.object({
  shape: z.enum(['square', 'hex', 'grid']).default('square'),
  cellM: z.number().positive('cell size must be positive').max(20_000, 'cell size must be at most 20,000 m').default(500),
  neighbours: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('distance'), metres: z.number().positive().max(100_000) }),
    z.object({ kind: z.literal('knn'), k: z.number().int().min(1).max(100) }),
  ]),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  categories: z.array(z.string().min(1)).max(50).optional(),
  fdr: z.boolean().default(true),
  withGeometry: z.boolean().default(false),
});

export const hotspotsRouter = router({
  gistar: publicProcedure.input(GiStarInput).query(async ({ input }) => {
    try {
      return await runHotspots(input);
    } catch (err) {
      if (err instanceof HotspotInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
      throw err;
    }
  }),
});
