// The camera register of the demo county (雪亮工程): cameras at seat street crossings,
// key places, along the main roads and at village entrances, and about 5 % of records
// with the defects real registers have. Which record carries which defect is returned
// as a manifest, so the audit can later be checked against it.
import type { Rng } from './random';
import { alongPolyline, heading, polylineLength, type Frame, type XY } from './frame';
import type { AdminSkeleton, Township } from './admin';
import type { RoadNetwork } from './roads';
import type { Place } from './places';
import { convertLonLat } from '../../server/crs';

export type CameraType = 'fixed' | 'dome' | 'ptz';
export type CameraDefect =
  | 'missing_azimuth' | 'duplicate_id' | 'duplicate_position' | 'gcj02_recorded' | 'bd09_recorded'
  | 'malformed_id' | 'outside_county' | 'private_place' | 'incomplete_record';

export interface Camera {
  externalId: string;
  gbId: string;
  name: string;
  /** Where the register says the camera is, in WGS-84 lon/lat (may be wrong: see defects). */
  lonLat: [number, number];
  mountHeightM: number | null;
  azimuthDeg: number | null;
  fovDeg: number;
  rangeM: number;
  cameraType: CameraType;
  smart: boolean;
  networked: boolean;
  status: 'online' | 'offline' | 'faulty';
  lastSeenAt: Date;
  owner: string | null;
  townshipCode: string | null;
  placeIndex: number | null;
  installedOn: string | null;
}

export interface CameraRegister {
  cameras: Camera[];
  defects: { externalId: string; defect: CameraDefect }[];
}

interface Site {
  at: XY;
  azimuth: number;
  kind: 'crossing' | 'place' | 'road' | 'village';
  label: string;
  placeIndex: number | null;
  township: Township | null;
}

const DEFECT_MIX: [CameraDefect, number][] = [
  ['missing_azimuth', 25], ['duplicate_id', 18], ['duplicate_position', 14], ['gcj02_recorded', 15], ['bd09_recorded', 5],
  ['malformed_id', 10], ['outside_county', 3], ['private_place', 5], ['incomplete_record', 5],
];

const norm = (deg: number) => ((deg % 360) + 360) % 360;

