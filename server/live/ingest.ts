// Pushes from outside (POST /api/ingest/camera-status, /api/ingest/hazard-alert): the
// contract in docs/INGEST.md. A push is checked whole before anything is written: the
// body against its schema, then every item against the register (an unknown camera or
// hazard, an alert id used before for another hazard). Any problem refuses the push with
// every problem listed by item (its number, counted from 1, and its field); nothing is
// written. An accepted push writes through server/live/changes.ts in one transaction,
// so its history rows and live events commit with it.
import { z } from 'zod';
import { many } from '../db/index';
import type { Tx } from '../db/scope';
import { mapError, UserError } from '../errors';
import { setCameraStatuses, setHazardAlerts, type AlertChange, type CameraChange, type CameraStatus } from './changes';

/** Items one push may carry. */
export const MAX_PUSH_ITEMS = { camera: 10_000, hazard: 1_000 } as const;
/** A time later than now by more than this is refused (a wrong clock or time zone). */
export const FUTURE_SLACK_MS = 5 * 60_000;

export interface IngestProblem {
  /** the item, counted from 1; absent for the push as a whole */
  item?: number;
  /** the field's JSON path ("items[3].status"), absent for the push as a whole */
  path?: string;
  message: string;
}

/** A refused push: every problem found, each with its item and field. */
export class IngestError extends UserError {
  override name = 'IngestError';
  constructor(
    message: string,
    zh: string,
    readonly problems: IngestProblem[],
  ) {
    super(message, zh);
  }
}

/** An ISO 8601 time with its offset (2026-12-02T08:30:00+08:00 or …Z): a time without one is ambiguous. */
const Instant = z
  .string({ error: '时间应为文字,写成 2026-12-02T08:30:00+08:00 这样的形式' })
  .max(40, '时间过长')
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/, '时间应写成 2026-12-02T08:30:00+08:00 这样的形式(须带时区)')
  .transform((s, ctx) => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `不存在的时间:${s}` });
      return z.NEVER;
    }
    if (d.getTime() > Date.now() + FUTURE_SLACK_MS) {
      ctx.addIssue({ code: 'custom', message: `时间 ${s} 晚于当前时间超过 5 分钟:请检查发送方的时钟和时区` });
      return z.NEVER;
    }
    return d;
  });

/** online / offline / faulty, or GB/T 28181's ON / OFF (any case). */
const CAMERA_STATUS_WORDS: Record<string, CameraStatus> = { online: 'online', on: 'online', offline: 'offline', off: 'offline', faulty: 'faulty', fault: 'faulty' };
const CameraStatusValue = z
  .string({ error: '状态应为 online、offline 或 faulty' })
  .max(20, '状态应为 online、offline 或 faulty')
  .transform((s, ctx) => {
    const v = CAMERA_STATUS_WORDS[s.trim().toLowerCase()];
    if (!v) {
      ctx.addIssue({ code: 'custom', message: `状态“${s.slice(0, 20)}”无法识别:应为 online(ON)、offline(OFF)或 faulty` });
      return z.NEVER;
    }
    return v;
  });

export const CameraStatusPush = z.strictObject({
  items: z
    .array(
      z
        .strictObject({
          gbId: z.string({ error: '国标编码应为文字' }).regex(/^\d{20}$/, '国标编码应为 20 位数字').optional(),
          externalId: z.string({ error: '设备编号应为文字' }).trim().min(1, '设备编号不能为空').max(100, '设备编号不能超过 100 个字符').optional(),
          status: CameraStatusValue,
          at: Instant,
        })
        .refine((i) => (i.gbId === undefined) !== (i.externalId === undefined), { message: '每一项须给出国标编码(gbId)或设备编号(externalId)之一,且只能给一个' }),
      { error: 'items 应为一组状态' },
    )
    .min(1, 'items 至少要有一项')
    .max(MAX_PUSH_ITEMS.camera, `一次最多推送 ${MAX_PUSH_ITEMS.camera} 项`),
});
export type CameraStatusPush = z.infer<typeof CameraStatusPush>;

