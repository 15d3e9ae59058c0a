// Camera status polled from a video aggregation platform (视频汇聚平台) over HTTP: the
// platform's channel list, page by page, mapped to online/offline/faulty per GB/T 28181
// channel id and written as transitions (server/live/changes.ts, source 'platform').
// Contract and mapping in docs/INGEST.md.
//
// A poll reads every page before it writes anything: a page that fails (HTTP error, not
// JSON, no list where the mapping says) fails the poll and nothing is written. Channels the
// register does not know, channels listed twice and status values the mapping does not
// name are not writes: they are counted and reported (the first ten of each), so one odd
// channel does not stop the others' updates. Channels missing from the list keep their status.
import fs from 'node:fs';
import { z } from 'zod';
import { many } from '../db/index';
import { withScope, type Tx } from '../db/scope';
import { systemActor } from '../context';
import { UserError } from '../errors';
import { logger } from '../log';
import { setCameraStatuses, type CameraChange, type CameraStatus } from './changes';

export class PlatformError extends UserError {
  override name = 'PlatformError';
}

const Scalar = z.union([z.string().max(100), z.number(), z.boolean()]);

/** How to read the platform's answer; every field has the default shown in docs/INGEST.md. */
export const PlatformMapping = z.strictObject({
  /** dot path to the array of channels in one page's JSON ("" = the answer is the array) */
  list: z.string().max(200).default('data.list'),
  /** dot path to the number of channels in all pages; absent = keep reading until a short page */
  total: z.string().max(200).nullable().default('data.total'),
  /** channels asked for per page (the URL's {count}) */
  pageSize: z.number().int().min(1).max(10_000).default(200),
  /** first page number (the URL's {page}): 1 for most platforms, 0 for some */
  firstPage: z.number().int().min(0).max(1).default(1),
  /** at most this many pages per poll */
  maxPages: z.number().int().min(1).max(1000).default(100),
  /** field of a channel with its 20-digit GB/T 28181 id (matched to the register's 国标编码) */
  id: z.string().min(1).max(100).default('deviceId'),
  /** field with its status */
  status: z.string().min(1).max(100).default('status'),
  /** values of that field meaning online / offline / faulty (strings compared without case) */
  online: z.array(Scalar).max(20).default(['ON', 1, true]),
  offline: z.array(Scalar).max(20).default(['OFF', 0, false]),
  faulty: z.array(Scalar).max(20).default([]),
  /** field with the time the status changed (ISO 8601 or epoch ms); absent = the poll's time */
  time: z.string().max(100).nullable().default(null),
  /** request headers; "{token}" in a value is replaced by VIDEO_PLATFORM_TOKEN */
  headers: z.record(z.string().max(100), z.string().max(2000)).default({}),
});
export type PlatformMapping = z.infer<typeof PlatformMapping>;

export interface PlatformConfig {
  /** the channel list's URL with {page} and {count} where the page number and size go */
  url: string;
  mapping: PlatformMapping;
  token?: string;
  timeoutMs: number;
}

/** The poller's settings from the environment; null when VIDEO_PLATFORM_URL is not set. */
export function platformConfig(env: Record<string, string | undefined> = process.env): PlatformConfig | null {
  const url = env.VIDEO_PLATFORM_URL?.trim();
  if (!url) return null;
  try {
    new URL(url.replaceAll('{page}', '1').replaceAll('{count}', '1'));
  } catch {
    throw new PlatformError(`VIDEO_PLATFORM_URL is not a URL: ${url}`, `视频汇聚平台地址(VIDEO_PLATFORM_URL)不是有效的网址:${url}`);
  }
  let raw: unknown = {};
  const file = env.VIDEO_PLATFORM_MAPPING?.trim();
  if (file) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new PlatformError(`VIDEO_PLATFORM_MAPPING ${file} cannot be read as JSON: ${(err as Error).message}`, `视频汇聚平台字段映射文件 ${file} 无法读取或不是 JSON。`);
    }
  }
  const m = PlatformMapping.safeParse(raw);
  if (!m.success) {
    throw new PlatformError(
      `VIDEO_PLATFORM_MAPPING ${file}: ${m.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`,
      `视频汇聚平台字段映射文件 ${file} 有误:${m.error.issues.map((i) => i.path.join('.') || '(文件)').join('、')}。`,
    );
  }
  return { url, mapping: m.data, token: env.VIDEO_PLATFORM_TOKEN, timeoutMs: Number(env.VIDEO_PLATFORM_TIMEOUT_MS ?? 15_000) };
}

