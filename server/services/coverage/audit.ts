// Register quality checks for the camera register (雪亮工程 台账核查). Every camera is checked
// against the rules below; each problem becomes a finding with a Chinese title, the facts
// (values, the other cameras involved, distances) and a suggested fix. The rules and
// thresholds are in AUDIT_RULES and are returned as `method`, so an export can state them.
//   missing_azimuth     a fixed camera without azimuth (dome and PTZ cameras turn: none needed)
//   missing_fov         no field of view;  missing_range: no range
//   implausible_fov     a fixed camera wider than 180°, or any camera narrower than 5°
//   implausible_range   above the plausible maximum of the camera's type, or below 5 m
//                       (the schema's CHECKs already reject physically impossible values)
//   duplicate_id        a GB/T 28181 id held by more than one camera
//   duplicate_position  cameras recorded within 1 m of each other
//   outside_county      not inside the county boundary
//   gcj02_recorded / bd09_recorded
//                       the recorded coordinates fit the camera's surroundings much better
//                       when read as GCJ-02 / BD-09 (see CRS_EVIDENCE)
//   malformed_id        a GB/T 28181 id that is not a camera id of this county (gb28181.ts)
//   private_place       a camera at a private place (宾馆客房, 集体宿舍, 更衣室 …)
//   incomplete_record   required register fields missing (建档)
// The audit only reads: it runs in the caller's transaction or in one that is rolled back.
import type pg from 'pg';
import { z } from 'zod';
import { many, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { convertLonLat, type LonLat } from '../../crs';
import { CAMERA_TYPE_CODES, checkGbId, NETWORK_CODES } from './gb28181';

export const FINDING_CODES = [
  'missing_azimuth', 'missing_fov', 'missing_range', 'implausible_fov', 'implausible_range', 'duplicate_id', 'duplicate_position',
  'outside_county', 'gcj02_recorded', 'bd09_recorded', 'malformed_id', 'private_place', 'incomplete_record',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const FINDING_LABELS: Record<FindingCode, string> = {
  missing_azimuth: '缺少方向角',
  missing_fov: '缺少视场角',
  missing_range: '缺少监控距离',
  implausible_fov: '视场角不合理',
  implausible_range: '监控距离不合理',
  duplicate_id: '国标编码重复',
  duplicate_position: '点位坐标重复',
  outside_county: '点位在县域外',
  gcj02_recorded: '疑为GCJ-02坐标未纠偏',
  bd09_recorded: '疑为BD-09坐标未纠偏',
  malformed_id: '国标编码不规范',
  private_place: '私密场所安装摄像机',
  incomplete_record: '建档信息不全',
};

export type Severity = 'error' | 'warning';

export interface AuditFinding {
  cameraId: number;
  externalId: string | null;
  gbId: string | null;
  name: string;
  owner: string | null;
  townshipCode: string | null;
  townshipName: string | null;
  lon: number;
  lat: number;
  code: FindingCode;
  severity: Severity;
  /** Chinese short label (FINDING_LABELS) */
  title: string;
  /** Chinese sentence with the facts: values, the other cameras, distances */
  detail: string;
  /** Chinese suggested fix */
  fix: string;
  /** ids of the other cameras involved (duplicates) */
  related?: number[];
  /** the corrected position (GCJ-02 / BD-09 findings) */
  suggested?: { lon: number; lat: number };
}

export interface AuditResult {
  /** The rules and thresholds used, in English keys. */
  method: Record<string, unknown>;
  cameras: number;
  camerasWithFindings: number;
  byCode: Record<FindingCode, number>;
  findings: AuditFinding[];
}

// ---------------------------------------------------------------------------------------
// Required fields (建档): the KPI 建档率 is the share of cameras with none missing, from the
// same SQL (coverage/audit-missing-fields.sql), whose field order this list follows.

export const REQUIRED_FIELDS = [
  { code: 'gb_id', label: '国标编码' },
  { code: 'name', label: '点位名称' },
  { code: 'mount_height_m', label: '安装高度' },
  { code: 'azimuth_deg', label: '方向角(枪机)' },
  { code: 'fov_deg', label: '视场角' },
  { code: 'range_m', label: '监控距离' },
  { code: 'owner', label: '权属单位' },
  { code: 'installed_on', label: '安装日期' },
  { code: 'township_code', label: '所属乡镇' },
] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number]['code'];

const REQUIRED_LABEL = new Map<string, string>(REQUIRED_FIELDS.map((f) => [f.code, f.label]));
const MissingRow = z.object({ camera_id: z.number().int(), missing: z.array(z.enum(REQUIRED_FIELDS.map((f) => f.code) as [RequiredField, ...RequiredField[]])) });

/** Per camera id, the required fields that are empty (every camera, possibly an empty list). */
export async function missingFields(client: pg.PoolClient): Promise<Map<number, RequiredField[]>> {
  const rows = await many(sql('coverage/audit-missing-fields.sql'), [], 'listing the cameras’ missing register fields', client);
  return new Map(rows.map((r) => MissingRow.parse(r)).map((r) => [r.camera_id, r.missing]));
}

// ---------------------------------------------------------------------------------------
// Rules

const CAMERA_TYPE_NAMES = { fixed: '枪机', dome: '球机', ptz: '云台摄像机' } as const;
type CameraType = keyof typeof CAMERA_TYPE_NAMES;

/**
 * Evidence for a position recorded in GCJ-02 or BD-09, in order of precedence. A reading
 * (the recorded coordinates converted from GCJ-02 or BD-09 to WGS-84) is supported by an
 * evidence when the recorded position is at least `recordedAtLeastM` from its anchor and
 * the converted one at most max(`correctedAtMostM`, `correctedAtMostShare` × recorded).
 * It is vetoed when the recorded position already fits a camera-specific anchor (within
 * `vetoWithinM`) and the reading would move it more than twice as far. Tuned on the demo
 * county (seed 'test'); the offsets there are ~590 m (GCJ-02) and ~1,190 m (BD-09).
 */
export const CRS_EVIDENCE = [
  { kind: 'place', anchor: "the camera's own place (place_id): its entrance, else its position", recordedAtLeastM: 100, correctedAtMostM: 25, correctedAtMostShare: 0.25, vetoWithinM: 50 },
  { kind: 'area', anchor: "the village/community of the camera's township whose name the camera's name contains (longest match): its centre", recordedAtLeastM: 250, correctedAtMostM: 0, correctedAtMostShare: 1 / 3, vetoWithinM: 200 },
  { kind: 'camera', anchor: 'the nearest other camera (cameras share poles, crossings and gates)', recordedAtLeastM: 80, correctedAtMostM: 15, correctedAtMostShare: 0, vetoWithinM: null },
  { kind: 'road', anchor: 'the nearest road (KNN on lon/lat, five candidates measured on the spheroid)', recordedAtLeastM: 100, correctedAtMostM: 25, correctedAtMostShare: 0, vetoWithinM: null },
] as const;
type EvidenceKind = (typeof CRS_EVIDENCE)[number]['kind'];

export const AUDIT_RULES = {
  fovMinDeg: 5,
  fixedFovMaxDeg: 180,
  rangeMinM: 5,
  rangeMaxM: { fixed: 300, dome: 300, ptz: 1000 } satisfies Record<CameraType, number>,
  duplicatePositionM: 1,
  privatePlaceM: 10,
  cameraTypeCodes: CAMERA_TYPE_CODES,
  networkCodes: '0–8 (0–4 监控报警专网, 5 公安信息网, 6 政务网, 7 Internet, 8 社会资源接入网); 9 is reserved',
} as const;

// Box half-size in degrees that is wider than `metres` in every direction up to 85° latitude.
const degreesFor = (metres: number) => metres / (111_320 * Math.cos((85 * Math.PI) / 180));

const REGULATION = '《公共安全视频图像信息系统管理条例》(国务院令第799号,2025年4月1日起施行)';
const DEDICATED: ReadonlySet<RequiredField> = new Set(['azimuth_deg', 'fov_deg', 'range_m']);

function bound(metresAtMost: number, shareAtMost: number): string {
  const share = `${+shareAtMost.toFixed(3)} × recorded`;
  if (shareAtMost === 0) return `${metresAtMost} m`;
  return metresAtMost === 0 ? share : `max(${metresAtMost} m, ${share})`;
}

function method(): Record<string, unknown> {
  const r = AUDIT_RULES;
  return {
    register: 'every row of the cameras table; the audit reads only',
    rules: {
      missing_azimuth: 'camera_type fixed and azimuth_deg empty (dome and PTZ cameras turn and need none); severity error',
      missing_fov: 'fov_deg empty; error for a fixed camera (no sector can be built), warning for dome/PTZ (drawn as 360°)',
      missing_range: 'range_m empty; severity error (no view can be built)',
      implausible_fov: `a fixed camera with fov_deg above ${r.fixedFovMaxDeg}°, or any camera with fov_deg below ${r.fovMinDeg}° (the schema already requires 1–360°); severity warning`,
      implausible_range: `range_m above the plausible maximum of the type (fixed ${r.rangeMaxM.fixed} m, dome ${r.rangeMaxM.dome} m, ptz ${r.rangeMaxM.ptz} m) or below ${r.rangeMinM} m (the schema already requires 0–2000 m); severity warning`,
      duplicate_id: 'gb_id (without surrounding blanks) held by more than one camera; every member gets a finding listing the others; severity error',
      duplicate_position: `cameras within ${r.duplicatePositionM} m of each other (geodesic); every member gets a finding listing the others; severity warning`,
      outside_county: "the position is not inside the union of the admin_areas of level 'county' (skipped when none is loaded); severity error",
      gcj02_recorded: 'the recorded coordinates read as GCJ-02 and converted to WGS-84 fit the evidence (crsEvidence) and no veto applies; severity warning, with the converted position suggested',
      bd09_recorded: 'as gcj02_recorded for BD-09; when both readings qualify, the one supported by the evidence of higher precedence wins, then the one nearer its anchor',
      malformed_id: `gb_id present but not 20 characters, with non-digits, first 6 digits not the county code, type code (digits 11–13) not ${Object.keys(CAMERA_TYPE_CODES).join('/')}, or network digit (14) not ${r.networkCodes}; severity error`,
      private_place: `place_id is a place whose type is private (place_types.is_private), or the position lies inside such a place's footprint or within ${r.privatePlaceM} m of its position; severity error`,
      incomplete_record: 'required fields empty (requiredFields; blank text counts as empty; azimuth for fixed cameras only); reported when at least one missing field has no finding of its own (azimuth, FOV and range do), and then listing every missing field; severity error when gb_id is missing (the camera cannot join the platform), else warning',
    },
    requiredFields: REQUIRED_FIELDS.map((f) => f.code),
    thresholds: {
      fovMinDeg: r.fovMinDeg,
      fixedFovMaxDeg: r.fixedFovMaxDeg,
      rangeMinM: r.rangeMinM,
      rangeMaxM: r.rangeMaxM,
      duplicatePositionM: r.duplicatePositionM,
      privatePlaceM: r.privatePlaceM,
      cameraTypeCodes: Object.keys(CAMERA_TYPE_CODES),
      networkCodes: Object.keys(NETWORK_CODES),
    },
    crsEvidence: CRS_EVIDENCE.map((e) => ({
      kind: e.kind,
      anchor: e.anchor,
      supportsWhen: `recorded ≥ ${e.recordedAtLeastM} m and converted ≤ ${bound(e.correctedAtMostM, e.correctedAtMostShare)}`,
      vetoesWhen: e.vetoWithinM === null ? null : `recorded ≤ ${e.vetoWithinM} m and converted > ${2 * e.vetoWithinM} m`,
    })),
    crsConversions: 'server/crs convertLonLat (gcoord; inverse refined to < 1 mm)',
  };
}

// ---------------------------------------------------------------------------------------
// Reading the register

const CameraRow = z.object({
  id: z.number().int(),
  externalId: z.string().nullable(),
  gbId: z.string().nullable(),
  name: z.string(),
  owner: z.string().nullable(),
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  lon: z.number(),
  lat: z.number(),
  cameraType: z.enum(['fixed', 'dome', 'ptz']),
  azimuthDeg: z.number().nullable(),
  fovDeg: z.number().nullable(),
  rangeM: z.number().nullable(),
  placeId: z.number().int().nullable(),
  insideCounty: z.boolean().nullable(),
  outsideM: z.number().nullable(),
});
type Camera = z.infer<typeof CameraRow>;

const CountyRow = z.object({ code: z.string(), name: z.string() });
const DuplicateIdRow = z.object({ gbId: z.string(), ids: z.array(z.number().int()) });
const PairRow = z.object({ a: z.number().int(), b: z.number().int(), distanceM: z.number() });
const PrivateRow = z.object({ cameraId: z.number().int(), placeId: z.number().int(), placeName: z.string(), typeName: z.string(), ownPlace: z.boolean(), inside: z.boolean(), distanceM: z.number() });
const EvidenceRow = z.object({
  cameraId: z.number().int(),
  reading: z.enum(['wgs84', 'gcj02', 'bd09']),
  placeM: z.number().nullable(),
  placeName: z.string().nullable(),
  areaM: z.number().nullable(),
  areaName: z.string().nullable(),
  cameraM: z.number().nullable(),
  cameraRef: z.number().int().nullable(),
  roadM: z.number().nullable(),
  roadName: z.string().nullable(),
});
type Evidence = z.infer<typeof EvidenceRow>;

// ---------------------------------------------------------------------------------------
// Wording

const metres = (m: number) => (m < 10 ? `${m.toFixed(1)} 米` : `${Math.round(m)} 米`);
const coord = (lon: number, lat: number) => `(${lon.toFixed(6)}, ${lat.toFixed(6)})`;
const deg = (v: number) => `${+v.toFixed(1)}°`;
const label = (c: Camera) => `“${c.name}”(${c.externalId ?? `#${c.id}`})`;

// ---------------------------------------------------------------------------------------
// GCJ-02 / BD-09 readings

type Reading = 'gcj02' | 'bd09';
const READING_NAMES: Record<Reading, string> = { gcj02: 'GCJ-02(高德、腾讯等地图坐标)', bd09: 'BD-09(百度地图坐标)' };
const READING_SHORT: Record<Reading, string> = { gcj02: 'GCJ-02', bd09: 'BD-09' };

interface Verdict {
  reading: Reading;
  rank: number;
  kind: EvidenceKind;
  recordedM: number;
  correctedM: number;
}

const distanceOf = (e: Evidence, kind: EvidenceKind): number | null =>
  kind === 'place' ? e.placeM : kind === 'area' ? e.areaM : kind === 'camera' ? e.cameraM : e.roadM;

/** The reading the evidence supports, or null (the rules of CRS_EVIDENCE). */
function judgeReading(recorded: Evidence, readings: Record<Reading, Evidence>): Verdict | null {
  const verdicts: Verdict[] = [];
  for (const reading of ['gcj02', 'bd09'] as const) {
    let support: Verdict | null = null;
    let vetoed = false;
    for (const [rank, e] of CRS_EVIDENCE.entries()) {
      const d0 = distanceOf(recorded, e.kind);
      const d1 = distanceOf(readings[reading], e.kind);
      if (d0 === null || d1 === null) continue;
      if (!support && d0 >= e.recordedAtLeastM && d1 <= Math.max(e.correctedAtMostM, e.correctedAtMostShare * d0)) {
        support = { reading, rank, kind: e.kind, recordedM: d0, correctedM: d1 };
      }
      if (e.vetoWithinM !== null && d0 <= e.vetoWithinM && d1 > 2 * e.vetoWithinM) vetoed = true;
    }
    if (support && !vetoed) verdicts.push(support);
  }
  verdicts.sort((a, b) => a.rank - b.rank || a.correctedM - b.correctedM);
  return verdicts[0] ?? null;
}

function evidenceSentence(v: Verdict, e: Evidence, recorded: Evidence, byId: Map<number, Camera>): string {
  const to = (what: string) => `登记坐标距${what} ${metres(v.recordedM)},若按 ${READING_SHORT[v.reading]} 坐标纠偏到 WGS-84,则仅距 ${metres(v.correctedM)}`;
  switch (v.kind) {
    case 'place':
      return to(`所属场所“${recorded.placeName ?? ''}”入口`);
    case 'area':
      return to(`名称中的“${recorded.areaName ?? ''}”中心点`);
    case 'camera': {
      const near = e.cameraRef !== null ? byId.get(e.cameraRef) : undefined;
      return `登记坐标 ${metres(v.recordedM)} 内没有其他摄像机,若按 ${READING_SHORT[v.reading]} 坐标纠偏到 WGS-84,则与${near ? label(near) : '另一台摄像机'}仅相距 ${metres(v.correctedM)}(同杆或同一路口)`;
    }
    case 'road':
      return `登记坐标距最近道路 ${metres(v.recordedM)},若按 ${READING_SHORT[v.reading]} 坐标纠偏到 WGS-84,则距${e.roadName ? `“${e.roadName}”` : '道路'}仅 ${metres(v.correctedM)}`;
  }
}

async function crsReadings(c: pg.PoolClient, cameras: Camera[]): Promise<Map<number, { verdict: Verdict; sentence: string; suggested: LonLat }>> {
  // Conversions in TypeScript (the one CRS module), distances in one statement over arrays.
  const gcj = cameras.map((k) => convertLonLat([k.lon, k.lat], 'gcj02', 'wgs84'));
  const bd = cameras.map((k) => convertLonLat([k.lon, k.lat], 'bd09', 'wgs84'));
  const rows = (
    await many(
      sql('coverage/audit-crs-evidence.sql'),
      [cameras.map((k) => k.id), gcj.map((p) => p[0]), gcj.map((p) => p[1]), bd.map((p) => p[0]), bd.map((p) => p[1])],
      'measuring how well GCJ-02 and BD-09 readings of the camera positions fit',
      c,
    )
  ).map((r) => EvidenceRow.parse(r));
  const grouped = new Map<number, Partial<Record<Evidence['reading'], Evidence>>>();
  for (const r of rows) grouped.set(r.cameraId, { ...grouped.get(r.cameraId), [r.reading]: r });
  const byId = new Map(cameras.map((k) => [k.id, k]));
  const out = new Map<number, { verdict: Verdict; sentence: string; suggested: LonLat }>();
  cameras.forEach((k, i) => {
    const g = grouped.get(k.id);
    if (!g?.wgs84 || !g.gcj02 || !g.bd09) return;
    const verdict = judgeReading(g.wgs84, { gcj02: g.gcj02, bd09: g.bd09 });
    if (!verdict) return;
    out.set(k.id, { verdict, sentence: evidenceSentence(verdict, g[verdict.reading]!, g.wgs84, byId), suggested: verdict.reading === 'gcj02' ? gcj[i]! : bd[i]! });
  });
  return out;
}

// ---------------------------------------------------------------------------------------
// The audit

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };
const CODE_ORDER = new Map<FindingCode, number>(FINDING_CODES.map((code, i) => [code, i]));

