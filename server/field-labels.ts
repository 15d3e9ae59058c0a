// What a page calls the fields of the API's inputs: the Chinese names (and units) that
// mapError (server/errors.ts) puts into a refused input's sentence instead of the
// internal names (cellM, neighbours.metres…). Every procedure's input fields and every
// route's parameters are here; tests/integration/errors-zh.test.ts walks the router's
// schemas and fails on a field without a name. A field that means different things in
// different procedures has a `procedure:field` entry beside its generic one.
import { ROLE_NAMES } from './context';
import { LAYERS } from './import/layers';

export interface FieldLabel {
  label: string;
  /** The unit its numbers are in, written after a bound ("不能小于 50 米"). */
  unit?: string;
}

const m = (label: string): FieldLabel => ({ label, unit: '米' });
const deg = (label: string): FieldLabel => ({ label, unit: '度' });

/** Keyed by the field's path without array indices ("categories.0" → "categories"). */
const FIELDS: Record<string, string | FieldLabel> = {
  // analyses (hotspots.*, the planner's URL parameters, targets.rank)
  shape: '网格形状',
  cellM: m('网格边长'),
  cell: m('网格边长'),
  neighbours: '邻域',
  'neighbours.kind': '邻域方式',
  'neighbours.metres': m('邻域距离'),
  'neighbours.k': '近邻个数',
  distanceM: m('邻域距离'),
  distance: m('邻域距离'),
  bandwidthM: m('核密度带宽'),
  bandwidth: m('核密度带宽'),
  from: '开始时间',
  to: '结束时间',
  categories: '案件类别',
  category: '案件类别',
  fdr: '多重检验校正',
  withGeometry: '返回网格图形',
  lastEventId: '上次收到的事件编号',
  slices: '时间切片数',
  horizonDays: { label: '预测天数', unit: '天' },
  historyDays: { label: '历史天数', unit: '天' },
  mode: '分析方式',
  top: '列出条数',
  weights: '权重',
  'weights.density': '案件密度权重',
  'weights.trend': '上升趋势权重',
  'weights.gistar': '统计热点权重',
  'weights.cameraGap': '监控缺口权重',
  'weights.hazards': '隐患暴露权重',
  'weights.places': '重点场所权重',
  'weights.patrolDeficit': '巡防不足权重',
  // rectification targets (挂牌整治)
  id: '编号',
  name: '名称',
  lon: deg('经度'),
  lat: deg('纬度'),
  reasons: '挂牌原因',
  responsibleUnit: '责任单位',
  startsOn: '开始日期',
  deadline: '整治期限',
  status: '状态',
  today: '日期',
  asOf: '评估日期',
  ringM: m('周边环带宽度'),
  comparisons: '对照网格数',
  // camera coverage (雪亮工程)
  hotspots: '叠加热点',
  budget: '补点数量',
  type: '摄像机类型',
  azimuthDeg: deg('方位角'),
  fovDeg: deg('视场角'),
  rangeM: m('可视距离'),
  cameraType: '摄像机类型',
  mountHeightM: m('安装高度'),
  owner: '权属单位',
  note: '备注',
  // base map
  level: '行政区划级别',
  // situational map overlays (map.*)
  bbox: '地图范围',
  zoom: '缩放级别',
  hour: '时段(小时)',
  q: '搜索内容',
  teamIds: '巡逻队',
  // accounts, displays, the audit log
  username: '用户名',
  displayName: '姓名',
  password: '密码',
  current: '当前密码',
  next: '新密码',
  roles: '角色',
  townships: '所属乡镇',
  mustChangePassword: '首次登录须修改密码',
  disabled: '停用',
  actor: '操作者',
  action: '操作类型',
  limit: '条数',
  // imports
  uploadId: '上传的文件',
  layer: '数据图层',
  crs: '坐标系',
  dryRun: '试导入',
  maxErrors: '允许的错误行数',
  allowOutside: '允许县外数据',
  mapping: '字段映射',
  'mapping.columns': '字段映射的列名',
  'mapping.fields': '字段映射的字段对应',
  'mapping.values': '字段映射的取值对应',
  'mapping.constants': '字段映射的固定值',
  'mapping.crs': '字段映射的坐标系',
  'mapping.encoding': '字段映射的文件编码',
  'mapping.utcOffsetHours': '字段映射的时区(与 UTC 相差的小时数)',
  'mapping.include': '字段映射的筛选条件',
  // patrol analytics (patrol.*, the patrol page's URL)
  period: '统计期',
  'period.from': '统计期开始日期',
  'period.to': '统计期结束日期(不含)',
  areas: '研判区域',
  'areas.kind': '研判区域类型',
  'areas.from': '热点统计开始日期',
  'areas.to': '热点统计结束日期',
  'areas.cellM': m('热点网格边长'),
  'areas.distanceM': m('热点邻域距离'),
  'areas.name': '区域名称',
  'areas.geometry': '区域范围',
  'areas.geometry.type': '区域图形类型',
  'areas.geometry.coordinates': '区域顶点坐标',
  radiusM: m('在场半径'),
  radius: m('在场半径'),
  unit: '统计单元',
  withinM: m('覆盖距离'),
  teamId: '巡逻队编号',
  team: '巡逻队编号',
  shift: '班次',
  'shift.start': '班次开始时间',
  'shift.end': '班次结束时间',
  start: '班次开始时间',
  end: '班次结束时间',
  // route parameters (exports, reports)
  table: '导出的表',
  format: '文件格式',
  paper: '纸张大小',
  token: '大屏令牌',
};

