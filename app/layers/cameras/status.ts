// Camera vocabulary and pure helpers shared by the camera layers: status and type labels,
// status colours, per-status counts, compass words, and which township a point lies in.
import type { Feature, FeatureCollection, Position } from 'geojson';
import type { Rgb } from '../types';

export type CameraStatus = 'online' | 'offline' | 'faulty' | 'unknown';
export const CAMERA_STATUSES: readonly CameraStatus[] = ['online', 'offline', 'faulty', 'unknown'];

export const STATUS_LABEL: Record<CameraStatus, string> = { online: '在线', offline: '离线', faulty: '故障', unknown: '状态未知' };
/**
 * Chosen to differ in lightness as well as hue (a red–green reader still tells them apart):
 * online a blue-leaning green, offline a dark grey, faulty a red; unknown a light grey.
 */
export const STATUS_COLOR: Record<CameraStatus, Rgb> = {
  online: [18, 160, 110],
  offline: [90, 98, 106],
  faulty: [224, 49, 49],
  unknown: [173, 181, 189],
};

export const TYPE_LABEL: Record<string, string> = { dome: '球机', fixed: '枪机', ptz: '云台' };

export function statusOf(s: string | null | undefined): CameraStatus {
  return s === 'online' || s === 'offline' || s === 'faulty' ? s : 'unknown';
}

/** How many cameras have each status; the four counts add up to the number of cameras. */
export function statusCounts(cams: readonly { status: string | null | undefined }[]): Record<CameraStatus, number> {
  const out: Record<CameraStatus, number> = { online: 0, offline: 0, faulty: 0, unknown: 0 };
  for (const c of cams) out[statusOf(c.status)]++;
  return out;
}

const COMPASS = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];

/** "135°(东南)" for an azimuth in degrees clockwise from north; null when unknown. */
export function bearingText(deg: number | null | undefined): string | null {
  if (deg === null || deg === undefined || !Number.isFinite(deg)) return null;
  const d = ((deg % 360) + 360) % 360;
  return `${Math.round(d)}°(${COMPASS[Math.round(d / 45) % 8]})`;
}

function inRing(lon: number, lat: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon: number, lat: number, rings: Position[][]): boolean {
  if (!rings.length || !inRing(lon, lat, rings[0]!)) return false;
  for (let k = 1; k < rings.length; k++) if (inRing(lon, lat, rings[k]!)) return false;
  return true;
}

export function featureContains(f: Feature, lon: number, lat: number): boolean {
  const g = f.geometry;
  if (g?.type === 'Polygon') return inPolygon(lon, lat, g.coordinates);
  if (g?.type === 'MultiPolygon') return g.coordinates.some((p) => inPolygon(lon, lat, p));
  return false;
}

type Box = [number, number, number, number];
function boxOf(f: Feature): Box {
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  const g = f.geometry;
  const polys = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : [];
  for (const p of polys) for (const [x, y] of p[0] ?? []) {
    if (x! < b[0]) b[0] = x!;
    if (y! < b[1]) b[1] = y!;
    if (x! > b[2]) b[2] = x!;
    if (y! > b[3]) b[3] = y!;
  }
  return b;
}

/** A lookup "which area (by its `name` property) holds this point", boxes checked first. */
export function areaLocator(fc: FeatureCollection | undefined): (lon: number, lat: number) => string | null {
  const areas = (fc?.features ?? []).map((f) => ({ f, box: boxOf(f), name: (f.properties?.name as string | undefined) ?? null }));
  return (lon, lat) => {
    for (const a of areas) {
      if (lon < a.box[0] || lon > a.box[2] || lat < a.box[1] || lat > a.box[3]) continue;
      if (featureContains(a.f, lon, lat)) return a.name;
    }
    return null;
  };
}
