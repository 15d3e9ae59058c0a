// 平安指数 per township with the 红黑榜. Bad input (unknown indicator, all-zero weights,
// an empty period) is BAD_REQUEST with one sentence, never a server error.
import { TRPCError } from '@trpc/server';
import { publicProcedure, router } from '../trpc';
import { computePeaceIndex, PeaceIndexInputError, PeaceIndexInputSchema } from '../services/peace-index/index';

export const peaceIndexRouter = router({
  compute: publicProcedure.input(PeaceIndexInputSchema.default({ top: 3 })).query(async ({ input }) => {
    try {
      return await computePeaceIndex(input);
    } catch (err) {
      if (err instanceof PeaceIndexInputError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
      throw err;
    }
  }),
});
