// Pure helpers of the patrol layers (no React, no deck.gl): team colours, shift text, clock
// labels, the day's window, splitting a device's fixes into trips at silences, and where a
// device is at a given second of the day.
import type { Rgb } from '../types';
import { chinaDay } from '@/lib/china-time';

/**
 * A categorical palette for teams: Okabe–Ito's colour-blind-safe hues first, then Paul Tol's
 * muted ones; none too light to read as a line on the pale base map.
 */
export const TEAM_PALETTE: readonly Rgb[] = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
  [204, 121, 167],
  [213, 94, 0],
  [86, 180, 233],
  [136, 34, 85],
  [51, 34, 136],
  [153, 153, 51],
  [68, 170, 153],
];
export const NO_TEAM_COLOR: Rgb = [134, 142, 150];

/** A team's colour, fixed by its id so the route and track layers agree without sharing state. */
export function teamColor(teamId: number | null | undefined): Rgb {
  if (teamId === null || teamId === undefined || !Number.isFinite(teamId)) return NO_TEAM_COLOR;
  const n = TEAM_PALETTE.length;
  return TEAM_PALETTE[(((Math.trunc(teamId) - 1) % n) + n) % n]!;
}

export const DAY_SECONDS = 86_400;
export const LAST_SECOND = DAY_SECONDS - 1;

/** "HH:MM" of a second of the day (clamped to the day). */
export function hhmm(second: number): string {
  const s = Math.min(LAST_SECOND, Math.max(0, Math.floor(Number.isFinite(second) ? second : 0)));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The playback window of a China day: [its midnight, the next midnight), as ISO instants. */
export function dayWindow(day: string): { from: string; to: string } {
  const from = chinaDay(day);
  return { from: from.toISOString(), to: new Date(from.getTime() + DAY_SECONDS * 1000).toISOString() };
}

const WEEKDAY = ['一', '二', '三', '四', '五', '六', '日'];

interface Shift { start: string; end: string; days?: number[] }
function isShift(v: unknown): v is Shift {
  return !!v && typeof v === 'object' && typeof (v as Shift).start === 'string' && typeof (v as Shift).end === 'string';
}

/** "10:00–12:00、20:00–22:00(每天)" from a route's schedule ([{ start, end, days: 1..7 }]); "未排班" when empty. */
export function shiftText(schedule: unknown): string {
  const shifts = Array.isArray(schedule) ? schedule.filter(isShift) : [];
  if (!shifts.length) return '未排班';
  const daysOf = (s: Shift) => {
    const d = [...new Set((s.days ?? []).filter((x) => Number.isInteger(x) && x >= 1 && x <= 7))].sort((a, b) => a - b);
    if (d.length === 0 || d.length === 7) return '每天';
    if (d.join() === '1,2,3,4,5') return '工作日';
    if (d.join() === '6,7') return '周末';
    return `周${d.map((x) => WEEKDAY[x - 1]).join('、')}`;
  };
  // shifts on the same days share one day note
  const groups = new Map<string, string[]>();
  for (const s of shifts) {
    const k = daysOf(s);
    groups.set(k, [...(groups.get(k) ?? []), `${s.start}–${s.end}`]);
  }
  return [...groups].map(([days, times]) => `${times.join('、')}(${days})`).join(';');
}

export interface DeviceTrack { device: string; teamId: number | null; teamName: string | null; path: [number, number][]; times: number[] }
export interface Trip { device: string; teamId: number | null; teamName: string | null; path: [number, number][]; timestamps: number[] }

/** A silence longer than this ends a trip (between shifts the device is off): no line, no head across it. */
export const TRIP_GAP_S = 15 * 60;

/** A device's fixes as trips (at least two fixes each), split where the device fell silent. */
export function splitTrips(t: DeviceTrack, gapS = TRIP_GAP_S): Trip[] {
  const out: Trip[] = [];
  let start = 0;
  const n = Math.min(t.path.length, t.times.length);
  for (let i = 1; i <= n; i++) {
    if (i === n || t.times[i]! - t.times[i - 1]! > gapS) {
      if (i - start >= 2) out.push({ device: t.device, teamId: t.teamId, teamName: t.teamName, path: t.path.slice(start, i), timestamps: t.times.slice(start, i) });
      start = i;
    }
  }
  return out;
}

/**
 * Where a device is at `second` (seconds since the day's start): interpolated between the
 * fixes around it; null before its first fix, after its last, or inside a silence longer
 * than `gapS` (it is off duty there, and a head gliding across would be invented).
 */
export function headAt(t: { path: [number, number][]; times: number[] }, second: number, gapS = TRIP_GAP_S): [number, number] | null {
  const n = Math.min(t.path.length, t.times.length);
  if (n === 0 || second < t.times[0]! || second > t.times[n - 1]!) return null;
  // the last fix at or before `second`
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.times[mid]! <= second) lo = mid;
    else hi = mid - 1;
  }
  if (lo === n - 1) return t.path[lo]!;
  const t0 = t.times[lo]!;
  const t1 = t.times[lo + 1]!;
  if (t1 - t0 > gapS) return null;
  const f = t1 > t0 ? (second - t0) / (t1 - t0) : 0;
  const [x0, y0] = t.path[lo]!;
  const [x1, y1] = t.path[lo + 1]!;
  return [x0 + (x1 - x0) * f, y0 + (y1 - y0) * f];
}

/** Length of a [lon, lat] path in metres (haversine, spherical Earth). */
export function pathLengthM(path: [number, number][]): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  let m = 0;
  for (let i = 1; i < path.length; i++) {
    const [x0, y0] = path[i - 1]!;
    const [x1, y1] = path[i]!;
    const dLat = (y1 - y0) * rad;
    const dLon = (x1 - x0) * rad;
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(y0 * rad) * Math.cos(y1 * rad) * Math.sin(dLon / 2) ** 2;
    m += 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  return m;
}

/** The next second of a playback after `elapsedMs` of real time at `speed` simulated seconds per real second; null at the day's end. */
export function advance(second: number, elapsedMs: number, speed: number): number | null {
  if (second >= LAST_SECOND) return null;
  return Math.min(LAST_SECOND, second + (elapsedMs / 1000) * speed);
}
