// Rectification targets (挂牌整治): the ranked list, creation from it, the list with
// overdue flags, status changes. Bad input is BAD_REQUEST naming the field.
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { userErrors } from './hotspots';
import { rankTargets, WeightsSchema } from '../services/hotspots/targets';
import { evaluateAndStore } from '../services/hotspots/target-evaluation';
import { createTarget, CreateTargetSchema, listTargets, setTargetStatus, TargetStatusSchema } from '../services/hotspots/target-lifecycle';

export const targetsRouter = router({
  rank: publicProcedure
    .input(z.object({ top: z.number().int().min(1).max(1000).default(20), cellM: z.number().min(100).max(5000).default(500), weights: WeightsSchema.optional() }))
    .query(({ input }) => userErrors(() => rankTargets(input))),
  create: publicProcedure.input(CreateTargetSchema).mutation(({ input }) => userErrors(async () => ({ id: await createTarget(input) }))),
  list: publicProcedure
    .input(z.object({ today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }).default({}))
    .query(({ input }) => listTargets(input.today ?? new Date().toISOString().slice(0, 10))),
  setStatus: publicProcedure
    .input(z.object({ id: z.number().int().positive(), status: TargetStatusSchema }))
    .mutation(({ input }) => userErrors(() => setTargetStatus(input.id, input.status))),
  evaluate: publicProcedure
    .input(z.object({
      id: z.number().int().positive(),
      asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
      ringM: z.number().min(50).max(5000).default(500),
      comparisons: z.number().int().min(1).max(100).default(10),
    }))
    .mutation(({ input }) => userErrors(() => evaluateAndStore(input.id, input))),
});
