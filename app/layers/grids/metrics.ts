// The grid choropleth's metrics and their Chinese names (the URL's ?metric= reads the same list).
import type { GridMetric } from '../types';

export const GRID_METRICS: [GridMetric, string][] = [['incidents', '案事件数'], ['rate', '每千人案事件'], ['openEvents', '未办结网格事件'], ['population', '人口']];