const ALERT_LEVEL_WORDS: Record<string, AlertChange['level']> = {
  blue: 'blue', 蓝: 'blue', 蓝色: 'blue', yellow: 'yellow', 黄: 'yellow', 黄色: 'yellow',
  orange: 'orange', 橙: 'orange', 橙色: 'orange', red: 'red', 红: 'red', 红色: 'red',
  lift: null, lifted: null, 解除: null,
};
const AlertLevelValue = z.union([
  z.null(),
  z.string().max(20).transform((s, ctx) => {
    const t = s.trim().toLowerCase().replace(/预警$/, '');
    if (!(t in ALERT_LEVEL_WORDS)) {
      ctx.addIssue({ code: 'custom', message: `预警级别“${s.slice(0, 20)}”无法识别:应为 blue、yellow、orange、red(蓝/黄/橙/红),解除预警用 null 或 lift` });
      return z.NEVER;
    }
    return ALERT_LEVEL_WORDS[t]!;
  }),
], { error: '预警级别应为 blue、yellow、orange、red 或 null(解除)' });

export const HazardAlertPush = z.strictObject({
  items: z
    .array(
      z
        .strictObject({
          hazardId: z.number({ error: '隐患点编号应为整数' }).int('隐患点编号应为整数').positive('隐患点编号应为正整数').max(2 ** 31 - 1, '隐患点编号过大').optional(),
          hazardCode: z.string({ error: '隐患点统一编号应为文字' }).trim().min(1, '隐患点统一编号不能为空').max(100, '隐患点统一编号不能超过 100 个字符').optional(),
          level: AlertLevelValue,
          at: Instant,
          alertId: z.string({ error: '预警编号应为文字' }).trim().min(1, '预警编号不能为空').max(100, '预警编号不能超过 100 个字符').optional(),
          note: z.string({ error: '备注应为文字' }).max(500, '备注不能超过 500 个字符').optional(),
        })
        .refine((i) => (i.hazardId === undefined) !== (i.hazardCode === undefined), { message: '每一项须给出隐患点编号(hazardId)或统一编号(hazardCode)之一,且只能给一个' }),
      { error: 'items 应为一组预警' },
    )
    .min(1, 'items 至少要有一项')
    .max(MAX_PUSH_ITEMS.hazard, `一次最多推送 ${MAX_PUSH_ITEMS.hazard} 项`),
});
export type HazardAlertPush = z.infer<typeof HazardAlertPush>;

/** "items.3.status" → item 4, "items[3].status". */
export function problemOfPath(path: readonly PropertyKey[], message: string): IngestProblem {
  if (path[0] === 'items' && typeof path[1] === 'number') {
    const rest = path.slice(2).map(String);
    return { item: path[1] + 1, path: `items[${path[1]}]${rest.map((k) => `.${k}`).join('')}`, message };
  }
  return path.length ? { path: path.map(String).join('.'), message } : { message };
}

/** A refused body's problems as the route answers them: Chinese sentences, by item and field, at most 200. */
export function problemsOfZod(err: z.ZodError, topic: string): IngestProblem[] {
  const zh = mapError(err, { procedure: `ingest.${topic}` }).fieldErrors ?? [];
  return err.issues.slice(0, 200).map((i, k) => problemOfPath(i.path, (zh[k]?.message ?? i.message).slice(0, 300)));
}

function refuse(what: string, problems: IngestProblem[]): never {
  const shown = problems.slice(0, 3).map((p) => `${p.item ? `第 ${p.item} 项` : ''}${p.message.replace(/[。.]$/, '')}`).join(';');
  throw new IngestError(
    `${what} refused: ${problems.length} problem(s); nothing was written. ${problems.slice(0, 3).map((p) => `${p.path ?? 'body'}: ${p.message}`).join('; ')}`,
    `推送未被接受,未写入任何数据:共 ${problems.length} 处问题。${shown}${problems.length > 3 ? ' 等' : ''}。`,
    problems.slice(0, 200),
  );
}

export interface IngestResult {
  /** items received */
  received: number;
  /** status changes or alerts written */
  applied: number;
  /** items equal to what is already recorded */
  unchanged: number;
  /** items older than the last change recorded for their camera or hazard (kept out of the history) */
  stale: number;
}

