// The import fields' Chinese names, shared by the importer's sentences (server/import) and
// the import page's mapping and report tables. A plain module: the page reads it too.
/** The fields' Chinese names, for the import page and the Chinese sentences of the import. */
export const FIELD_ZH: Record<string, string> = {
  externalId: '编号', name: '名称', lon: '经度', lat: '纬度', x: 'X 坐标', y: 'Y 坐标', wkt: 'WKT 几何', code: '代码', level: '级别', parentCode: '上级代码',
  population: '人口', households: '户数', villageCode: '村社区代码', townshipCode: '乡镇代码', workerName: '网格员', workerPhone: '电话',
  roadClass: '道路等级', placeType: '场所类型', address: '地址', gbId: '国标编码', azimuth: '方向角', fov: '视场角', range: '监控距离',
  height: '安装高度', cameraType: '摄像机类型', smart: '智能', networked: '联网', status: '状态', lastSeenAt: '最后在线', owner: '建设单位',
  installedOn: '安装日期', hazardType: '灾害类型', riskLevel: '险情等级', threatenedHouseholds: '威胁户数', threatenedPeople: '威胁人数',
  monitorName: '监测人', monitorPhone: '监测人电话', team: '巡逻队', deviceId: '设备号', time: '时间', speed: '速度', category: '类别',
  source: '来源', severity: '等级', summary: '简要案情', geometry: '几何', coordinates: '坐标',
};
