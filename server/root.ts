// The application router: one router per domain, merged here. `createCaller` gives
// tests and scripts the same procedures the HTTP route serves.
import { createCallerFactory, router } from './trpc';
import { basemapRouter } from './routers/basemap';
import { statsRouter } from './routers/stats';
import { importsRouter } from './routers/imports';
import { hotspotsRouter } from './routers/hotspots';
import { targetsRouter } from './routers/targets';
import { peaceIndexRouter } from './routers/peace-index';
import { coverageRouter } from './routers/coverage';
import { authRouter } from './routers/auth';
import { adminRouter } from './routers/admin';
import { mapRouter } from './routers/map';
import { wallRouter } from './routers/wall';
import { patrolRouter } from './routers/patrol';

export const appRouter = router({
  basemap: basemapRouter,
  stats: statsRouter,
  imports: importsRouter,
  hotspots: hotspotsRouter,
  targets: targetsRouter,
  peaceIndex: peaceIndexRouter,
  coverage: coverageRouter,
  auth: authRouter,
  admin: adminRouter,
  map: mapRouter,
  wall: wallRouter,
  patrol: patrolRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
