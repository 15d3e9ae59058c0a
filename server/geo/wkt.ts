// GeoJSON geometry → (E)WKT, with every position passed through a transform. Used by the
// importer (source CRS → WGS-84) and the exporter (WGS-84 → the requested CRS).
import type { Geometry, Position } from 'geojson';

export type XYTransform = (x: number, y: number) => [number, number];

const DECIMALS = 1e8; // ~1 mm in degrees; metres keep 8 decimals too

const num = (v: number) => Math.round(v * DECIMALS) / DECIMALS;

export function geometryToWkt(g: Geometry, transform: XYTransform, checkPosition?: (out: [number, number], input: Position) => void): string {
  const pt = (p: Position): string => {
    const [x, y] = p as [number, number];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`coordinate is not a number: [${p.join(', ')}]`);
    const out = transform(x, y);
    checkPosition?.(out, p);
    return `${num(out[0])} ${num(out[1])}`;
  };
  const ring = (r: Position[]) => `(${r.map(pt).join(',')})`;
  switch (g.type) {
    case 'Point': return `POINT(${pt(g.coordinates)})`;
    case 'MultiPoint': return `MULTIPOINT(${g.coordinates.map((p) => `(${pt(p)})`).join(',')})`;
    case 'LineString': return `LINESTRING${ring(g.coordinates)}`;
    case 'MultiLineString': return `MULTILINESTRING(${g.coordinates.map(ring).join(',')})`;
    case 'Polygon': return `POLYGON(${g.coordinates.map(ring).join(',')})`;
    case 'MultiPolygon': return `MULTIPOLYGON(${g.coordinates.map((poly) => `(${poly.map(ring).join(',')})`).join(',')})`;
    case 'GeometryCollection': return `GEOMETRYCOLLECTION(${g.geometries.map((c) => geometryToWkt(c, transform, checkPosition)).join(',')})`;
  }
}

/** The same geometry with every position transformed (for GeoJSON output). */
export function transformGeometry(g: Geometry, transform: XYTransform): Geometry {
  const pt = (p: Position): Position => {
    const [x, y] = transform(p[0]!, p[1]!);
    return [num(x), num(y)];
  };
  switch (g.type) {
    case 'Point': return { type: 'Point', coordinates: pt(g.coordinates) };
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: g.coordinates.map(pt) };
    case 'LineString': return { type: 'LineString', coordinates: g.coordinates.map(pt) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(pt)) };
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(pt)) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((r) => r.map(pt))) };
    case 'GeometryCollection': return { type: 'GeometryCollection', geometries: g.geometries.map((c) => transformGeometry(c, transform)) };
  }
}
