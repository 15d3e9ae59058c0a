// Base map layers: the county's own data drawn as the background of every map.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { adminAreaLayer, countyLayer, datasetInfo, gridLayer, roadLayer } from '../services/basemap/layers';

// cached until the data changes, and answered from the cache while an analysis holds the embedded engine
const map = procedure.meta({ cap: 'map.read', cost: 'cached' });

export const basemapRouter = router({
  county: map.query(({ ctx }) => ctx.read((tx) => countyLayer(tx))),
  adminAreas: map
    .input(z.object({ level: z.enum(['township', 'village']) }))
    .query(({ ctx, input }) => ctx.read((tx) => adminAreaLayer(tx, input.level))),
  grids: map.query(({ ctx }) => ctx.read((tx) => gridLayer(tx))),
  roads: map.query(({ ctx }) => ctx.read((tx) => roadLayer(tx))),
  dataset: map.query(({ ctx }) => ctx.read((tx) => datasetInfo(tx))),
});
