// Hotspot analyses for the planner: Gi* over cells of the county, the kernel density
// surface, emerging hot spots. Bad parameters (a UserError) come back as BAD_REQUEST with
// one sentence, never as a server error.
import { z } from 'zod';
import { procedure, router } from '../trpc';
import { runHotspots } from '../services/hotspots/hotspots';
import { runKde } from '../services/hotspots/kde';
import { runEmerging } from '../services/hotspots/emerging';
import { runCountyForecast } from '../services/forecast/county';
import { categoriesSchema, instant, LIMITS, metres, whole } from '../limits';

// Every bound comes from server/limits.ts; the services check the same bounds and the
// cost of the work (cells, cell pairs, kernel terms) before they run.
const Window = {
  from: instant('开始时间').optional(),
  to: instant('结束时间').optional(),
  categories: categoriesSchema.optional(),
};

const Neighbours = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('distance'), metres: metres('邻域距离', LIMITS.distanceM) }),
  z.object({ kind: z.literal('knn'), k: whole('近邻个数', LIMITS.knn) }),
], { error: '邻域须为“固定距离”(distance)或“K 近邻”(knn)' });

const GiStarInput = z.object({
  shape: z.enum(['square', 'hex', 'grid'], { error: '网格形状须为正方形、六边形或管理网格' }).default('square'),
  cellM: metres('网格边长', LIMITS.cellM).default(500),
  neighbours: Neighbours,
  ...Window,
  fdr: z.boolean().default(true),
  withGeometry: z.boolean().default(false),
});

const KdeInput = z.object({
  cellM: metres('网格边长', LIMITS.kdeCellM).default(500),
  bandwidthM: metres('带宽', LIMITS.bandwidthM).optional(),
  ...Window,
});

const ForecastInput = z.object({
  cellM: metres('网格边长', LIMITS.kdeCellM).default(500),
  horizonDays: whole('预测天数', { min: 7, max: 365 }).default(90),
  historyDays: whole('历史天数', { min: 90, max: 1095 }).default(730),
  asOf: instant('预测起点').optional(),
  categories: categoriesSchema.optional(),
});

const EmergingInput = z.object({
  cellM: metres('网格边长', LIMITS.cellM).default(1000),
  distanceM: metres('邻域距离', LIMITS.distanceM).default(2500),
  from: instant('开始时间'),
  to: instant('结束时间'),
  slices: whole('时间切片数', LIMITS.slices).default(12),
  withGeometry: z.boolean().default(false),
});

const analysis = procedure.meta({ cap: 'data.read', cost: 'heavy' });

export const hotspotsRouter = router({
  gistar: analysis.input(GiStarInput).query(({ ctx, input }) => ctx.read((tx) => runHotspots(tx, input))),
  kde: analysis.input(KdeInput).query(({ ctx, input }) => ctx.read((tx) => runKde(tx, input))),
  forecast: analysis.input(ForecastInput).query(({ ctx, input }) => ctx.read((tx) => runCountyForecast(tx, input))),
  emerging: analysis
    .input(EmergingInput)
    .query(({ ctx, input }) => ctx.read((tx) => runEmerging(tx, { shape: 'square', cellM: input.cellM, neighbours: { kind: 'distance', metres: input.distanceM }, from: input.from, to: input.to, slices: input.slices, withGeometry: input.withGeometry }))),
});