function at(obj: unknown, path: string): unknown {
  if (!path) return obj;
  let v = obj;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export interface ChannelReading {
  gbId: string;
  status: CameraStatus;
  at: Date;
}

export interface PlatformPoll {
  pages: number;
  channels: number;
  readings: ChannelReading[];
  /** channels whose status value the mapping does not name: count and the first ten */
  unmapped: { count: number; examples: { gbId: string; value: string }[] };
  /** channels without a usable id */
  noId: number;
  /** channel ids listed more than once (the last reading is kept) */
  repeated: number;
}

/** Reads every page of the channel list; throws PlatformError (nothing read counts) when one fails. */
export async function readPlatform(cfg: PlatformConfig, now = new Date(), signal?: AbortSignal): Promise<PlatformPoll> {
  const m = cfg.mapping;
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(m.headers)) headers[k] = v.replaceAll('{token}', cfg.token ?? '');
  const statusOf = new Map<unknown, CameraStatus>();
  for (const [list, s] of [[m.online, 'online'], [m.offline, 'offline'], [m.faulty, 'faulty']] as const) for (const v of list) statusOf.set(norm(v), s);
  const byId = new Map<string, ChannelReading>();
  const out: PlatformPoll = { pages: 0, channels: 0, readings: [], unmapped: { count: 0, examples: [] }, noId: 0, repeated: 0 };
  let total: number | null = null;
  for (let page = m.firstPage; out.pages < m.maxPages; page++) {
    const url = cfg.url.replaceAll('{page}', String(page)).replaceAll('{count}', String(m.pageSize));
    let body: unknown;
    try {
      const res = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(cfg.timeoutMs)]) : AbortSignal.timeout(cfg.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      const text = await res.text();
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`the answer is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}…)`);
      }
    } catch (err) {
      const why = (err as Error).name === 'TimeoutError' ? `no answer within ${cfg.timeoutMs} ms` : (err as Error).message;
      throw new PlatformError(`Video platform page ${page} (${url}): ${why}`, `读取视频汇聚平台第 ${page} 页失败:${why}`);
    }
    const list = at(body, m.list);
    if (!Array.isArray(list)) {
      throw new PlatformError(`Video platform page ${page} (${url}): no array at "${m.list}" (check the mapping's list)`, `视频汇聚平台第 ${page} 页的应答中,${m.list || '应答本身'} 不是通道列表:请检查字段映射(list)。`);
    }
    out.pages++;
    out.channels += list.length;
    if (m.total) {
      const t = Number(at(body, m.total));
      if (Number.isFinite(t) && t >= 0) total = t;
    }
    for (const ch of list) {
      const id = at(ch, m.id);
      const gbId = typeof id === 'string' || typeof id === 'number' ? String(id).trim() : '';
      if (!gbId) {
        out.noId++;
        continue;
      }
      const value = at(ch, m.status);
      const status = statusOf.get(norm(value));
      if (!status) {
        out.unmapped.count++;
        if (out.unmapped.examples.length < 10) out.unmapped.examples.push({ gbId, value: String(value).slice(0, 40) });
        continue;
      }
      let when = now;
      if (m.time) {
        const t = at(ch, m.time);
        const d = typeof t === 'number' ? new Date(t) : typeof t === 'string' ? new Date(t) : null;
        if (d && !Number.isNaN(d.getTime()) && d.getTime() <= now.getTime()) when = d;
      }
      if (byId.has(gbId)) out.repeated++;
      byId.set(gbId, { gbId, status, at: when });
    }
    if (list.length < m.pageSize || (total !== null && out.channels >= total) || list.length === 0) break;
  }
  out.readings = [...byId.values()];
  return out;
}

export interface PlatformResult extends Omit<PlatformPoll, 'readings'> {
  readings: number;
  /** register cameras matched */
  matched: number;
  /** channel ids not in the register: count and the first ten */
  unknown: { count: number; examples: string[] };
  written: number;
  unchanged: number;
  stale: number;
}

/** Writes a poll's readings in one transaction (source 'platform'). */
export async function applyPlatform(tx: Tx, poll: PlatformPoll, now = Date.now()): Promise<PlatformResult> {
  const ids = poll.readings.map((r) => r.gbId);
  const cams = await many<{ id: number; gb_id: string }>(`SELECT id, gb_id FROM cameras WHERE gb_id = ANY ($1::text[])`, [ids], 'matching channels to cameras', tx);
  const byGb = new Map<string, number[]>();
  for (const c of cams) byGb.set(c.gb_id, [...(byGb.get(c.gb_id) ?? []), c.id]);
  const changes: CameraChange[] = [];
  const unknown: string[] = [];
  for (const r of poll.readings) {
    const cameraIds = byGb.get(r.gbId);
    if (!cameraIds) unknown.push(r.gbId);
    // a channel id the register holds twice (a data error the audit reports) moves both
    else for (const cameraId of cameraIds) changes.push({ cameraId, status: r.status, at: r.at });
  }
  const counts = await setCameraStatuses(tx, changes, 'platform', now);
  const { readings, ...rest } = poll;
  return { ...rest, readings: readings.length, matched: changes.length, unknown: { count: unknown.length, examples: unknown.slice(0, 10) }, ...counts };
}

export const PLATFORM_ACTOR = systemActor('video platform', []);

/** One poll: read every page, then write. */
export async function pollPlatform(cfg: PlatformConfig, signal?: AbortSignal): Promise<PlatformResult> {
  const poll = await readPlatform(cfg, new Date(), signal);
  return withScope(PLATFORM_ACTOR, { attempted: 'writing camera status from the video platform' }, (tx) => applyPlatform(tx, poll));
}

/**
 * Polls every `intervalMs` until stopped (scripts/start.ts, when VIDEO_PLATFORM_URL is set).
 * A failed poll is logged (the first, then every tenth in a row) and retried at the next tick.
 */
export function startPlatformPoller(cfg: PlatformConfig, intervalMs: number): { stop(): Promise<void>; last(): PlatformResult | Error | null } {
  const abort = new AbortController();
  let last: PlatformResult | Error | null = null;
  let failures = 0;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running || abort.signal.aborted) return;
    running = pollPlatform(cfg, abort.signal)
      .then((r) => {
        last = r;
        if (failures > 0) logger.info('platform.poll', { message: `video platform polls work again after ${failures} failure(s)` });
        failures = 0;
        if (r.written || r.unknown.count || r.unmapped.count) {
          logger.info('platform.poll', { message: `video platform: ${r.channels} channels, ${r.written} changes, ${r.unknown.count} not in the register, ${r.unmapped.count} with an unmapped status` });
        }
      })
      .catch((err: Error) => {
        if (abort.signal.aborted) return;
        last = err;
        failures++;
        if (failures === 1 || failures % 10 === 0) logger.warn('platform.poll', { message: `video platform poll failed (${failures}× in a row): ${err.message}` });
      })
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
    last: () => last,
  };
}
