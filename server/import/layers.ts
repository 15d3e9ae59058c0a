// What each importable layer holds: its fields (with Chinese and English header aliases,
// types, ranges and dictionaries), the geometry it takes, and the staging columns the
// pipeline fills before one SQL statement moves the accepted rows into the table.
import type { DictionaryName } from './dictionaries';

export type LayerName = 'admin' | 'grids' | 'roads' | 'places' | 'cameras' | 'hazards' | 'patrol-routes' | 'patrol-tracks' | 'incidents';
export const LAYER_NAMES: readonly LayerName[] = ['admin', 'grids', 'roads', 'places', 'cameras', 'hazards', 'patrol-routes', 'patrol-tracks', 'incidents'];

export type FieldType = 'text' | 'number' | 'integer' | 'boolean' | 'time' | 'date' | 'code';

export interface FieldSpec {
  name: string;
  type: FieldType;
  aliases: string[];
  required?: boolean;
  min?: number;
  max?: number;
  dictionary?: DictionaryName;
  /** Staging column type (defaults from `type`). */
  sqlType?: string;
}

export type GeometryKind = 'point' | 'line' | 'polygon' | 'point-or-polygon';

export interface LayerSpec {
  name: LayerName;
  title: string;
  table: string;
  geometry: GeometryKind;
  fields: FieldSpec[];
  /** Rows whose geometry is missing are rejected unless the layer allows it (admin centres). */
  geometryOptional?: boolean;
  /** Incidents and tracks are large: the report says so and they stream in bigger batches. */
  bulk?: boolean;
}

const id: FieldSpec = { name: 'externalId', type: 'text', aliases: ['id', '编号', '编码', '唯一编号', '序号', 'uid', 'objectid', 'fid', 'externalid', '外部编号'] };
const name = (required = false): FieldSpec => ({ name: 'name', type: 'text', required, aliases: ['name', '名称', '名字', '单位名称', '点位名称', '地点名称', 'title'] });

/**
 * Coordinate fields shared by every layer: lon/lat, or x/y for projected systems. Headers
 * are compared after normalizeKey, and again without a bracketed or trailing unit or
 * coordinate system (经度(°), 经度（WGS84）, lng_gcj02, X坐标(m)): see headerKeys.
 */
export const COORDINATE_FIELDS: FieldSpec[] = [
  {
    name: 'lon', type: 'number',
    aliases: ['经度', '东经', 'lng', 'lon', 'long', 'longitude', 'x经度', '经度坐标', '经度值', '坐标经度', '中心经度', '中心点经度', '点位经度', '所在经度', '地理经度',
      'gps经度', 'gpsx', 'gpslng', 'gpslon', 'gpslongitude', 'pointx', 'jd', 'lngwgs84', 'wgs84经度', 'gcj02经度', '百度经度', '高德经度', 'bdlng', 'bdlon', 'amaplng'],
  },
  {
    name: 'lat', type: 'number',
    aliases: ['纬度', '北纬', 'lat', 'latitude', 'y纬度', '纬度坐标', '纬度值', '坐标纬度', '中心纬度', '中心点纬度', '点位纬度', '所在纬度', '地理纬度',
      'gps纬度', 'gpsy', 'gpslat', 'gpslatitude', 'pointy', 'wd', 'latwgs84', 'wgs84纬度', 'gcj02纬度', '百度纬度', '高德纬度', 'bdlat', 'amaplat'],
  },
  { name: 'x', type: 'number', aliases: ['x', 'x坐标', 'x座标', '横坐标', 'x轴坐标', 'x值', 'xzb', 'coordx', 'easting', '东坐标', '东向坐标', 'x(东)', '平面x', '平面坐标x', '大地坐标x'] },
  { name: 'y', type: 'number', aliases: ['y', 'y坐标', 'y座标', '纵坐标', 'y轴坐标', 'y值', 'yzb', 'coordy', 'northing', '北坐标', '北向坐标', 'y(北)', '平面y', '平面坐标y', '大地坐标y'] },
  { name: 'wkt', type: 'text', aliases: ['wkt', 'geometry', 'geom', 'shape', '几何', '空间信息', '坐标串', '几何信息', '空间坐标', '边界坐标'] },
];

