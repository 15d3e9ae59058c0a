// Camera coverage audit (雪亮工程): figures, KPIs, register findings, the placement
// recommender, the cameras with their views, register edits and candidate sites. Bad
// input is BAD_REQUEST with a sentence naming the field.
import { TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { publicProcedure, router } from '../trpc';
import { computeCoverage, CoverageInputError } from '../services/coverage/figures';
import { recommend } from '../services/coverage/recommend';
import { runAudit } from '../services/coverage/audit';
import { addCandidate, cameraViews, listCandidates, occluders, removeCandidate, updateCamera } from '../services/coverage/cameras';

async function coverageErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CoverageInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
    if (err instanceof ZodError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.issues.map((i) => i.message).join(';'), cause: err });
    throw err;
  }
}

export const RecommendInput = z.object({
  budget: z.number({ error: '补点数量必须是数字' }).int('补点数量必须是整数').min(1, '补点数量至少为 1').max(1000, '补点数量不超过 1000'),
  type: z.enum(['dome', 'fixed', 'ptz']).default('dome'),
});

export const coverageRouter = router({
  figures: publicProcedure
    .input(z.object({ hotspots: z.boolean().default(true) }).default({ hotspots: true }))
    .query(({ input }) => coverageErrors(() => computeCoverage({ hotspots: input.hotspots, gaps: true }))),
  recommend: publicProcedure.input(RecommendInput).query(({ input }) => coverageErrors(() => recommend(input))),
  audit: publicProcedure.query(() => runAudit()),
  cameras: publicProcedure.query(() => cameraViews()),
  occluders: publicProcedure.query(() => occluders()),
  updateCamera: publicProcedure.input(z.unknown()).mutation(({ input }) => coverageErrors(() => updateCamera(input))),
  candidates: publicProcedure.query(() => listCandidates()),
  addCandidate: publicProcedure.input(z.unknown()).mutation(({ input }) => coverageErrors(() => addCandidate(input))),
  removeCandidate: publicProcedure.input(z.object({ id: z.number().int().positive() })).mutation(({ input }) => coverageErrors(() => removeCandidate(input.id))),
});
