// The situational map's overlays (态势地图 `/`): incident heat as hexagon bins, incident
// points from zoom 14, one incident's detail, grids by metric, hazards, key places, patrol
// routes and track playback, and search. Every procedure is a cached read (until the data
// changes; the input is part of the key) under the caller's township scope.
import { z } from 'zod';
import { categoriesSchema, dayText, instant, LIMITS, rowId, whole } from '../limits';
import { procedure, router } from '../trpc';
import { incidentBins, incidentDetail, incidentPoints } from '../services/map/incidents';
import { gridStats } from '../services/map/grids';
import { hazardLayers, placeLayer } from '../services/map/layers';
import { patrolExtent, patrolRoutes, patrolTracks } from '../services/map/patrol';
import { search } from '../services/map/search';
import type { Bbox } from '../services/map/lattice';

const read = procedure.meta({ cap: 'map.read', cost: 'cached' });

const degrees = (label: string, max: number) =>
  z
    .number({ error: `${label}必须是数字(度)` })
    .refine(Number.isFinite, `${label}必须是有限的数字`)
    .refine((v) => v >= -max && v <= max, `${label}须在 -${max} 到 ${max} 度之间`);

/** [west, south, east, north] in WGS-84 degrees. */
const BboxSchema = z
  .tuple([degrees('地图范围的西边界', 180), degrees('地图范围的南边界', 90), degrees('地图范围的东边界', 180), degrees('地图范围的北边界', 90)], {
    error: '地图范围须为 [西, 南, 东, 北] 四个经纬度',
  })
  .refine(([w, , e]) => w < e, '地图范围无效:西边界须小于东边界')
  .refine(([, s, , n]) => s < n, '地图范围无效:南边界须小于北边界');

const zoom = z
  .number({ error: '缩放级别必须是数字' })
  .refine(Number.isFinite, '缩放级别必须是有限的数字')
  .refine((v) => v >= LIMITS.mapZoom.min && v <= LIMITS.mapZoom.max, `缩放级别须在 ${LIMITS.mapZoom.min} 到 ${LIMITS.mapZoom.max} 之间`);

const Days = {
  from: dayText('开始日期'),
  to: dayText('结束日期'),
  categories: categoriesSchema.optional(),
};
const daysInOrder = (v: { from: string; to: string }) => v.from <= v.to;
const DAYS_ORDER = { message: 'the last day must not be before the first', path: ['to'], params: { zh: '时间范围为空:结束日期不能早于开始日期。' } };

const View = {
  bbox: BboxSchema,
  zoom,
  ...Days,
  hour: whole('时段(小时)', { min: 0, max: 23 }).optional(),
};

export const BinsInput = z.object(View).refine(daysInOrder, DAYS_ORDER);
export const PointsInput = z
  .object({
    ...View,
    zoom: zoom.refine((v) => v >= LIMITS.mapPoints.minZoom, `请放大到 ${LIMITS.mapPoints.minZoom} 级及以上再查看单个警情点位`),
    limit: whole('点位条数', { min: 1, max: LIMITS.mapPoints.max }).optional(),
  })
  .refine(daysInOrder, DAYS_ORDER);
export const GridStatsInput = z.object(Days).refine(daysInOrder, DAYS_ORDER);
export const TracksInput = z
  .object({
    from: instant('回放开始时间'),
    to: instant('回放结束时间'),
    teamIds: z.array(rowId('巡逻队编号'), { error: '巡逻队须为编号列表' }).max(LIMITS.patrolTeams, `一次最多选择 ${LIMITS.patrolTeams} 支巡逻队`).optional(),
  })
  .refine((v) => v.from < v.to, { message: 'from must be before to', path: ['to'], params: { zh: '回放时间范围为空:结束时间必须晚于开始时间。' } })
  .refine((v) => v.to.getTime() - v.from.getTime() <= LIMITS.patrolHours * 3_600_000, { message: `at most ${LIMITS.patrolHours} h`, path: ['to'], params: { zh: `轨迹回放一次最多 ${LIMITS.patrolHours} 小时:请缩短时间范围。` } });
export const SearchInput = z.object({
  q: z
    .string({ error: '搜索内容必须是文字' })
    .refine((v) => v.trim().length >= LIMITS.searchChars.min, '请输入搜索内容')
    .refine((v) => v.trim().length <= LIMITS.searchChars.max, `搜索内容不能超过 ${LIMITS.searchChars.max} 个字符`),
  limit: whole('结果条数', { min: 1, max: LIMITS.searchResults.max }).optional(),
});

export const mapRouter = router({
  incidentBins: read.input(BinsInput).query(({ ctx, input }) => ctx.read((tx) => incidentBins(tx, { ...input, bbox: input.bbox as Bbox }))),
  incidentPoints: read.input(PointsInput).query(({ ctx, input }) => ctx.read((tx) => incidentPoints(tx, { ...input, bbox: input.bbox as Bbox }))),
  incident: read.input(z.object({ id: rowId('警情编号') })).query(({ ctx, input }) => ctx.read((tx) => incidentDetail(tx, input.id))),
  gridStats: read.input(GridStatsInput).query(({ ctx, input }) => ctx.read((tx) => gridStats(tx, input))),
  hazards: read.query(({ ctx }) => ctx.read((tx) => hazardLayers(tx))),
  places: read.query(({ ctx }) => ctx.read((tx) => placeLayer(tx))),
  patrolRoutes: read.query(({ ctx }) => ctx.read((tx) => patrolRoutes(tx))),
  patrolTracks: read.input(TracksInput).query(({ ctx, input }) => ctx.read((tx) => patrolTracks(tx, input))),
  patrolExtent: read.query(({ ctx }) => ctx.read((tx) => patrolExtent(tx))),
  search: read.input(SearchInput).query(({ ctx, input }) => ctx.read((tx) => search(tx, input))),
});