/** The same field name meaning something else in one procedure. */
const BY_PROCEDURE: Record<string, string | FieldLabel> = {
  'targets.rank:top': '候选整治目标数量',
  'peaceIndex.compute:top': '红黑榜人数',
  'peaceIndex.compute:weights': '指标权重',
  'peaceIndex.compute:from': '统计期开始日期',
  'peaceIndex.compute:to': '统计期结束日期',
  'targets.create:name': '整治目标名称',
  'targets.create:cellM': m('整治目标网格边长'),
  'targets.setStatus:id': '整治目标编号',
  'targets.setStatus:status': '整治状态',
  'targets.evaluate:id': '整治目标编号',
  'coverage.updateCamera:id': '摄像机编号',
  'coverage.updateCamera:status': '运行状态',
  'coverage.addCandidate:name': '候选点名称',
  'coverage.removeCandidate:id': '候选点编号',
  'imports.job:id': '导入任务编号',
  'admin.addDisplay:name': '大屏名称',
  'admin.revokeDisplay:name': '大屏名称',
  'admin.addDisplay:townships': '大屏所属乡镇',
  'hotspots.forecast:asOf': '预测起点',
  'admin.audit:from': '开始时间',
  'admin.audit:to': '结束时间',
  'map.incidentBins:from': '开始日期',
  'map.incidentBins:to': '结束日期',
  'map.incidentPoints:from': '开始日期',
  'map.incidentPoints:to': '结束日期',
  'map.gridStats:from': '开始日期',
  'map.gridStats:to': '结束日期',
  'map.incidentPoints:limit': '点位条数',
  'map.search:limit': '结果条数',
  'map.incident:id': '警情编号',
  'map.patrolTracks:from': '回放开始时间',
  'map.patrolTracks:to': '回放结束时间',
  'patrol.suggest:mode': '巡逻方式',
  'patrol.suggest:to': '热点统计截止日期',
  'patrol.coverage:to': '热点统计截止日期',
  'patrol.coverage:cellM': m('热点网格边长'),
  'patrol.suggest:cellM': m('热点网格边长'),
};

const ALL: Record<string, string | FieldLabel> = { ...FIELDS, ...BY_PROCEDURE };

/** Chinese names of enum values, per field; GENERIC_VALUES for the rest. */
const VALUES: Record<string, Record<string, string>> = {
  shape: { square: '正方形网格', hex: '六边形网格', grid: '管理网格' },
  'neighbours.kind': { distance: '按距离', knn: '按最近邻个数' },
  level: { township: '乡镇(街道)', village: '村(社区)' },
  type: { dome: '球机', fixed: '枪机', ptz: '云台' },
  cameraType: { dome: '球机', fixed: '枪机', ptz: '云台' },
  'targets.setStatus:status': { listed: '已挂牌', in_progress: '整治中', completed: '已完成', delisted: '已摘牌' },
  'coverage.updateCamera:status': { online: '在线', offline: '离线', faulty: '故障', unknown: '未知' },
  roles: ROLE_NAMES,
  layer: { osm: 'OpenStreetMap 道路', ...Object.fromEntries(Object.values(LAYERS).map((l) => [l.name, l.title])) },
  mode: { gistar: '热点分析(Gi*)', kde: '核密度', emerging: '时空热点' },
  'patrol.suggest:mode': { walk: '步巡', drive: '车巡' },
  'areas.kind': { hotspots: 'Gi* 热点网格', targets: '挂牌整治目标', drawn: '手绘区域' },
  unit: { grid: '网格', township: '乡镇', auto: '自动' },
};

const GENERIC_VALUES: Record<string, string> = {
  listed: '已挂牌', in_progress: '整治中', completed: '已完成', delisted: '已摘牌',
  online: '在线', offline: '离线', faulty: '故障', unknown: '未知',
};

/** A path as a dictionary key: array indices left out. */
function keyOf(path: readonly PropertyKey[]): string[] {
  return path.filter((p) => typeof p === 'string' && !/^\d+$/.test(p)).map(String);
}

function lookup(table: Record<string, string | FieldLabel>, procedure: string | undefined, segments: string[]): FieldLabel | undefined {
  // the longest known prefix: "weights.burglaryRate" falls back to "weights"
  for (let n = segments.length; n > 0; n--) {
    const key = segments.slice(0, n).join('.');
    const hit = (procedure ? table[`${procedure}:${key}`] : undefined) ?? table[key];
    if (hit) return typeof hit === 'string' ? { label: hit } : hit;
  }
  return undefined;
}

/** The Chinese name of the field at `path` (an issue's path), or undefined when it has none. */
export function knownFieldLabel(path: readonly PropertyKey[], procedure?: string): FieldLabel | undefined {
  return lookup(ALL, procedure, keyOf(path));
}

/** Whether the field at `path` has a name of its own (not only its parent's): the dictionary's coverage test. */
export function hasOwnLabel(path: readonly PropertyKey[], procedure?: string): boolean {
  const key = keyOf(path).join('.');
  return (procedure !== undefined && `${procedure}:${key}` in ALL) || key in ALL;
}

/** The Chinese name of the field at `path`; "请求参数" for the input as a whole or an unknown field. */
export function fieldLabel(path: readonly PropertyKey[], procedure?: string): FieldLabel {
  if (keyOf(path).length === 0) return { label: '请求参数' };
  return knownFieldLabel(path, procedure) ?? { label: '请求参数' };
}

/** How a page names an allowed value of the field at `path`: its Chinese name, or the value quoted. */
export function valueLabel(path: readonly PropertyKey[], value: unknown, procedure?: string): string {
  const segments = keyOf(path);
  const key = segments.join('.');
  const own = (procedure ? VALUES[`${procedure}:${key}`] : undefined) ?? VALUES[key];
  const text = String(value);
  return own?.[text] ?? GENERIC_VALUES[text] ?? `“${text}”`;
}
