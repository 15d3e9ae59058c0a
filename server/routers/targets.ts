// Rectification targets (挂牌整治): the ranked list, creation from it, the list with
// overdue flags, status changes, evaluation. Bad input is BAD_REQUEST naming the field.
import { z } from 'zod';
import { dayText, LIMITS, metres, rowId, whole } from '../limits';
import { procedure, router } from '../trpc';
import { rankTargets, WeightsSchema } from '../services/hotspots/targets';
import { evaluateAndStore } from '../services/hotspots/target-evaluation';
import { createTarget, CreateTargetSchema, listTargets, setTargetStatus, TargetStatusSchema } from '../services/hotspots/target-lifecycle';

const read = procedure.meta({ cap: 'data.read' });
const write = procedure.meta({ cap: 'targets.write' });

export const targetsRouter = router({
  rank: procedure.meta({ cap: 'data.read', cost: 'heavy' })
    .input(z.object({ top: whole('候选目标数量', LIMITS.top).default(20), cellM: metres('网格边长', LIMITS.targetCellM).default(500), weights: WeightsSchema.optional() }))
    .query(({ ctx, input }) => ctx.read((tx) => rankTargets(tx, input))),
  create: write.input(CreateTargetSchema).mutation(({ ctx, input }) => ctx.write(async (tx) => ({ id: await createTarget(tx, input) }))),
  list: read
    .input(z.object({ today: dayText('统计日期').optional() }).default({}))
    .query(({ ctx, input }) => ctx.read((tx) => listTargets(tx, input.today ?? new Date().toISOString().slice(0, 10)))),
  setStatus: write
    .input(z.object({ id: rowId('整治目标编号'), status: TargetStatusSchema }))
    .mutation(({ ctx, input }) => ctx.write((tx) => setTargetStatus(tx, input.id, input.status))),
  evaluate: write
    .input(z.object({
      id: rowId('整治目标编号'),
      asOf: dayText('评估日期').optional(),
      ringM: z.number().min(50).max(5000).default(500),
      comparisons: z.number().int().min(1).max(100).default(10),
    }))
    .mutation(({ ctx, input }) => ctx.write((tx) => evaluateAndStore(tx, input.id, input))),
});
