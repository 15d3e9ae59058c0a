// Patrol teams, their planned routes (loops through the seat's streets and around
// township seats) and 14 days of GPS tracks that follow the routes with GPS noise,
// 10–15 minute stops at a few points (Koper-style), and missed shifts.
import type { Rng } from './random';
import type { NameBook } from './names';
import { CHINESE_ORDINALS } from './names';
import { alongPolyline, polylineLength, type Frame, type XY } from './frame';
import type { AdminSkeleton, Township } from './admin';
import type { RoadNetwork } from './roads';
import { bend } from './roads';

export interface Shift {
  start: string; // HH:MM local time
  end: string;
  days: number[]; // ISO weekdays 1..7
}

export interface PatrolTeam {
  name: string;
  township: Township;
  leaderName: string;
  members: number;
}

export interface PatrolRoute {
  externalId: string;
  teamIndex: number;
  name: string;
  schedule: Shift[];
  points: XY[];
  onFoot: boolean;
}

export interface TrackPoint {
  teamIndex: number;
  routeIndex: number;
  deviceId: string;
  recordedAt: Date;
  speedKmh: number;
  lonLat: [number, number];
}

const FIX_INTERVAL_S = 30;
const GPS_NOISE_M = 6;
const LOCAL_UTC_OFFSET_H = 8;

export function makePatrol(rng: Rng, names: NameBook, admin: AdminSkeleton, net: RoadNetwork, counts: { teams: number; routes: number }): { teams: PatrolTeam[]; routes: PatrolRoute[] } {
  const seat = admin.seat;
  const rural = rng.shuffle(admin.townships.filter((t) => !t.isSeat));
  const teams: PatrolTeam[] = [];
  const seatTeams = Math.ceil(counts.teams / 2);
  for (let i = 0; i < counts.teams; i++) {
    const township = i < seatTeams ? seat : rural[(i - seatTeams) % rural.length]!;
    const name = i < seatTeams ? ['城关派出所巡逻一队', '城关派出所巡逻二队', '县特警大队巡逻中队', '县交警大队铁骑中队', '城关镇平安志愿巡防队'][i] ?? `城关巡防${CHINESE_ORDINALS[i]}队` : `${township.name}平安巡防队`;
    teams.push({ name, township, leaderName: names.person(), members: rng.int(4, 12) });
  }

  const { angleDeg, halfWidth, halfHeight, spacing } = net.seatGrid;
  const a = (angleDeg * Math.PI) / 180;
  const rot = (u: number, v: number): XY => [seat.centre[0] + u * Math.cos(a) - v * Math.sin(a), seat.centre[1] + u * Math.sin(a) + v * Math.cos(a)];
  const routes: PatrolRoute[] = [];
  const seatRoutes = Math.round(counts.routes * 0.6);
  for (let i = 0; i < counts.routes; i++) {
    const inSeat = i < seatRoutes;
    const teamIndex = inSeat ? i % seatTeams : seatTeams + ((i - seatRoutes) % (counts.teams - seatTeams));
    const team = teams[teamIndex]!;
    let points: XY[];
    if (inSeat) {
      // A loop around a block of streets: corners snapped to the street grid.
      const cols = Math.floor((2 * halfWidth) / spacing);
      const rows = Math.floor((2 * halfHeight) / spacing);
      const w = rng.int(2, 5);
      const h = rng.int(2, 4);
      const c0 = rng.int(0, cols - w);
      const r0 = rng.int(0, rows - h);
      const u0 = -halfWidth + c0 * spacing;
      const v0 = -halfHeight + r0 * spacing;
      const corners = [rot(u0, v0), rot(u0 + w * spacing, v0), rot(u0 + w * spacing, v0 + h * spacing), rot(u0, v0 + h * spacing), rot(u0, v0)];
      points = corners.slice(1).reduce<XY[]>((acc, c, k) => acc.concat(bend(rng, corners[k]!, c, 0.003).slice(k === 0 ? 0 : 1)), []);
    } else {
      const t = team.township;
      const r = rng.uniform(600, 1300);
      const corners: XY[] = [];
      for (let k = 0; k < 6; k++) {
        const ang = (k / 6) * 2 * Math.PI + rng.uniform(-0.3, 0.3);
        corners.push([t.centre[0] + Math.sin(ang) * r * rng.uniform(0.7, 1.2), t.centre[1] + Math.cos(ang) * r * rng.uniform(0.7, 1.2)]);
      }
      corners.push(corners[0]!);
      points = corners.slice(1).reduce<XY[]>((acc, c, k) => acc.concat(bend(rng, corners[k]!, c, 0.08).slice(k === 0 ? 0 : 1)), []);
    }
    const onFoot = inSeat && rng.chance(0.6);
    const evening: Shift = { start: rng.pick(['19:00', '20:00', '21:00']), end: '', days: [1, 2, 3, 4, 5, 6, 7] };
    evening.end = addHours(evening.start, 2);
    const day: Shift = { start: rng.pick(['09:00', '10:00', '15:00']), end: '', days: rng.chance(0.5) ? [1, 2, 3, 4, 5] : [1, 2, 3, 4, 5, 6, 7] };
    day.end = addHours(day.start, 2);
    routes.push({ externalId: `demo-route-${String(i + 1).padStart(2, '0')}`, teamIndex, name: `${team.name}${inSeat ? '街面' : '集镇'}巡逻路线${CHINESE_ORDINALS[i % 10]}`, schedule: [day, evening], points, onFoot });
  }
  return { teams, routes };
}

