// The hexagon lattice of the map's incident bins, shared by the server (which bins in SQL)
// and the client (which draws the bins): no imports, so a client module may use it too.
//
// Orientation and planar space (the client must draw the same shape):
// - FLAT-TOP hexagons (a vertex due east and one due west, flat edges at top and bottom),
//   laid out in Web Mercator (EPSG:3857) metres: x = R·λ, y = R·ln tan(π/4 + φ/2), R = 6378137.
// - The lattice is anchored at the Mercator origin (0, 0) (lon 0, lat 0), a constant, so a
//   bin never moves while the view pans; the circumradius S (Mercator metres) comes from a
//   fixed ladder S_k = LADDER_BASE_M · 2^(−k/2), so cache keys repeat.
// - Axial coordinates (q, r): centre x = 1.5·S·q, y = √3·S·(r + q/2).
// - On the ground a Mercator length shrinks by cos φ, so `sizeM` (the circumradius in ground
//   metres) is S·cos φc at the latitude φc of the snapped view's centre. deck.gl's ColumnLayer
//   with diskResolution 6, angle HEX_ANGLE_DEG and radius sizeM (radiusUnits 'meters') puts its
//   first vertex due east, i.e. draws this same flat-top hexagon; across one view the true
//   size differs from sizeM by the change of cos φ over the view's latitudes (±0.2 % over the
//   demo county, ±1.5 % over a whole-province view at zoom 8).
// - A hexagon is about 13 px vertex to vertex (11.3 px flat to flat) at whole zooms (the ladder
//   has two rungs a zoom level: 10.9–15.5 px at any zoom), coarser when the view would hold more
//   than the bin bound (LIMITS.mapBins) lattice cells.

/** Which way the hexagons point: a vertex east and west, flat edges north and south. */
export const HEX_ORIENTATION = 'flat-top' as const;
/** deck.gl ColumnLayer `angle` (degrees) that draws the lattice's hexagons with diskResolution 6. */
export const HEX_ANGLE_DEG = 0;
/** Web Mercator's sphere radius (EPSG:3857), metres. */
export const MERCATOR_R = 6_378_137;
/** Web Mercator metres per screen pixel at zoom 0 (maplibre's 512-px tiles). */
export const MERCATOR_M_PER_PX_Z0 = (2 * Math.PI * MERCATOR_R) / 512;
/** Circumradius in screen pixels at the rung of a whole zoom: 13 px vertex to vertex. */
export const HEX_RADIUS_PX = 6.5;
/** Rung 0's circumradius, Mercator metres; rung k is LADDER_BASE_M · 2^(−k/2). */
export const LADDER_BASE_M = HEX_RADIUS_PX * MERCATOR_M_PER_PX_Z0;
/** Mercator's usable latitude (the square world of web maps). */
export const MAX_LAT = 85.0511287798;

export type Bbox = [w: number, s: number, e: number, n: number];

const RAD = Math.PI / 180;
const SQRT3 = Math.sqrt(3);

export const mercX = (lon: number): number => MERCATOR_R * lon * RAD;
export const mercY = (lat: number): number => {
  const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * RAD;
  return MERCATOR_R * Math.log(Math.tan(Math.PI / 4 + phi / 2));
};
export const lonOf = (x: number): number => x / MERCATOR_R / RAD;
export const latOf = (y: number): number => (2 * Math.atan(Math.exp(y / MERCATOR_R)) - Math.PI / 2) / RAD;

/** Circumradius of rung k, Mercator metres. */
export const rungSize = (k: number): number => LADDER_BASE_M * 2 ** (-k / 2);

/** The rung whose hexagons are ~13 px across at `zoom` (two rungs a zoom level). */
export const rungForZoom = (zoom: number): number => Math.round(2 * zoom);

/** Hexagons of circumradius S in a Mercator box of w × h metres (area ratio). */
export const cellsIn = (widthM: number, heightM: number, S: number): number => (widthM * heightM) / ((3 * SQRT3) / 2 * S * S);

export interface SnappedView {
  /** Ladder rung and circumradius in Mercator metres. */
  rung: number;
  mercatorS: number;
  /** Circumradius on the ground at the snapped view's centre latitude, metres (2 decimals). */
  sizeM: number;
  /** The snapped box in lon/lat: the view grown outward to the lattice's columns and rows plus one step. */
  bbox: Bbox;
  /** Lattice cells the snapped box holds (≤ maxBins). */
  cells: number;
}

/**
 * The rung and the box a view is binned with: the rung from the zoom, made coarser until
 * the snapped box holds at most `maxBins` lattice cells; the box grown outward to whole
 * lattice columns (1.5·S) and half rows (√3/2·S), plus one more of each, so that every
 * hexagon whose centre is in the view is counted whole.
 */
export function snapView(bbox: Bbox, zoom: number, maxBins: number): SnappedView {
  const [w, s, e, n] = bbox;
  const x0 = mercX(w), x1 = mercX(e), y0 = mercY(s), y1 = mercY(n);
  let rung = rungForZoom(zoom);
  for (;;) {
    const S = rungSize(rung);
    const cx = 1.5 * S;
    const cy = (SQRT3 / 2) * S;
    const xs = (Math.floor(x0 / cx) - 1) * cx;
    const xe = (Math.ceil(x1 / cx) + 1) * cx;
    const ys = (Math.floor(y0 / cy) - 1) * cy;
    const ye = (Math.ceil(y1 / cy) + 1) * cy;
    const cells = cellsIn(xe - xs, ye - ys, S);
    if (cells <= maxBins || rung < -60) {
      const snapped: Bbox = [lonOf(xs), latOf(ys), lonOf(xe), latOf(ye)];
      const centreLat = latOf((ys + ye) / 2);
      return { rung, mercatorS: S, sizeM: Math.round(S * Math.cos(centreLat * RAD) * 100) / 100, bbox: snapped, cells: Math.ceil(cells) };
    }
    rung -= 1;
  }
}

/**
 * The axial hexagon (q, r) of Mercator point (x, y) for circumradius S: the same arithmetic
 * as server/sql/map/incident-bins.sql (three floors of the cube differences, which pick the
 * nearest lattice centre, ties aside).
 */
export function hexOf(x: number, y: number, S: number): [q: number, r: number] {
  const u = x / S;
  const v = y / (SQRT3 * S);
  const i = Math.floor(u - v);
  const j = Math.floor(2 * v);
  const k = Math.floor(-u - v);
  return [Math.round((i - k) / 3), Math.round((j - i) / 3)];
}

/** The lon/lat centre of hexagon (q, r) of circumradius S. */
export function hexCentre(q: number, r: number, S: number): [lon: number, lat: number] {
  return [lonOf(1.5 * S * q), latOf(SQRT3 * S * (r + q / 2))];
}

/** The six vertices (lon/lat, from due east counter-clockwise) of hexagon (q, r): for drawing as polygons. */
export function hexVertices(q: number, r: number, S: number): [number, number][] {
  const x = 1.5 * S * q;
  const y = SQRT3 * S * (r + q / 2);
  return Array.from({ length: 6 }, (_, i) => [lonOf(x + S * Math.cos((i * Math.PI) / 3)), latOf(y + S * Math.sin((i * Math.PI) / 3))] as [number, number]);
}
