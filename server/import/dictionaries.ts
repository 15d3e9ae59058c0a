// Value dictionaries for imports: each maps what data officers write (codes, Chinese
// names, common synonyms, OSM tags) to the codes of geodata/dictionaries and the
// schema's enumerations. Lookups are on normalised text (see normalizeKey).
import roadClasses from '../../geodata/dictionaries/road-classes.json';
import placeTypes from '../../geodata/dictionaries/place-types.json';
import hazardTypes from '../../geodata/dictionaries/hazard-types.json';
import incidentCategories from '../../geodata/dictionaries/incident-categories.json';
import { normalizeKey } from './values';

export type DictionaryName =
  | 'roadClass' | 'placeType' | 'hazardType' | 'incidentCategory' | 'cameraType' | 'cameraStatus'
  | 'incidentSource' | 'incidentStatus' | 'severity' | 'adminLevel' | 'fireFacility' | 'riskLevel';

type Entries = Record<string, string[]>; // code -> words that mean it

const SYNONYMS: Record<DictionaryName, Entries> = {
  roadClass: {
    national: ['G', '国道', '高速', '高速公路', 'motorway', 'trunk', 'motorway_link', 'trunk_link'],
    provincial: ['S', '省道', 'primary', 'primary_link'],
    county: ['X', '县道', 'secondary', 'secondary_link'],
    township: ['Y', '乡道', '乡镇道路', 'tertiary', 'tertiary_link'],
    village: ['C', '村道', '村路', '机耕路', 'unclassified', 'track'],
    urban: ['城市道路', '街道', '城区道路', '市政道路', '主干道', '次干道', '支路', 'residential', 'service', 'living_street', 'pedestrian', 'road'],
  },
  placeType: {
    school: ['学校', '小学', '中学', '初中', '高中', '完小', '教学点', '大学', '职校'],
    kindergarten: ['幼儿园', '托儿所'],
    hospital: ['医院', '人民医院', '中医院'],
    clinic: ['卫生院', '诊所', '卫生所', '卫生室', '社区卫生服务中心', 'doctors'],
    station: ['车站', '汽车站', '客运站', '火车站', '高铁站', 'bus_station', 'train_station'],
    market: ['市场', '农贸市场', '菜市场', 'marketplace'],
    mall: ['商场', '超市', '购物中心', 'supermarket', 'department_store'],
    internet_cafe: ['网吧', '网咖'],
    hotel: ['宾馆', '酒店', '旅馆', '旅店', '招待所', 'guest_house', 'motel', 'hostel'],
    entertainment: ['娱乐场所', 'KTV', '歌厅', '酒吧', '夜总会', '足浴', 'nightclub', 'bar', 'pub', 'karaoke'],
    petrol_station: ['加油站', 'fuel'],
    hazchem: ['危化品', '危化品企业', '危险化学品', '化工厂'],
    reservoir: ['水库', '山塘'],
    bank: ['银行', '信用社', 'atm'],
    government: ['政府', '党政机关', '机关', '派出所', '公安局', '法院', '检察院', 'townhall', 'police', 'courthouse'],
    square: ['广场'],
    scenic: ['景区', '旅游景点', 'attraction'],
    hotel_room: ['客房', '宾馆客房'],
    dormitory: ['宿舍', '集体宿舍'],
    changing_room: ['更衣室', '试衣间'],
  },
  hazardType: {
    landslide: ['滑坡', '山体滑坡', 'landslide', 'mudslide'],
    rockfall: ['崩塌', '落石', 'rock_fall', 'rockfall'],
    debris_flow: ['泥石流', 'debris_flow'],
    ground_collapse: ['地面塌陷', '塌陷', '地裂缝'],
    flash_flood: ['山洪', '山洪灾害'],
    unstable_rock: ['危岩', '危岩体'],
    fire_key_unit: ['消防重点单位', '消防安全重点单位'],
    forest_fire_zone: ['森林火险区', '森林防火区', '林区'],
  },
  incidentCategory: {},
  // As registers and GB/T 28181 platforms write them; the numbers are the PTZType codes of
  // GB/T 28181-2016 (1 球机, 2 半球, 3 固定枪机, 4 遥控枪机) that platform exports carry.
  cameraType: {
    fixed: ['枪机', '枪型', '枪式', '固定', '固定枪机', '固定摄像机', '固定式', '筒机', '筒型', '卡口', '卡口相机', '电警', '电子警察', '人脸抓拍', 'bullet', 'box', 'fixed', '3'],
    dome: ['球机', '球型', '球形', '半球', '半球机', '半球型', '半球形', '快球', '高速球', '智能球', '球型摄像机', '半球摄像机', 'dome', '1', '2'],
    ptz: ['云台', '云台摄像机', '云台枪机', '遥控枪机', 'PTZ', 'panning', '4'],
  },
  cameraStatus: {
    online: ['在线', '正常', '是', '正常在线', 'online', 'on', 'ok', 'up'],
    offline: ['离线', '掉线', '不在线', '否', 'offline', 'off', 'down'],
    faulty: ['故障', '损坏', '异常', '报修', 'faulty', 'broken'],
    unknown: ['未知', 'unknown'],
  },
  incidentSource: {
    '110': ['110', '110接警', '报警'],
    grid: ['网格', '网格上报', '网格员', 'grid'],
    '12345': ['12345', '12345热线', '热线'],
    other: ['其他', '来访', '信访', 'other'],
  },
  incidentStatus: {
    received: ['受理', '已受理', '接警', '待处理', 'received', 'new', 'open'],
    dispatched: ['流转', '已流转', '派遣', '已派遣', 'dispatched'],
    handling: ['处置', '处置中', '处理中', '办理中', 'handling', 'in_progress'],
    closed: ['办结', '已办结', '结案', '已结案', '完成', 'closed', 'done'],
    supervised: ['督办', '挂牌督办', 'supervised', 'overdue'],
  },
  severity: {
    ordinary: ['一般', '普通', 'ordinary', 'normal'],
    major: ['重大', '较大', '重特大', 'major'],
  },
  adminLevel: {
    county: ['县', '区', '县级市', 'county', 'district'],
    township: ['乡', '镇', '街道', '乡镇', '乡镇街道', 'town', 'township', 'subdistrict', 'street'],
    village: ['村', '社区', '居委会', '村委会', 'village', 'community'],
  },
  fireFacility: {
    normal: ['正常', '完好', '合格', 'normal', 'ok'],
    defective: ['故障', '缺陷', '不合格', '损坏', 'defective'],
    unknown: ['未知', '未检查', 'unknown'],
  },
  riskLevel: {
    '1': ['1', '特大型', '特大', '极高', '一级', 'Ⅰ级', 'I级'],
    '2': ['2', '大型', '高', '二级', 'Ⅱ级', 'II级'],
    '3': ['3', '中型', '中', '三级', 'Ⅲ级', 'III级'],
    '4': ['4', '小型', '低', '四级', 'Ⅳ级', 'IV级'],
  },
};

