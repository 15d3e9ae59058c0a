// Row-level reasons come from the importer in English (the CLI and logs speak English);
// the import page shows them in Chinese. Unknown reasons are shown as they are.
const RULES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^not a number: '(.*)'$/, (m) => `不是数字:'${m[1]}'`],
  [/^not a whole number: '(.*)'$/, (m) => `不是整数:'${m[1]}'`],
  [/^(.+) is above the maximum (.+)$/, (m) => `${m[1]} 超过上限 ${m[2]}`],
  [/^(.+) is below the minimum (.+)$/, (m) => `${m[1]} 低于下限 ${m[2]}`],
  [/^\w+ is empty$/, () => '为空(必填)'],
  [/^unknown \w+ '(.*)' \(known: (.*)\)$/, (m) => `未知取值 '${m[1]}'(可用:${m[2]})`],
  [/^not a date: '(.*)'$/, (m) => `不是日期:'${m[1]}'`],
  [/^no such day: '(.*)'$/, (m) => `日期不存在:'${m[1]}'`],
  [/^not yes\/no: '(.*)'.*$/, (m) => `不是“是/否”:'${m[1]}'`],
  [/^expected a (\S+) geometry, got (\S+)$/, (m) => `几何类型应为 ${m[1]},实际为 ${m[2]}`],
  [/^coordinate \[(.*)\] is not a valid position in (\S+)(.*)$/, (m) => `坐标 [${m[1]}] 不是 ${m[2]} 下的有效位置${m[3] ? '(可能是投影坐标,请选择 EPSG 代码)' : ''}`],
  [/^invalid geometry \((.*)\) that ST_MakeValid cannot repair.*$/, (m) => `几何无效(${m[1]}),无法自动修复`],
  [/^no coordinates$/, () => '缺少坐标'],
  [/^parent area (\d+) is neither in the database nor in this file.*$/, (m) => `上级区划 ${m[1]} 不存在:请先导入上级`],
  [/^'(.*)' is not a 12-digit statistical code$/, (m) => `'${m[1]}' 不是 12 位统计用区划代码`],
];

export function reasonZh(reason: string): string {
  for (const [re, fmt] of RULES) {
    const m = reason.match(re);
    if (m) return fmt(m);
  }
  return reason;
}