export async function runAudit(tx: Tx): Promise<AuditResult> {
  return scratch(tx, () => audit(tx));
}

async function audit(c: pg.PoolClient): Promise<AuditResult> {
  const cameras = (await many(sql('coverage/audit-cameras.sql'), [], 'reading the camera register', c)).map((r) => CameraRow.parse(r));
  const counties = (await many(sql('coverage/audit-county.sql'), [], 'finding the county', c)).map((r) => CountyRow.parse(r));
  const byId = new Map(cameras.map((k) => [k.id, k]));
  const findings: AuditFinding[] = [];
  const add = (k: Camera, code: FindingCode, severity: Severity, detail: string, fix: string, extra: Pick<AuditFinding, 'related' | 'suggested'> = {}) => {
    findings.push({
      cameraId: k.id, externalId: k.externalId, gbId: k.gbId, name: k.name, owner: k.owner, townshipCode: k.townshipCode, townshipName: k.townshipName,
      lon: k.lon, lat: k.lat, code, severity, title: FINDING_LABELS[code], detail, fix, ...extra,
    });
  };
  const r = AUDIT_RULES;

  // The view parameters: missing and implausible values.
  for (const k of cameras) {
    const type = CAMERA_TYPE_NAMES[k.cameraType];
    if (k.cameraType === 'fixed' && k.azimuthDeg === null) {
      add(k, 'missing_azimuth', 'error', '枪机(固定摄像机)未登记方向角,无法确定镜头朝向,覆盖分析中其视域按“未知”处理、不计覆盖。',
        '现场核实镜头朝向,以正北为 0°、顺时针量取方向角后补录。');
    }
    if (k.fovDeg === null) {
      add(k, 'missing_fov', k.cameraType === 'fixed' ? 'error' : 'warning',
        k.cameraType === 'fixed' ? '枪机未登记视场角,无法构建其视域扇区,覆盖分析中不计覆盖。' : `${type}未登记视场角,覆盖分析中按 360° 转动范围计算。`,
        '按镜头焦距或产品规格书补录水平视场角(度)。');
    } else if (k.cameraType === 'fixed' && k.fovDeg > r.fixedFovMaxDeg) {
      add(k, 'implausible_fov', 'warning', `枪机登记的视场角为 ${deg(k.fovDeg)},超过 ${r.fixedFovMaxDeg}°,与固定镜头不符(常见为 30°–120°)。`,
        '核实镜头规格:如为全景(鱼眼)或可转动的摄像机,请更正摄像机类型;否则按实际水平视场角更正。');
    } else if (k.fovDeg < r.fovMinDeg) {
      add(k, 'implausible_fov', 'warning', `登记的视场角为 ${deg(k.fovDeg)},小于 ${r.fovMinDeg}°,可能误将镜头焦距(毫米)填作视场角。`,
        '核实镜头规格,按实际水平视场角(度)更正。');
    }
    if (k.rangeM === null) {
      add(k, 'missing_range', 'error', '未登记监控距离,无法构建其视域,覆盖分析中不计覆盖。', '按现场可辨识距离或产品规格的有效监控距离补录(单位:米)。');
    } else if (k.rangeM > r.rangeMaxM[k.cameraType]) {
      add(k, 'implausible_range', 'warning', `${type}登记的监控距离为 ${metres(k.rangeM)},超过该类型的合理上限 ${r.rangeMaxM[k.cameraType]} 米(可能填的是红外/激光补光距离)。`,
        '按现场可辨识人、车的距离更正监控距离(单位:米)。');
    } else if (k.rangeM < r.rangeMinM) {
      add(k, 'implausible_range', 'warning', `登记的监控距离为 ${metres(k.rangeM)},小于 ${r.rangeMinM} 米,可能误以千米为单位填写。`,
        '核实后按米更正监控距离。');
    }
  }

  // Duplicate GB/T 28181 ids.
  const dupIds = (await many(sql('coverage/audit-duplicate-ids.sql'), [], 'finding duplicate GB/T 28181 ids', c)).map((x) => DuplicateIdRow.parse(x));
  for (const group of dupIds) {
    for (const id of group.ids) {
      const k = byId.get(id)!;
      const others = group.ids.filter((o) => o !== id);
      add(k, 'duplicate_id', 'error',
        `国标编码 ${group.gbId} 同时登记在另外 ${others.length} 台摄像机上:${others.map((o) => label(byId.get(o)!)).join('、')}。`,
        '国标编码须全局唯一:核实该编码对应的实际设备,为其余设备重新分配编码,并在视频联网平台同步更正。', { related: others });
    }
  }

  // Duplicate positions.
  await c.query('CREATE TEMP TABLE audit_positions ON COMMIT DROP AS SELECT id, geom FROM cameras');
  await c.query('CREATE INDEX ON audit_positions USING gist (geom); ANALYZE audit_positions');
  const pairs = (await many(sql('coverage/audit-duplicate-positions.sql'), [r.duplicatePositionM, degreesFor(r.duplicatePositionM)], 'finding cameras recorded at the same position', c)).map((x) => PairRow.parse(x));
  const near = new Map<number, { id: number; m: number }[]>();
  for (const p of pairs) {
    near.set(p.a, [...(near.get(p.a) ?? []), { id: p.b, m: p.distanceM }]);
    near.set(p.b, [...(near.get(p.b) ?? []), { id: p.a, m: p.distanceM }]);
  }
  for (const [id, others] of near) {
    others.sort((x, y) => x.id - y.id);
    const k = byId.get(id)!;
    const facing = (x: Camera) => (x.azimuthDeg === null ? (x.cameraType === 'fixed' ? '未登记方向角' : `${CAMERA_TYPE_NAMES[x.cameraType]}(可转动)`) : `方向角 ${deg(x.azimuthDeg)}`);
    add(k, 'duplicate_position', 'warning',
      `与${others.map((o) => `${label(byId.get(o.id)!)}(相距 ${o.m.toFixed(2)} 米,${facing(byId.get(o.id)!)})`).join('、')}的登记坐标相距不足 ${r.duplicatePositionM} 米(本机:${facing(k)})。`,
      '如为同一立杆上朝向不同的摄像机,请现场核实并确认;否则请更正点位坐标。', { related: others.map((o) => o.id) });
  }

  // Outside the county.
  const countyName = counties.map((x) => x.name).join('、') || '本县';
  for (const k of cameras) {
    if (k.insideCounty !== false) continue;
    add(k, 'outside_county', 'error',
      `登记坐标 ${coord(k.lon, k.lat)} 位于${countyName}县界之外${k.outsideM !== null ? `,距县界约 ${metres(k.outsideM)}` : ''}。`,
      '核实点位坐标(经纬度是否填反、坐标系或小数位是否有误)并更正;如设备确不在本县,应移交所属辖区台账。');
  }

  // Positions recorded in GCJ-02 or BD-09.
  for (const [id, { verdict, sentence, suggested }] of await crsReadings(c, cameras)) {
    const k = byId.get(id)!;
    const at = { lon: Math.round(suggested[0] * 1e7) / 1e7, lat: Math.round(suggested[1] * 1e7) / 1e7 };
    add(k, verdict.reading === 'gcj02' ? 'gcj02_recorded' : 'bd09_recorded', 'warning',
      `${sentence},登记坐标疑为 ${READING_NAMES[verdict.reading]},未转换为 WGS-84。`,
      `现场核实后,按 ${READING_SHORT[verdict.reading]} 纠偏后的坐标 ${coord(at.lon, at.lat)} 更正。`, { suggested: at });
  }

  // Malformed GB/T 28181 ids (a missing one is a completeness finding).
  const countyCodes = counties.map((x) => x.code);
  for (const k of cameras) {
    if (k.gbId === null || k.gbId.trim() === '') continue;
    const problems = checkGbId(k.gbId, countyCodes);
    if (problems.length === 0) continue;
    add(k, 'malformed_id', 'error', `国标编码“${k.gbId}”:${problems.map((p) => p.message).join('')}`,
      `按 GB/T 28181 编码规则(中心编码 8 位 + 行业编码 2 位 + 类型编码 3 位 + 网络标识 1 位 + 序号 6 位,共 20 位数字)核对并更正,摄像机的类型编码应为 ${Object.entries(CAMERA_TYPE_CODES).map(([code, n]) => `${code}(${n})`).join('或')}。`);
  }

  // Cameras at private places.
  const privateRows = (await many(sql('coverage/audit-private-places.sql'), [r.privatePlaceM, degreesFor(r.privatePlaceM)], 'finding cameras at private places', c)).map((x) => PrivateRow.parse(x));
  const privateBy = new Map<number, z.infer<typeof PrivateRow>[]>();
  for (const p of privateRows) privateBy.set(p.cameraId, [...(privateBy.get(p.cameraId) ?? []), p]);
  for (const [id, places] of privateBy) {
    const facts = places.map((p) => {
      const what = `${p.typeName}“${p.placeName}”`;
      if (p.ownPlace) return `登记的所属场所为${what}`;
      if (p.inside) return `位于${what}范围内`;
      return `距${what}仅 ${metres(p.distanceM)}`;
    });
    const types = [...new Set(places.map((p) => p.typeName))].join('、');
    add(byId.get(id)!, 'private_place', 'error', `${facts.join(';')}。`,
      `${REGULATION}禁止在${types}等可能泄露他人隐私的场所安装公共安全视频图像采集设备:请拆除或移至公共区域,并更正台账。`);
  }

  // Incomplete records (建档).
  const missing = await missingFields(c);
  for (const k of cameras) {
    const fields = missing.get(k.id) ?? [];
    if (!fields.some((f) => !DEDICATED.has(f))) continue;
    add(k, 'incomplete_record', fields.includes('gb_id') ? 'error' : 'warning',
      `建档信息缺少 ${fields.length} 项必填内容:${fields.map((f) => REQUIRED_LABEL.get(f)).join('、')}。`,
      `向权属单位核实后补录${fields.map((f) => REQUIRED_LABEL.get(f)).join('、')}${fields.includes('gb_id') ? ';国标编码缺失的设备无法接入视频联网平台,应先申请分配编码' : ''}。`);
  }

  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || CODE_ORDER.get(a.code)! - CODE_ORDER.get(b.code)! || a.cameraId - b.cameraId);
  const byCode = Object.fromEntries(FINDING_CODES.map((code) => [code, 0])) as Record<FindingCode, number>;
  for (const f of findings) byCode[f.code]++;
  return {
    method: method(),
    cameras: cameras.length,
    camerasWithFindings: new Set(findings.map((f) => f.cameraId)).size,
    byCode,
    findings,
  };
}