export const LAYERS: Record<LayerName, LayerSpec> = {
  admin: {
    name: 'admin', title: '行政区划', table: 'admin_areas', geometry: 'point-or-polygon', geometryOptional: true,
    fields: [
      { name: 'code', type: 'text', required: true, aliases: ['code', '代码', '区划代码', '行政区划代码', '统计用区划代码', 'adcode', '编码'] },
      name(true),
      { name: 'level', type: 'code', dictionary: 'adminLevel', aliases: ['level', '级别', '层级', '类型', 'rank'] },
      { name: 'parentCode', type: 'text', aliases: ['parent', 'parentcode', '上级代码', '上级区划代码', '父级代码'] },
      { name: 'population', type: 'integer', min: 0, aliases: ['population', '人口', '人口数', '常住人口', '户籍人口'] },
      { name: 'households', type: 'integer', min: 0, aliases: ['households', '户数', '总户数'] },
    ],
  },
  grids: {
    name: 'grids', title: '网格', table: 'grids', geometry: 'polygon',
    fields: [
      { name: 'code', type: 'text', required: true, aliases: ['code', '网格编码', '网格编号', '编码', '编号', 'id'] },
      { name: 'name', type: 'text', required: true, aliases: ['name', '网格名称', '名称'] },
      { name: 'villageCode', type: 'text', aliases: ['村社区代码', '所属村社区代码', '村代码', 'villagecode'] },
      { name: 'townshipCode', type: 'text', aliases: ['乡镇代码', '所属乡镇代码', 'townshipcode'] },
      { name: 'workerName', type: 'text', aliases: ['网格员', '网格员姓名', '专职网格员', 'worker', 'workername'] },
      { name: 'workerPhone', type: 'text', aliases: ['网格员电话', '联系电话', '电话', '手机', 'phone', 'workerphone'] },
      { name: 'households', type: 'integer', min: 0, aliases: ['户数', '总户数', 'households'] },
      { name: 'population', type: 'integer', min: 0, aliases: ['人口', '人口数', '总人口', 'population'] },
    ],
  },
  roads: {
    name: 'roads', title: '道路', table: 'roads', geometry: 'line',
    fields: [
      id, name(),
      { name: 'roadClass', type: 'code', required: true, dictionary: 'roadClass', aliases: ['等级', '道路等级', '技术等级', '行政等级', '类型', 'class', 'roadclass', 'highway', 'type'] },
    ],
  },
  places: {
    name: 'places', title: '重点场所', table: 'places', geometry: 'point-or-polygon',
    fields: [
      id, name(true),
      { name: 'placeType', type: 'code', required: true, dictionary: 'placeType', aliases: ['类型', '场所类型', '类别', '行业类别', 'type', 'placetype', 'category', 'amenity'] },
      { name: 'address', type: 'text', aliases: ['地址', '详细地址', 'address', 'addr'] },
    ],
  },
  cameras: {
    // Column names of 雪亮工程 camera registers and of 视频汇聚平台 / GB/T 28181 platform
    // exports (which list channels: a channel's 通道编码 is the camera's national id, the
    // 设备编码 beside it often the NVR's), besides the product's own export names.
    name: 'cameras', title: '视频监控', table: 'cameras', geometry: 'point',
    fields: [
      { ...id, aliases: [...id.aliases, '设备编号', '点位编号', '设备id', '点位id', '摄像机编号', '监控点编号', '资产编号', '点位序号'] },
      {
        name: 'gbId', type: 'text',
        aliases: ['国标编码', '国标编号', '国标id', '通道国标编码', '通道国标编号', '国标通道编码', '通道编码', '通道编号', '通道id', '视频通道编码', 'channelid',
          'gb28181', 'gb28181编码', 'gbid', 'gb编码', '设备国标编码', '设备国标编号', '国标设备编码', 'camera_id', 'cameraid', '设备编码', '摄像机编码', '点位编码', '监控点编码', 'deviceid'],
      },
      {
        ...name(true),
        aliases: [...name().aliases, '设备名称', '摄像机名称', '摄像头名称', '通道名称', '监控点名称', '监控点位名称', '点位名', '相机名称', '视频名称', '设备名',
          'devicename', 'cameraname', 'channelname', 'location', '安装位置', '安装地址', '安装地点', '点位地址', '点位位置', '位置', '地址', '详细地址'],
      },
      { name: 'azimuth', type: 'number', min: 0, max: 360, aliases: ['方向角', '方位角', '朝向', '方向', '朝向角', '拍摄方向', '监控方向', '监视方向', '安装朝向', '摄像机朝向', '镜头朝向', '视角方向', '照射方向', 'azimuth', 'direction', 'cameradirection', 'heading', 'bearing'] },
      { name: 'fov', type: 'number', min: 1, max: 360, aliases: ['视场角', '视角', '水平视场角', '水平视角', '视野角度', '可视角度', '监控角度', 'fov', 'angleofview', 'cameraangle', 'viewangle'] },
      { name: 'range', type: 'number', min: 0.1, max: 2000, aliases: ['监控距离', '可视距离', '有效距离', '距离', '监控范围', '拍摄距离', '可视范围', '监视距离', 'range', 'distance', 'viewdistance'] },
      { name: 'height', type: 'number', min: 0.1, max: 200, aliases: ['安装高度', '高度', '杆高', '立杆高度', '架设高度', 'height', 'mountheight'] },
      { name: 'cameraType', type: 'code', dictionary: 'cameraType', aliases: ['摄像机类型', '设备类型', '摄像头类型', '相机类型', '摄像机形态', '设备形态', '摄像机种类', '前端类型', '类型', 'type', 'cameratype', 'ptztype'] },
      { name: 'smart', type: 'boolean', aliases: ['智能', '是否智能', '智能化', '是否智能化', '是否智能摄像机', '智能分析', 'smart', 'ai'] },
      { name: 'networked', type: 'boolean', aliases: ['联网', '是否联网', '已联网', '联网状态', '是否接入', '是否接入平台', '接入状态', 'networked'] },
      { name: 'status', type: 'code', dictionary: 'cameraStatus', aliases: ['状态', '在线状态', '设备状态', '运行状态', '通道状态', '工作状态', '是否在线', 'online', 'status'] },
      { name: 'lastSeenAt', type: 'time', aliases: ['最后在线时间', '最近在线', '最近在线时间', '最后上线时间', '最后心跳时间', 'lastseen', 'lastseenat'] },
      { name: 'owner', type: 'text', aliases: ['建设单位', '权属单位', '管理单位', '所属单位', '使用单位', '维护单位', '所属派出所', '管辖单位', '管辖派出所', '所属辖区', '责任单位', 'owner', 'operator'] },
      { name: 'installedOn', type: 'date', aliases: ['安装日期', '建设日期', '安装时间', '建设时间', '启用日期', '启用时间', '建成时间', '接入时间', 'installed', 'installedon'] },
    ],
  },
  hazards: {
    name: 'hazards', title: '隐患点', table: 'hazards', geometry: 'point-or-polygon',
    fields: [
      id, name(true),
      { name: 'hazardType', type: 'code', required: true, dictionary: 'hazardType', aliases: ['灾害类型', '隐患类型', '类型', 'type', 'hazardtype', 'landslidecategory', 'category'] },
      { name: 'riskLevel', type: 'code', dictionary: 'riskLevel', aliases: ['险情等级', '灾情等级', '风险等级', '规模等级', 'risk', 'risklevel', 'level'] },
      { name: 'threatenedHouseholds', type: 'integer', min: 0, aliases: ['威胁户数', '受威胁户数', 'households'] },
      { name: 'threatenedPeople', type: 'integer', min: 0, aliases: ['威胁人数', '受威胁人数', 'people'] },
      { name: 'monitorName', type: 'text', aliases: ['监测人', '群测群防员', '监测员', 'monitor'] },
      { name: 'monitorPhone', type: 'text', aliases: ['监测人电话', '联系电话', 'phone'] },
    ],
  },
  'patrol-routes': {
    name: 'patrol-routes', title: '巡逻路线', table: 'patrol_routes', geometry: 'line',
    fields: [id, name(true), { name: 'team', type: 'text', aliases: ['巡逻队', '队伍', '所属队伍', 'team'] }],
  },
  'patrol-tracks': {
    name: 'patrol-tracks', title: '巡逻轨迹', table: 'patrol_track_points', geometry: 'point', bulk: true,
    fields: [
      { name: 'deviceId', type: 'text', required: true, aliases: ['设备号', '设备编号', '终端号', '设备', 'device', 'deviceid', 'imei', 'name'] },
      { name: 'time', type: 'time', required: true, aliases: ['时间', '定位时间', 'gps时间', '采集时间', 'time', 'timestamp', 'datetime'] },
      { name: 'speed', type: 'number', min: 0, max: 299, aliases: ['速度', 'speed', 'speedkmh'] },
      { name: 'team', type: 'text', aliases: ['巡逻队', '队伍', 'team'] },
    ],
  },
  incidents: {
    name: 'incidents', title: '案事件', table: 'incidents', geometry: 'point', bulk: true,
    fields: [
      { ...id, aliases: [...id.aliases, '案件编号', '警情编号', '事件编号', 'casenumber'] },
      { name: 'time', type: 'time', required: true, aliases: ['发生时间', '时间', '报警时间', '接警时间', '案发时间', 'time', 'date', 'datetime', 'occurredat'] },
      { name: 'category', type: 'code', required: true, dictionary: 'incidentCategory', aliases: ['类别', '案件类别', '事件类型', '警情类别', '类型', 'category', 'type', 'primarytype', 'offensetype'] },
      { name: 'source', type: 'code', dictionary: 'incidentSource', aliases: ['来源', '事件来源', '信息来源', 'source'] },
      { name: 'status', type: 'code', dictionary: 'incidentStatus', aliases: ['状态', '办理状态', '处置状态', 'status'] },
      { name: 'severity', type: 'code', dictionary: 'severity', aliases: ['等级', '级别', '严重程度', 'severity'] },
      { name: 'summary', type: 'text', aliases: ['简要案情', '摘要', '描述', '事件描述', 'summary', 'description'] },
    ],
  },
};

export { FIELD_ZH } from '../../lib/import-fields';

export function isLayerName(s: string): s is LayerName {
  return (LAYER_NAMES as readonly string[]).includes(s);
}