// Codes and Chinese names from geodata/dictionaries are always accepted.
for (const r of roadClasses) SYNONYMS.roadClass[r.code]!.push(r.code, r.name);
for (const p of placeTypes) SYNONYMS.placeType[p.code]!.push(p.code, p.name);
for (const h of hazardTypes) SYNONYMS.hazardType[h.code]!.push(h.code, h.name);
for (const c of incidentCategories) {
  const parent = incidentCategories.find((p) => p.code === c.parent);
  SYNONYMS.incidentCategory[c.code] = [c.code, c.name, ...(parent ? [`${parent.name}/${c.name}`, `${parent.name}-${c.name}`] : [])];
}

const LOOKUPS = new Map<DictionaryName, Map<string, string>>();

function lookupTable(name: DictionaryName): Map<string, string> {
  let table = LOOKUPS.get(name);
  if (!table) {
    table = new Map();
    for (const [code, words] of Object.entries(SYNONYMS[name])) {
      for (const w of [code, ...words]) table.set(normalizeKey(w), code);
    }
    LOOKUPS.set(name, table);
  }
  return table;
}

/**
 * The code for `value` in dictionary `name`, or null when unknown. `extra` (from a
 * mapping file) is consulted first: source value → code.
 */
const RECENT = new Map<string, string | null>(); // raw value → code: columns repeat a few values a million times
const RECENT_LIMIT = 10_000;

export function lookupCode(name: DictionaryName, value: string, extra?: Record<string, string>): string | null {
  if (!extra) {
    const cacheKey = `${name}\u0000${value}`;
    let code = RECENT.get(cacheKey);
    if (code === undefined) {
      code = lookupTable(name).get(normalizeKey(value)) ?? null;
      if (RECENT.size >= RECENT_LIMIT) RECENT.clear();
      RECENT.set(cacheKey, code);
    }
    return code;
  }
  const key = normalizeKey(value);
  if (extra) {
    for (const [from, to] of Object.entries(extra)) if (normalizeKey(from) === key) return lookupTable(name).get(normalizeKey(to)) ?? null;
  }
  return lookupTable(name).get(key) ?? null;
}

/** A few known codes, for error messages. */
export function knownCodes(name: DictionaryName): string {
  return Object.entries(SYNONYMS[name])
    .slice(0, 8)
    .map(([code, words]) => (words.find((w) => /[\u4e00-\u9fa5]/.test(w)) ? `${code} (${words.find((w) => /[\u4e00-\u9fa5]/.test(w))})` : code))
    .join(', ');
}