export function makeCameras(
  rng: Rng, frame: Frame, admin: AdminSkeleton, net: RoadNetwork, places: Place[], total: number, defectShare: number, endDate: Date,
): CameraRegister {
  const sites: Site[] = [];
  // Street crossings in the seat: 2–5 cameras each, looking down the streets.
  for (const [i, c] of net.intersections.entries()) {
    const n = rng.int(2, 5);
    for (let k = 0; k < n; k++) {
      sites.push({ at: [c.at[0] + rng.uniform(-12, 12), c.at[1] + rng.uniform(-12, 12)], azimuth: norm(c.headings[k % 4]! + rng.uniform(-15, 15)), kind: 'crossing', label: `路口${i + 1}`, placeIndex: null, township: admin.seat });
    }
  }
  // Key places: 1–3 at the entrance, looking out to the street and along it.
  places.forEach((p, i) => {
    if (p.placeType === 'hotel_room' || p.placeType === 'dormitory' || p.placeType === 'changing_room') return;
    const out = heading(p.at, p.entrance);
    const n = ['school', 'kindergarten', 'hospital', 'station', 'market', 'bank', 'government'].includes(p.placeType) ? rng.int(2, 3) : 1;
    for (let k = 0; k < n; k++) {
      sites.push({ at: [p.entrance[0] + rng.uniform(-5, 5), p.entrance[1] + rng.uniform(-5, 5)], azimuth: norm(out + (k === 0 ? 0 : k === 1 ? 90 : -90) + rng.uniform(-20, 20)), kind: 'place', label: p.name, placeIndex: i, township: p.township });
    }
  });
  // Main roads: every 1.5–4 km, looking along the road.
  for (const road of net.roads.filter((r) => r.roadClass === 'national' || r.roadClass === 'provincial' || r.roadClass === 'county')) {
    const len = polylineLength(road.points);
    for (let d = rng.uniform(300, 1500); d < len; d += rng.uniform(1500, 4000)) {
      const { at, headingDeg } = alongPolyline(road.points, d);
      sites.push({ at, azimuth: norm(headingDeg + (rng.chance(0.5) ? 0 : 180)), kind: 'road', label: road.name.replace(/\(.*\)/, ''), placeIndex: null, township: admin.locate(at)?.township ?? null });
    }
  }
  // Village entrances (村口) and community gates.
  for (const t of admin.townships) {
    for (const v of t.villages) {
      const n = v.isCommunity ? rng.int(2, 4) : rng.int(1, 2);
      for (let k = 0; k < n; k++) {
        sites.push({ at: [v.centre[0] + rng.uniform(-80, 80), v.centre[1] + rng.uniform(-80, 80)], azimuth: rng.uniform(0, 360), kind: 'village', label: `${v.name}${v.isCommunity ? '小区门口' : '村口'}`, placeIndex: null, township: t });
      }
    }
  }
  // Keep the mix but fit the register size: crossings and places first, as real rollouts do.
  const order = { crossing: 0, place: 1, road: 2, village: 3 } as const;
  rng.shuffle(sites);
  sites.sort((a, b) => order[a.kind] - order[b.kind]);
  const quota = { crossing: Math.round(total * 0.32), place: Math.round(total * 0.36), road: Math.round(total * 0.12), village: total };
  const chosen: Site[] = [];
  const used = { crossing: 0, place: 0, road: 0, village: 0 };
  for (const s of sites) {
    if (chosen.length >= total) break;
    if (used[s.kind] >= quota[s.kind]) continue;
    used[s.kind]++;
    chosen.push(s);
  }
  for (let i = 0; chosen.length < total; i++) chosen.push({ ...sites[i % sites.length]!, at: [sites[i % sites.length]!.at[0] + rng.uniform(-40, 40), sites[i % sites.length]!.at[1] + rng.uniform(-40, 40)] });

  const serialByUnit = new Map<string, number>();
  const cameras: Camera[] = chosen.map((s, i) => {
    const cameraType: CameraType = s.kind === 'village' ? (rng.chance(0.6) ? 'dome' : 'fixed') : s.kind === 'crossing' ? (rng.chance(0.2) ? 'ptz' : 'fixed') : rng.chance(0.15) ? 'dome' : 'fixed';
    const unit = String(s.township ? admin.townships.indexOf(s.township) + 1 : 0).padStart(2, '0');
    const serial = (serialByUnit.get(unit) ?? 0) + 1;
    serialByUnit.set(unit, serial);
    const industry = s.kind === 'road' ? '04' : s.kind === 'village' ? '01' : '00';
    const networkId = s.kind === 'place' && rng.chance(0.4) ? '8' : '0';
    const gbId = `${admin.countyCode.slice(0, 6)}${unit}${industry}${rng.chance(0.85) ? '132' : '131'}${networkId}${String(serial).padStart(6, '0')}`;
    const statusDraw = rng.random();
    const status = statusDraw < 0.9 ? 'online' : statusDraw < 0.96 ? 'offline' : 'faulty';
    const lastSeenAt = new Date(endDate.getTime() - (status === 'online' ? rng.uniform(0, 10) * 60_000 : rng.uniform(1, 40) * 86_400_000));
    const owner = s.kind === 'road' ? '县交警大队' : s.kind === 'crossing' ? '县公安局' : s.kind === 'village' ? `${s.township?.name ?? ''}综治中心` : places[s.placeIndex!]!.name;
    const installed = new Date(Date.UTC(2016 + rng.int(0, 9), rng.int(0, 11), rng.int(1, 28)));
    return {
      externalId: `demo-cam-${String(i + 1).padStart(5, '0')}`,
      gbId,
      name: `${s.label}${cameraType === 'fixed' ? '枪机' : cameraType === 'dome' ? '球机' : '云台'}${String(i + 1).padStart(4, '0')}`,
      lonLat: frame.toLonLat(s.at),
      mountHeightM: Math.round(rng.uniform(3, 12) * 10) / 10,
      azimuthDeg: cameraType === 'fixed' ? Math.round(s.azimuth * 10) / 10 : null,
      fovDeg: cameraType === 'fixed' ? rng.int(45, 95) : 360,
      rangeM: cameraType === 'fixed' ? rng.int(40, s.kind === 'road' ? 150 : 110) : cameraType === 'dome' ? rng.int(30, 60) : rng.int(80, 200),
      cameraType,
      smart: rng.chance(s.kind === 'crossing' ? 0.5 : 0.2),
      networked: rng.chance(0.95),
      status,
      lastSeenAt,
      owner,
      townshipCode: s.township?.code ?? null,
      placeIndex: s.placeIndex,
      installedOn: installed.toISOString().slice(0, 10),
    };
  });

  // Register defects, on distinct cameras.
  const defects: { externalId: string; defect: CameraDefect }[] = [];
  const nDefects = Math.round(total * defectShare);
  const victims = rng.shuffle(cameras.map((_, i) => i)).slice(0, nDefects);
  const mixTotal = DEFECT_MIX.reduce((a, [, w]) => a + w, 0);
  const privatePlaces = places.map((p, i) => ({ p, i })).filter(({ p }) => ['hotel_room', 'dormitory', 'changing_room'].includes(p.placeType));
  let cursor = 0;
  for (const [defect, weight] of DEFECT_MIX) {
    const n = Math.round((nDefects * weight) / mixTotal);
    for (let k = 0; k < n && cursor < victims.length; k++) {
      const cam = cameras[victims[cursor++]!]!;
      const other = cameras[(victims[cursor - 1]! + 7) % cameras.length]!;
      switch (defect) {
        case 'missing_azimuth': cam.cameraType = 'fixed'; cam.fovDeg = Math.min(cam.fovDeg, 90); cam.azimuthDeg = null; break;
        case 'duplicate_id': cam.gbId = other.gbId; break;
        case 'duplicate_position': cam.lonLat = [...other.lonLat]; break;
        case 'gcj02_recorded': cam.lonLat = convertLonLat(cam.lonLat, 'wgs84', 'gcj02'); break;
        case 'bd09_recorded': cam.lonLat = convertLonLat(cam.lonLat, 'wgs84', 'bd09'); break;
        case 'malformed_id': cam.gbId = rng.chance(0.5) ? cam.gbId.slice(0, 19) : `${cam.gbId.slice(0, 10)}ZZ${cam.gbId.slice(12)}`; break;
        case 'outside_county': {
          const edge = admin.ring[rng.int(0, admin.ring.length - 2)]!;
          const out = 1 + rng.uniform(0.15, 0.35);
          cam.lonLat = frame.toLonLat([edge[0] * out, edge[1] * out]);
          break;
        }
        case 'private_place': {
          const { p, i } = rng.pick(privatePlaces);
          cam.placeIndex = i;
          cam.lonLat = frame.toLonLat(p.at);
          cam.name = `${p.name}内部摄像机`;
          cam.owner = p.name.replace(/\d+客房|学生宿舍|更衣室/, '');
          break;
        }
        case 'incomplete_record': cam.owner = null; cam.installedOn = null; cam.mountHeightM = null; break;
      }
      defects.push({ externalId: cam.externalId, defect });
    }
  }
  return { cameras, defects };
}
