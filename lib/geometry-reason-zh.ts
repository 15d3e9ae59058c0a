// PostGIS's ST_IsValidReason in Chinese ("Self-intersection[117.6 25.7]" → "自相交,位于
// 117.6 25.7"), for the import report's warnings (server) and its rejected rows (page).
const NAMES: Record<string, string> = {
  'Self-intersection': '自相交',
  'Ring Self-intersection': '环自相交',
  'Too few points': '点数过少',
  'Too few points in geometry component': '几何部件点数过少',
  'Hole lies outside shell': '内环位于外环之外',
  'Interior is disconnected': '内部不连通',
  'Nested holes': '内环嵌套',
  'Nested shells': '外环嵌套',
  'Duplicate Rings': '环重复',
  'Invalid Coordinate': '坐标无效',
  'Ring is not closed': '环未闭合',
};

export function geometryReasonZh(reason: string): string {
  const m = /^([^[]*)(?:\[(.*)\])?$/.exec(reason.trim());
  const what = (m?.[1] ?? reason).trim();
  const at = m?.[2] ? `,位于 ${m[2]}` : '';
  return `${NAMES[what] ?? '几何无效'}${at}`;
}
