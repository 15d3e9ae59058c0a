// Camera coverage audit (雪亮工程): figures, KPIs, register findings, the placement
// recommender, the cameras with their views, register edits and candidate sites. Bad
// input is BAD_REQUEST with a sentence naming the field.
import { z } from 'zod';
import { LIMITS, rowId, whole } from '../limits';
import { procedure, router } from '../trpc';
import { computeCoverage } from '../services/coverage/figures';
import { recommend } from '../services/coverage/recommend';
import { runAudit } from '../services/coverage/audit';
import { addCandidate, cameraViews, listCandidates, occluders, removeCandidate, updateCamera } from '../services/coverage/cameras';

export const RecommendInput = z.object({
  budget: whole('补点数量', LIMITS.budget),
  type: z.enum(['dome', 'fixed', 'ptz']).default('dome'),
});

const read = procedure.meta({ cap: 'data.read' });
const write = procedure.meta({ cap: 'coverage.write' });
const analysis = procedure.meta({ cap: 'data.read', cost: 'heavy' });

export const coverageRouter = router({
  figures: analysis
    .input(z.object({ hotspots: z.boolean().default(true) }).default({ hotspots: true }))
    .query(({ ctx, input }) => ctx.read((tx) => computeCoverage(tx, { hotspots: input.hotspots, gaps: true }))),
  recommend: analysis.input(RecommendInput).query(({ ctx, input }) => ctx.read((tx) => recommend(tx, input))),
  audit: analysis.query(({ ctx }) => ctx.read((tx) => runAudit(tx))),
  cameras: procedure.meta({ cap: 'map.read', cost: 'cached' }).query(({ ctx }) => ctx.read((tx) => cameraViews(tx))),
  occluders: read.query(({ ctx }) => ctx.read((tx) => occluders(tx))),
  updateCamera: write.input(z.unknown()).mutation(({ ctx, input }) => ctx.write((tx) => updateCamera(tx, input))),
  candidates: read.query(({ ctx }) => ctx.read((tx) => listCandidates(tx))),
  addCandidate: write.input(z.unknown()).mutation(({ ctx, input }) => ctx.write((tx) => addCandidate(tx, input))),
  removeCandidate: write.input(z.object({ id: rowId('候选点位编号') })).mutation(({ ctx, input }) => ctx.write((tx) => removeCandidate(tx, input.id))),
});
