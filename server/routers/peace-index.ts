// 平安指数 per township with the 红黑榜. Bad input (unknown indicator, all-zero weights,
// an empty period) is BAD_REQUEST with one sentence. A township officer reads the
// county's published result (computed with the county's rights), never a recomputation
// under their own scope, which would rank their township against nothing.
import { procedure, router } from '../trpc';
import { cached } from '../analysis-queue';
import { PeaceIndexInputSchema } from '../services/peace-index/index';
import { peaceIndexFor } from '../services/peace-index/published';

export const peaceIndexRouter = router({
  compute: procedure
    .meta({ cap: 'data.read' })
    .input(PeaceIndexInputSchema.default({ top: 3 }))
    .query(({ ctx, input }) => cached({ path: 'peaceIndex.compute', input, actor: ctx.actor, heavy: true }, () => peaceIndexFor(ctx.actor, input))),
});
