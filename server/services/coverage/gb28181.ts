// GB/T 28181 device ids (国标编码), pure and unit-tested. A device id is 20 decimal digits:
//   1–8   中心编码: 2 province, 2 city, 2 county (the GB/T 2260 division code), 2 基层接入单位
//   9–10  行业编码 (00 社会治安路面接入, 01 社会治安社区接入, 04 交通路面接入, …)
//   11–13 类型编码 (131 摄像机, 132 网络摄像机(IPC), 111 DVR, 118 NVR, 200 中心信令控制服务器, …)
//   14    网络标识 (0–4 监控报警专网, 5 公安信息网, 6 政务网, 7 Internet, 8 社会资源接入网, 9 预留)
//   15–20 序号
// The register audit accepts a camera's id when it has that shape, its first six digits are
// the county's division code, its type code is a camera and its network digit is defined.
// Problems are reported in Chinese for the audit findings.

export const GB_ID_LENGTH = 20;

/** The type codes a camera's id may carry. */
export const CAMERA_TYPE_CODES: Readonly<Record<string, string>> = { '131': '摄像机', '132': '网络摄像机(IPC)' };

/** Named type codes, so a finding can say what a wrong code denotes. */
const TYPE_CODE_NAMES: Readonly<Record<string, string>> = {
  '111': 'DVR', '112': '视频服务器', '113': '编码器', '114': '解码器', '115': '视频切换矩阵', '116': '音频切换矩阵',
  '117': '报警控制器', '118': '网络视频录像机(NVR)', ...CAMERA_TYPE_CODES, '133': '显示器', '134': '报警输入设备',
  '135': '报警输出设备', '136': '语音输入设备', '137': '语音输出设备', '138': '移动传输设备', '139': '其他外围设备',
  '200': '中心信令控制服务器', '201': 'Web 应用服务器', '202': '媒体分发服务器', '203': '代理服务器', '204': '安全服务器',
  '205': '报警服务器', '206': '数据库服务器', '207': 'GIS 服务器', '208': '管理服务器', '209': '接入网关',
  '210': '媒体存储服务器', '211': '信令安全路由网关', '215': '业务分组', '216': '虚拟组织', '300': '中心用户', '400': '终端用户',
};

/** What a type code denotes: its own name, else the range it falls in. */
export function typeCodeName(code: string): string {
  const named = TYPE_CODE_NAMES[code];
  if (named) return named;
  const n = Number(code);
  if (!/^\d{3}$/.test(code)) return '无效编码';
  if (n >= 111 && n <= 130) return '前端主设备';
  if (n >= 131 && n <= 199) return '前端外围设备';
  if (n >= 200 && n <= 299) return '平台设备';
  if (n >= 300 && n <= 399) return '中心用户';
  if (n >= 400 && n <= 499) return '终端用户';
  if (n >= 500 && n <= 599) return '平台外接服务器';
  if (n >= 600) return '扩展类型';
  return '未定义类型';
}

/** The networks the 14th digit names; 9 is reserved (预留) and so not a valid value. */
export const NETWORK_CODES: Readonly<Record<string, string>> = {
  '0': '监控报警专网', '1': '监控报警专网', '2': '监控报警专网', '3': '监控报警专网', '4': '监控报警专网',
  '5': '公安信息网', '6': '政务网', '7': 'Internet 网', '8': '社会资源接入网',
};

export interface GbIdParts {
  /** 中心编码, digits 1–8 */
  centre: string;
  province: string;
  city: string;
  county: string;
  /** 基层接入单位编码, digits 7–8 */
  unit: string;
  /** 行业编码, digits 9–10 */
  industry: string;
  /** 类型编码, digits 11–13 */
  type: string;
  /** 网络标识, digit 14 */
  network: string;
  /** 序号, digits 15–20 */
  serial: string;
}

export type GbIdProblemCode = 'length' | 'non_digit' | 'county' | 'type' | 'network';

export interface GbIdProblem {
  code: GbIdProblemCode;
  /** One Chinese sentence naming the value found and what was expected. */
  message: string;
}

/** Splits a 20-character id into its fields (digits or not); null for any other length. */
export function splitGbId(id: string): GbIdParts | null {
  const chars = Array.from(id);
  if (chars.length !== GB_ID_LENGTH) return null;
  const at = (from: number, to: number) => chars.slice(from, to).join('');
  return {
    centre: at(0, 8), province: at(0, 2), city: at(2, 4), county: at(4, 6), unit: at(6, 8),
    industry: at(8, 10), type: at(10, 13), network: at(13, 14), serial: at(14, 20),
  };
}

/** The fields of a well-formed id (20 digits), else null. */
export function parseGbId(id: string): GbIdParts | null {
  return /^\d{20}$/.test(id) ? splitGbId(id) : null;
}

const isDigits = (s: string) => /^\d+$/.test(s);
const show = (ch: string) => (ch === ' ' ? '空格' : ch === '\t' ? '制表符' : `“${ch}”`);

/**
 * What is wrong with a camera's GB/T 28181 id, in Chinese; empty when nothing is.
 * `countyCodes`: the county's division code, or several (their first six digits are used);
 * without one the prefix is not checked. Fields are checked only where they are digits at
 * the right place, so one bad character is reported once.
 */
export function checkGbId(id: string, countyCodes?: string | readonly string[] | null): GbIdProblem[] {
  const problems: GbIdProblem[] = [];
  const chars = Array.from(id);
  if (chars.length !== GB_ID_LENGTH) {
    problems.push({ code: 'length', message: `国标编码应为 ${GB_ID_LENGTH} 位数字,实为 ${chars.length} 位。` });
  }
  const bad = chars.map((ch, i) => ({ ch, i })).filter(({ ch }) => !/^\d$/.test(ch));
  if (bad.length > 0) {
    const listed = bad.slice(0, 5).map(({ ch, i }) => `第 ${i + 1} 位为${show(ch)}`).join('、');
    problems.push({ code: 'non_digit', message: `国标编码只能由数字组成,${listed}${bad.length > 5 ? ` 等 ${bad.length} 处` : ''}。` });
  }
  const parts = splitGbId(id);
  if (!parts) return problems;
  const counties = [...new Set((typeof countyCodes === 'string' ? [countyCodes] : countyCodes ?? []).map((c) => c.slice(0, 6)))];
  const prefix = parts.centre.slice(0, 6);
  if (counties.length > 0 && isDigits(prefix) && !counties.includes(prefix)) {
    problems.push({ code: 'county', message: `中心编码前 6 位 ${prefix} 不是本县行政区划代码 ${counties.join('、')}。` });
  }
  if (isDigits(parts.type) && !(parts.type in CAMERA_TYPE_CODES)) {
    const accepted = Object.entries(CAMERA_TYPE_CODES).map(([c, n]) => `${c}(${n})`).join('或');
    problems.push({ code: 'type', message: `类型编码 ${parts.type}(${typeCodeName(parts.type)})不是摄像机,应为 ${accepted}。` });
  }
  if (isDigits(parts.network) && !(parts.network in NETWORK_CODES)) {
    problems.push({ code: 'network', message: `网络标识 ${parts.network} 为标准预留值,未定义,应为 0–8(0–4 监控报警专网、5 公安信息网、6 政务网、7 Internet 网、8 社会资源接入网)。` });
  }
  return problems;
}
