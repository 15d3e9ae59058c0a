// Colours and Chinese labels of the planner's map layers: Gi* confidence classes (as
// ArcGIS draws them), kernel density classes, emerging hot-spot patterns, 平安指数.
export type Rgb = [number, number, number];

export type HotspotClass = 'hot-99' | 'hot-95' | 'hot-90' | 'cold-99' | 'cold-95' | 'cold-90' | 'none';
export const GISTAR_STYLE: [HotspotClass, string, Rgb][] = [
  ['hot-99', '热点 99% 置信', [215, 25, 28]],
  ['hot-95', '热点 95% 置信', [244, 109, 67]],
  ['hot-90', '热点 90% 置信', [253, 174, 97]],
  ['none', '不显著', [200, 200, 200]],
  ['cold-90', '冷点 90% 置信', [171, 217, 233]],
  ['cold-95', '冷点 95% 置信', [116, 173, 209]],
  ['cold-99', '冷点 99% 置信', [44, 123, 182]],
];
export const GISTAR_COLOR = Object.fromEntries(GISTAR_STYLE.map(([k, , c]) => [k, c])) as Record<HotspotClass, Rgb>;
export const GISTAR_LABEL = Object.fromEntries(GISTAR_STYLE.map(([k, l]) => [k, l])) as Record<HotspotClass, string>;

/** Five density classes (light to dark) split by the server's four quantile breaks. */
export const KDE_COLORS: Rgb[] = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38]];
export { kdeClass } from '@/server/services/hotspots/kde-classes';

export const EMERGING_STYLE: [string, string, Rgb][] = [
  ['new-hot', '新增热点', [128, 0, 38]],
  ['consecutive-hot', '连续热点', [227, 26, 28]],
  ['intensifying-hot', '加剧热点', [252, 78, 42]],
  ['persistent-hot', '持续热点', [253, 141, 60]],
  ['diminishing-hot', '减弱热点', [254, 196, 79]],
  ['sporadic-hot', '零星热点', [197, 27, 125]],
  ['oscillating-hot', '振荡热点', [142, 1, 82]],
  ['historical-hot', '历史热点', [166, 118, 29]],
  ['new-cold', '新增冷点', [8, 48, 107]],
  ['consecutive-cold', '连续冷点', [8, 81, 156]],
  ['intensifying-cold', '加剧冷点', [33, 113, 181]],
  ['persistent-cold', '持续冷点', [66, 146, 198]],
  ['diminishing-cold', '减弱冷点', [107, 174, 214]],
  ['sporadic-cold', '零星冷点', [65, 171, 93]],
  ['oscillating-cold', '振荡冷点', [0, 109, 44]],
  ['historical-cold', '历史冷点', [127, 205, 187]],
];
export const EMERGING_COLOR = Object.fromEntries(EMERGING_STYLE.map(([k, , c]) => [k, c])) as Record<string, Rgb>;

/** 平安指数 choropleth: red (low) to green (high) in five steps of 0–100 scores scaled to the townships' range. */
export const INDEX_COLORS: Rgb[] = [[215, 48, 39], [252, 141, 89], [254, 224, 139], [145, 207, 96], [26, 152, 80]];

export const FACTOR_ORDER = ['density', 'trend', 'gistar', 'cameraGap', 'hazards', 'places', 'patrolDeficit'] as const;
export type FactorId = (typeof FACTOR_ORDER)[number];
export const FACTOR_LABEL: Record<FactorId, string> = {
  density: '案件密度', trend: '上升趋势', gistar: '统计热点', cameraGap: '监控缺口', hazards: '隐患暴露', places: '重点场所', patrolDeficit: '巡防不足',
};
export const DEFAULT_FACTOR_WEIGHTS: Record<FactorId, number> = { density: 0.3, trend: 0.15, gistar: 0.2, cameraGap: 0.15, hazards: 0.05, places: 0.1, patrolDeficit: 0.05 };

export const STATUS_LABEL: Record<string, string> = { listed: '已挂牌', in_progress: '整治中', completed: '已完成', delisted: '已摘牌' };
