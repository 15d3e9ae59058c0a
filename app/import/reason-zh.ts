// Row-level reasons come from the importer in English (the CLI and logs speak English);
// the import page shows them in Chinese (the English stays in the cell's tooltip).
import { geometryReasonZh } from '@/lib/geometry-reason-zh';
const GEOMETRY_KIND: Record<string, string> = { point: '点', line: '线', polygon: '面', 'point-or-polygon': '点或面' };
const GEOJSON_TYPE: Record<string, string> = {
  Point: '点', MultiPoint: '多点', LineString: '线', MultiLineString: '多线', Polygon: '面', MultiPolygon: '多面', GeometryCollection: '几何集合',
};

const RULES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^not a number: '(.*)'$/s, (m) => `不是数字:'${m[1]}'`],
  [/^not a finite number: (.*)$/s, (m) => `数值无效(不是有限的数):${m[1]}`],
  [/^not a whole number: '(.*)'$/s, (m) => `不是整数:'${m[1]}'`],
  [/^(.+) is above the maximum (.+)$/, (m) => `${m[1]} 超过上限 ${m[2]}`],
  [/^(.+) is below the minimum (.+)$/, (m) => `${m[1]} 低于下限 ${m[2]}`],
  [/^\w+ is empty$/, () => '为空(必填)'],
  [/^unknown \w+ '(.*)' \(known: (.*)\)$/s, (m) => `未知取值 '${m[1]}'(可用:${m[2]})`],
  [/^not a date: '(.*)'$/s, (m) => `不是日期:'${m[1]}'`],
  [/^not a date: (.*)$/s, (m) => `不是日期:${m[1]}`],
  [/^not a valid date: '(.*)'$/s, (m) => `日期或时间超出范围:'${m[1]}'`],
  [/^not a time of day: '(.*)'$/s, (m) => `时间部分无法识别:'${m[1]}'`],
  [/^invalid date$/, () => '日期无效'],
  [/^no such day: '(.*)'$/s, (m) => `日期不存在:'${m[1]}'`],
  [/^not yes\/no: '(.*)'.*$/s, (m) => `不是“是/否”:'${m[1]}'`],
  [/^not WKT: .*$/s, () => '不是有效的 WKT 几何'],
  [/^expected a (\S+) geometry, got (.+)$/s, (m) => `几何类型应为${GEOMETRY_KIND[m[1]!] ?? m[1]},实际为${GEOJSON_TYPE[m[2]!] ?? m[2]}`],
  [/^expected one point, got a MultiPoint of (\d+)$/, (m) => `应为一个点,实际为含 ${m[1]} 个点的多点`],
  [/^a line needs at least two points$/, () => '线至少需要两个点'],
  [/^a polygon ring needs at least four points$/, () => '面的每个环至少需要四个点(首尾相同)'],
  [/^coordinate \[(.*)\] is not a valid position in (\S+)(.*)$/s, (m) => `坐标 [${m[1]}] 不是 ${m[2]} 下的有效位置${m[3] ? '(可能是投影坐标,请选择 EPSG 代码)' : ''}`],
  [/^coordinate is not a number: (.*)$/s, (m) => `坐标不是数字:${m[1]}`],
  [/^malformed geometry .*$/s, () => '几何结构不正确(坐标的嵌套层次与几何类型不符)'],
  [/^invalid geometry \((.*)\) that ST_MakeValid cannot repair.*$/s, (m) => `几何无效(${geometryReasonZh(m[1]!)}),无法自动修复`],
  [/^no coordinates$/, () => '缺少坐标'],
  [/^contains a NUL character.*$/, () => '含有空字符(文本中混入了二进制数据)'],
  [/^parent area (\d+) is neither in the database nor in this file.*$/, (m) => `上级区划 ${m[1]} 不存在:请先导入上级`],
  [/^'(.*)' is not a 12-digit statistical code$/s, (m) => `'${m[1]}' 不是 12 位统计用区划代码`],
];

/** The reason in Chinese, or null when no rule knows it (tests require every reason to be known). */
export function reasonZhOrNull(reason: string): string | null {
  for (const [re, fmt] of RULES) {
    const m = reason.match(re);
    if (m) return fmt(m);
  }
  return null;
}

/** The reason in Chinese; an unknown one (a new reason without a rule) gets a general sentence. */
export function reasonZh(reason: string): string {
  return reasonZhOrNull(reason) ?? '此行数据有误,无法导入(详细原因见提示)';
}
