// A local metric frame (metres east/north of the county centre) for generating shapes.
// Equirectangular is exact enough within 30 km for synthetic data; analysis code uses
// PostGIS geography or the county's UTM zone instead.
export type XY = [number, number];

const METRES_PER_DEG_LAT = 110_574;
const METRES_PER_DEG_LON_EQUATOR = 111_320;

export class Frame {
  private readonly mPerDegLon: number;
  constructor(readonly centre: [number, number]) {
    this.mPerDegLon = METRES_PER_DEG_LON_EQUATOR * Math.cos((centre[1] * Math.PI) / 180);
  }
  toLonLat([x, y]: XY): [number, number] {
    return [round7(this.centre[0] + x / this.mPerDegLon), round7(this.centre[1] + y / METRES_PER_DEG_LAT)];
  }
  toXY([lon, lat]: [number, number]): XY {
    return [(lon - this.centre[0]) * this.mPerDegLon, (lat - this.centre[1]) * METRES_PER_DEG_LAT];
  }
}

/** Seven decimals are ~1 cm: enough, and keeps text output short and stable. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

export function dist(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

export function lerp(a: XY, b: XY, t: number): XY {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}

/** Ray-casting point-in-polygon on a single ring. */
export function insideRing(p: XY, ring: readonly XY[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function polylineLength(points: readonly XY[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += dist(points[i - 1]!, points[i]!);
  return total;
}

/** The point at distance `d` along a polyline, and the heading there (degrees, 0 = north, clockwise). */
export function alongPolyline(points: readonly XY[], d: number): { at: XY; headingDeg: number } {
  let remaining = Math.max(0, d);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    const seg = dist(a, b);
    if (remaining <= seg || i === points.length - 1) {
      const t = seg === 0 ? 0 : Math.min(1, remaining / seg);
      return { at: lerp(a, b, t), headingDeg: heading(a, b) };
    }
    remaining -= seg;
  }
  return { at: points[0]!, headingDeg: 0 };
}

export function heading(a: XY, b: XY): number {
  const deg = (Math.atan2(b[0] - a[0], b[1] - a[1]) * 180) / Math.PI;
  return (deg + 360) % 360;
}
