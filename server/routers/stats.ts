// Row counts of the domain tables (as far as the caller may see them).
import { procedure, router } from '../trpc';
import { countRows } from '../services/stats/counts';

export const statsRouter = router({
  counts: procedure.meta({ cap: 'map.read' }).query(({ ctx }) => ctx.read((tx) => countRows(tx))),
});
