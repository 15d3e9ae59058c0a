// Hotspot analyses for the planner: Gi* over cells of the county, the kernel density
// surface, emerging hot spots. Bad parameters (a UserError) come back as BAD_REQUEST with
// one sentence, never as a server error.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { runHotspots } from '../services/hotspots/hotspots';
import { runKde } from '../services/hotspots/kde';
import { runEmerging } from '../services/hotspots/emerging';

const Window = {
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  categories: z.array(z.string().min(1)).max(50).optional(),
};

const GiStarInput = z.object({
  shape: z.enum(['square', 'hex', 'grid']).default('square'),
  cellM: z.number().positive('cell size must be positive').max(20_000, 'cell size must be at most 20,000 m').default(500),
  neighbours: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('distance'), metres: z.number().positive().max(100_000) }),
    z.object({ kind: z.literal('knn'), k: z.number().int().min(1).max(100) }),
  ]),
  ...Window,
  fdr: z.boolean().default(true),
  withGeometry: z.boolean().default(false),
});

const KdeInput = z.object({
  cellM: z.number().min(50, 'cell size must be at least 50 m').max(20_000, 'cell size must be at most 20,000 m').default(500),
  bandwidthM: z.number().positive().max(50_000).optional(),
  ...Window,
});

const EmergingInput = z.object({
  cellM: z.number().min(200, 'cell size must be at least 200 m').max(20_000).default(1000),
  distanceM: z.number().positive().max(100_000).default(2500),
  from: z.coerce.date(),
  to: z.coerce.date(),
  slices: z.number().int().min(4).max(120).default(12),
  withGeometry: z.boolean().default(false),
});

const analysis = procedure.meta({ cap: 'data.read' });

export const hotspotsRouter = router({
  gistar: analysis.input(GiStarInput).query(({ ctx, input }) => ctx.read((tx) => runHotspots(tx, input))),
  kde: analysis.input(KdeInput).query(({ ctx, input }) => ctx.read((tx) => runKde(tx, input))),
  emerging: analysis
    .input(EmergingInput)
    .query(({ ctx, input }) => ctx.read((tx) => runEmerging(tx, { shape: 'square', cellM: input.cellM, neighbours: { kind: 'distance', metres: input.distanceM }, from: input.from, to: input.to, slices: input.slices, withGeometry: input.withGeometry }))),
});
