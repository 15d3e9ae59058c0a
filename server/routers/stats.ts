// Row counts of the domain tables.
import { publicProcedure, router } from '../trpc';
import { countRows } from '../services/stats/counts';

export const statsRouter = router({
  counts: publicProcedure.query(() => countRows()),
});
