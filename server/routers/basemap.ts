// Base map layers: the county's own data drawn as the background of every map.
import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { adminAreaLayer, countyLayer, datasetInfo, gridLayer, roadLayer } from '../services/basemap/layers';

export const basemapRouter = router({
  county: publicProcedure.query(() => countyLayer()),
  adminAreas: publicProcedure
    .input(z.object({ level: z.enum(['township', 'village']) }))
    .query(({ input }) => adminAreaLayer(input.level)),
  grids: publicProcedure.query(() => gridLayer()),
  roads: publicProcedure.query(() => roadLayer()),
  dataset: publicProcedure.query(() => datasetInfo()),
});
