// What the command-centre wall's panels show (/screen), read in one transaction under the
// display's scope: today's incidents against the same weekday last week, handling progress
// with overdue and major incidents, camera 在线率 over the day, hazard alerts, patrol teams
// on duty, the latest incidents. The 平安指数 ranking comes separately (a heavy, cached read).
import { many, one, sql } from '../../db/index';
import type { Tx } from '../../db/scope';
import { chinaDateOf, chinaDay, chinaHour } from '../../../lib/china-time';
import categories from '../../../geodata/dictionaries/incident-categories.json';

const TOP = (categories as { code: string; name: string; parent: string | null }[]).filter((c) => c.parent === null);

export interface WallPanels {
  now: string;
  today: string;
  incidents: {
    total: number;
    lastWeek: number;
    byCategory: { code: string; name: string; today: number; lastWeek: number }[];
    byHour: { hour: number; today: number | null; lastWeek: number }[];
  };
  progress: {
    statuses: Record<string, number>;
    overdueCount: number;
    overdue: { id: string; occurred_at: string; category: string; township: string | null; status: string; summary: string | null }[];
    major: { id: string; occurred_at: string; category: string; township: string | null; status: string; reported_at: string | null }[];
  };
  cameras: { total: number; online: number; faulty: number; rate: number | null; effectiveView: number; hours: { hour: number; rate: number | null }[] };
  hazards: { id: number; name: string; hazard_type: string; type_name: string; level: 'blue' | 'yellow' | 'orange' | 'red'; starts_at: Date; threatened_people: number | null; threatened_households: number | null; township: string | null; lon: number; lat: number }[];
  patrols: { id: number; name: string; township: string | null; recorded_at: Date | null; speed_kmh: number | null; lon: number | null; lat: number | null }[];
  feed: { id: string; occurred_at: Date; category_code: string; category: string; severity: string; status: string; summary: string | null; township: string | null; lon: number; lat: number }[];
}

export async function wallPanels(tx: Tx, nowMs = Date.now()): Promise<WallPanels> {
  const now = new Date(nowMs);
  const today = chinaDateOf(now);
  const midnight = chinaDay(today);
  const hourNow = chinaHour(nowMs);
  const counts = await many<{ category: string; today: boolean; hour: number; n: number }>(sql('wall/incidents-today.sql'), [midnight, now], 'counting today\'s incidents', tx);
  const byCategory = TOP.map((c) => ({ code: c.code, name: c.name, today: 0, lastWeek: 0 }));
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, today: hour <= hourNow ? 0 : null as number | null, lastWeek: 0 }));
  let total = 0;
  let lastWeek = 0;
  for (const r of counts) {
    const c = byCategory.find((x) => x.code === r.category);
    const h = byHour[r.hour]!;
    if (r.today) {
      total += r.n;
      if (c) c.today += r.n;
      h.today = (h.today ?? 0) + r.n;
    } else if (r.hour <= hourNow) {
      // the same span of last week's day: up to this hour
      lastWeek += r.n;
      if (c) c.lastWeek += r.n;
      h.lastWeek += r.n;
    } else h.lastWeek += r.n;
  }
  const p = await one<{ statuses: Record<string, number>; overdue_count: number; overdue: WallPanels['progress']['overdue']; major: WallPanels['progress']['major'] }>(
    sql('wall/progress.sql'), [midnight, now], 'reading the handling progress', tx,
  );
  const cam = await one<{ total: number; online: number; faulty: number; effective_view: number; hours: { hour: number; rate: number | null }[] }>(
    sql('wall/cameras.sql'), [midnight, now], 'reading camera status', tx,
  );
  const hazards = await many<WallPanels['hazards'][number]>(sql('wall/hazards.sql'), [], 'reading hazard alerts', tx);
  const patrols = await many<WallPanels['patrols'][number]>(sql('wall/patrols.sql'), [now], 'reading patrol positions', tx);
  const feed = await many<WallPanels['feed'][number]>(sql('wall/feed.sql'), [now], 'reading the latest incidents', tx);
  return {
    now: now.toISOString(),
    today,
    incidents: { total, lastWeek, byCategory, byHour },
    progress: { statuses: p.statuses, overdueCount: p.overdue_count, overdue: p.overdue, major: p.major },
    cameras: { total: cam.total, online: cam.online, faulty: cam.faulty, rate: cam.total ? cam.online / cam.total : null, effectiveView: Number(cam.effective_view), hours: Array.from({ length: 24 }, (_, hour) => ({ hour, rate: cam.hours.find((h) => h.hour === hour)?.rate ?? null })) },
    hazards,
    patrols,
    feed,
  };
}
