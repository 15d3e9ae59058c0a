// Chinese names of the hotspot forecasting methods (server/services/forecast/methods.ts), for pages and reports.
export const FORECAST_METHOD_LABELS: Record<string, string> = {
  counts: '历史案件数',
  kde: '核密度(Silverman 带宽)',
  gistar: 'Gi* 热点',
  'recency-kde': '近因加权核密度',
  'recency-counts': '近因加权案件数',
  'kde-cv': '交叉验证核密度',
  sepp: '自激点过程(近重复)',
  ensemble: '组合预测',
};