function addHours(hhmm: string, h: number): string {
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  return `${String((hh + h) % 24).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/** GPS fixes for every executed shift of every route over the `days` days before `end`. */
export function* trackPoints(rng: Rng, frame: Frame, routes: PatrolRoute[], end: Date, days: number): Generator<TrackPoint> {
  const endDay = Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate());
  for (let d = days; d >= 1; d--) {
    const dayStartUtc = endDay - d * 86_400_000;
    const weekday = ((new Date(dayStartUtc).getUTCDay() + 6) % 7) + 1;
    for (const [routeIndex, route] of routes.entries()) {
      const length = polylineLength(route.points);
      const speedKmh = route.onFoot ? 4.5 : 18;
      const mps = speedKmh / 3.6;
      for (const shift of route.schedule) {
        if (!shift.days.includes(weekday) || rng.chance(0.08)) continue; // a missed shift
        const [hh, mm] = shift.start.split(':').map(Number) as [number, number];
        const startUtc = dayStartUtc + ((hh - LOCAL_UTC_OFFSET_H) * 60 + mm + rng.uniform(-5, 10)) * 60_000;
        const durationS = 2 * 3600 * rng.uniform(0.85, 1.05);
        // Stops of 10–15 minutes at two random points of the loop.
        const stops = [rng.uniform(0, length), rng.uniform(0, length)].sort((x, y) => x - y).map((at) => ({ at, left: rng.uniform(600, 900) }));
        let travelled = rng.uniform(0, length);
        for (let t = 0; t < durationS; t += FIX_INTERVAL_S) {
          const pos = travelled % length;
          const stop = stops.find((s) => s.left > 0 && Math.abs(s.at - pos) < mps * FIX_INTERVAL_S);
          let v = mps * rng.uniform(0.7, 1.3);
          if (stop) {
            stop.left -= FIX_INTERVAL_S;
            v = 0;
          }
          travelled += v * FIX_INTERVAL_S;
          const { at } = alongPolyline(route.points, pos);
          yield {
            teamIndex: route.teamIndex,
            routeIndex,
            deviceId: `PT-${String(route.teamIndex + 1).padStart(2, '0')}-${String(routeIndex + 1).padStart(2, '0')}`,
            recordedAt: new Date(startUtc + t * 1000),
            speedKmh: Math.round(v * 3.6 * 10) / 10,
            lonLat: frame.toLonLat([at[0] + rng.normal() * GPS_NOISE_M, at[1] + rng.normal() * GPS_NOISE_M]),
          };
        }
      }
    }
  }
}
