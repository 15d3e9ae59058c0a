// Calendar days in China time (UTC+8, no daylight saving), for windows and dates that
// people read. No imports: the page's client code uses it too.
export const CHINA_OFFSET_MS = 8 * 3600_000;
const OFFSET_MS = CHINA_OFFSET_MS;

/** China-time midnight of a YYYY-MM-DD date. */
export const chinaDay = (d: string): Date => new Date(`${d}T00:00:00+08:00`);

/** The China-time calendar day (YYYY-MM-DD) of an instant. */
export const chinaDateOf = (d: Date): string => new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);

/** Today in China time, YYYY-MM-DD. */
export const todayInChina = (): string => chinaDateOf(new Date());

/** The China-time midnight after an instant (the exclusive end of the day it falls in). */
export const nextChinaMidnight = (d: Date): Date => chinaDay(chinaDateOf(new Date(d.getTime() + 86_400_000)));

/** An instant as people read it in China time: "2026-03-01" at midnight, else "2026-03-01 08:30". */
export const chinaTimeText = (d: Date): string => {
  const iso = new Date(d.getTime() + OFFSET_MS).toISOString();
  const hm = iso.slice(11, 16);
  return hm === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${hm}`;
};

/** An instant's China wall-clock time as an ISO string (date at 0–10, HH:MM:SS at 11–19; the 'Z' is not UTC). */
export const chinaIso = (ms: number): string => new Date(ms + OFFSET_MS).toISOString();

/** The hour of day (0–23) of an instant in China time. */
export const chinaHour = (ms: number): number => new Date(ms + OFFSET_MS).getUTCHours();

/** A YYYY-MM-DD date some calendar months earlier (the planner's default windows). */
export function monthsBefore(iso: string, months: number): string {
  const d = new Date(`${iso}T00:00:00Z`); // calendar arithmetic only: UTC keeps the day
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}