/** Applies a camera-status push as `source` (the feed's actor id). */
export async function ingestCameraStatus(tx: Tx, push: CameraStatusPush, source: string, now = Date.now()): Promise<IngestResult> {
  const gbIds = [...new Set(push.items.flatMap((i) => (i.gbId ? [i.gbId] : [])))];
  const externalIds = [...new Set(push.items.flatMap((i) => (i.externalId ? [i.externalId] : [])))];
  const found = await many<{ id: number; gb_id: string | null; external_id: string | null }>(
    `SELECT id, gb_id, external_id FROM cameras WHERE gb_id = ANY ($1::text[]) OR external_id = ANY ($2::text[])`,
    [gbIds, externalIds], 'finding the pushed cameras', tx,
  );
  const byGb = new Map<string, number[]>();
  const byExt = new Map<string, number>();
  for (const c of found) {
    if (c.gb_id) byGb.set(c.gb_id, [...(byGb.get(c.gb_id) ?? []), c.id]);
    if (c.external_id) byExt.set(c.external_id, c.id);
  }
  const problems: IngestProblem[] = [];
  const changes: CameraChange[] = [];
  push.items.forEach((it, i) => {
    if (it.gbId) {
      const ids = byGb.get(it.gbId) ?? [];
      if (ids.length === 0) problems.push({ item: i + 1, path: `items[${i}].gbId`, message: `国标编码 ${it.gbId} 不在摄像机台账中(或不在本接入系统的乡镇范围内)。` });
      else if (ids.length > 1) problems.push({ item: i + 1, path: `items[${i}].gbId`, message: `国标编码 ${it.gbId} 在台账中重复(${ids.length} 台):请先在台账中纠正,或改用设备编号(externalId)。` });
      else changes.push({ cameraId: ids[0]!, status: it.status, at: it.at });
    } else {
      const id = byExt.get(it.externalId!);
      if (id === undefined) problems.push({ item: i + 1, path: `items[${i}].externalId`, message: `设备编号 ${it.externalId} 不在摄像机台账中(或不在本接入系统的乡镇范围内)。` });
      else changes.push({ cameraId: id, status: it.status, at: it.at });
    }
  });
  if (problems.length) refuse('Camera status push', problems);
  const r = await setCameraStatuses(tx, changes, source, now);
  return { received: push.items.length, applied: r.written, unchanged: r.unchanged, stale: r.stale };
}

/** Applies a hazard-alert push as `source` (the feed's actor id). */
export async function ingestHazardAlerts(tx: Tx, push: HazardAlertPush, source: string, now = Date.now()): Promise<IngestResult> {
  const ids = [...new Set(push.items.flatMap((i) => (i.hazardId ? [i.hazardId] : [])))];
  const codes = [...new Set(push.items.flatMap((i) => (i.hazardCode ? [i.hazardCode] : [])))];
  const found = await many<{ id: number; external_id: string | null }>(
    `SELECT id, external_id FROM hazards WHERE id = ANY ($1::int[]) OR external_id = ANY ($2::text[])`, [ids, codes], 'finding the pushed hazards', tx,
  );
  const known = new Set(found.map((h) => h.id));
  const byCode = new Map(found.flatMap((h) => (h.external_id ? [[h.external_id, h.id] as const] : [])));
  const alertIds = [...new Set(push.items.flatMap((i) => (i.alertId ? [i.alertId] : [])))];
  const usedAlerts = new Map(
    (await many<{ external_id: string; hazard_id: number }>(
      `SELECT external_id, hazard_id FROM hazard_alerts WHERE source = $1 AND external_id = ANY ($2::text[])`, [source, alertIds], 'reading earlier alert ids', tx,
    )).map((a) => [a.external_id, a.hazard_id]),
  );
  const problems: IngestProblem[] = [];
  const changes: AlertChange[] = [];
  const alertOfPush = new Map<string, number>();
  push.items.forEach((it, i) => {
    const hazardId = it.hazardId ?? byCode.get(it.hazardCode!);
    if (hazardId === undefined || !known.has(hazardId)) {
      problems.push({ item: i + 1, path: `items[${i}].${it.hazardId ? 'hazardId' : 'hazardCode'}`, message: `隐患点 ${it.hazardId ?? it.hazardCode} 不在隐患台账中(或不在本接入系统的乡镇范围内)。` });
      return;
    }
    if (it.alertId) {
      const earlier = usedAlerts.get(it.alertId) ?? alertOfPush.get(it.alertId);
      if (earlier !== undefined && earlier !== hazardId) {
        problems.push({ item: i + 1, path: `items[${i}].alertId`, message: `预警编号 ${it.alertId} 已用于另一个隐患点(编号 ${earlier}):同一预警编号只能对应一个隐患点。` });
        return;
      }
      if (it.level !== null) alertOfPush.set(it.alertId, hazardId);
    }
    changes.push({ hazardId, level: it.level, at: it.at, externalId: it.level === null ? null : (it.alertId ?? null), note: it.note ?? null });
  });
  if (problems.length) refuse('Hazard alert push', problems);
  const r = await setHazardAlerts(tx, changes, source, now);
  return { received: push.items.length, applied: r.written, unchanged: r.unchanged, stale: r.stale };
}
