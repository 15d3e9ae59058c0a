// Basemaps: the offline default drawn from the county's own data, and the sources an operator
// may configure (BASEMAPS, the older BASEMAP_URL): XYZ tile templates (a local tile server),
// WMTS in KVP form (天地图 vec_w with its cva_w labels), a PMTiles file served by the app
// itself (/api/tiles/<file>.pmtiles). Also the GCJ-02 arithmetic for sources in that datum
// (Amap/Tencent-style tiles): the map shifts everything it draws to match them.
// No server imports: server/env.ts (validation), proxy.ts (the CSP's tile origins), the server
// pages (the list handed to the map) and the map itself use it.
import { z } from 'zod';
import gcoord from 'gcoord';

/** The built-in basemap: the county's own boundaries, roads and names, nothing fetched. */
export const OFFLINE_ID = 'offline';
/** The id of the source BASEMAP_URL configures. */
export const LEGACY_RASTER_ID = 'raster';

export type BasemapKind = 'offline' | 'xyz' | 'wmts' | 'pmtiles';
export type Datum = 'wgs84' | 'gcj02';

/** A basemap as the map draws it (serialisable: handed from the server page to the client). */
export interface BasemapSource {
  id: string;
  /** Its name in the chooser (Chinese). */
  name: string;
  kind: BasemapKind;
  /** xyz / wmts: tile URL templates ({z} {x} {y}); several are used in turn (subdomains). */
  tiles?: string[];
  /** pmtiles: the file name under PMTILES_DIR. */
  file?: string;
  /** Tiles of labels drawn above the basemap and our data (天地图 cva_w). */
  overlay?: string[];
  /** The datum of the tiles: everything we draw is shifted to it (gcj02) or not (wgs84). */
  crs: Datum;
  attribution?: string;
  /** The deepest zoom the tiles exist at; maplibre stretches them beyond. */
  maxzoom: number;
  tileSize: 256 | 512;
  scheme: 'xyz' | 'tms';
}

export interface BasemapConfig {
  sources: BasemapSource[];
  /** The basemap a page opens with when its link names none. */
  defaultId: string;
}

export const OFFLINE_SOURCE: BasemapSource = { id: OFFLINE_ID, name: '县域底图(离线)', kind: 'offline', crs: 'wgs84', maxzoom: 18, tileSize: 256, scheme: 'xyz' };

// ---------------------------------------------------------------- validation (operators' input)

/** The placeholders maplibre fills in a tile URL. */
const PLACEHOLDERS = new Set(['{z}', '{x}', '{y}', '{prefix}', '{ratio}', '{quadkey}', '{bbox-epsg-3857}']);
/** A PMTiles file name: letters, digits, '.', '_', '-', ending .pmtiles; no folders. */
export const PMTILES_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.pmtiles$/;
const ID = /^[a-z][a-z0-9-]{0,31}$/;

/** Why a tile URL template cannot be used (English, for the start-up error), or null. */
export function templateProblem(t: string): string | null {
  if (/[<>]/.test(t)) return `"${short(t)}" still holds a placeholder in <…>: put the real value (e.g. the 天地图 key) in its place`;
  if (t.includes('{s}')) return `"${short(t)}" uses {s}, which maplibre does not fill: list one URL per subdomain instead ("url": ["http://t0…", "http://t1…"])`;
  const unknown = (t.match(/\{[^}]*\}/g) ?? []).filter((p) => !PLACEHOLDERS.has(p));
  if (unknown.length) return `"${short(t)}" has ${unknown.join(', ')}; the placeholders are {z}, {x}, {y} (or {quadkey}, {bbox-epsg-3857})`;
  const tiled = (t.includes('{z}') && t.includes('{x}') && t.includes('{y}')) || t.includes('{quadkey}') || t.includes('{bbox-epsg-3857}');
  if (!tiled) return `"${short(t)}" has no {z}, {x} and {y}: it must be a tile template such as http://tiles.local/{z}/{x}/{y}.png`;
  if (t.startsWith('/') && !t.startsWith('//')) return null; // same origin (a tile server behind this app's reverse proxy)
  const u = parsedUrl(t.replace(/\{[^}]*\}/g, '0'));
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return `"${short(t)}" is not an http(s) URL (or a path on this server starting with /)`;
  if (t.slice(0, t.indexOf(u.host) + u.host.length).includes('{')) return `"${short(t)}" has a placeholder in the host name: list one URL per host instead`;
  return null;
}

/** Why a WMTS KVP template cannot be used (GetTile with TILEMATRIX={z}&TILEROW={y}&TILECOL={x}), or null. */
export function wmtsProblem(t: string): string | null {
  const q = new Map<string, string>();
  for (const part of t.slice(t.indexOf('?') + 1).split('&')) {
    const i = part.indexOf('=');
    if (i > 0) q.set(part.slice(0, i).toUpperCase(), part.slice(i + 1));
  }
  if (!t.includes('?') || q.get('REQUEST')?.toLowerCase() !== 'gettile') return `"${short(t)}" is not a WMTS KVP GetTile URL (…/wmts?SERVICE=WMTS&REQUEST=GetTile&…)`;
  const want: [string, string][] = [['TILEMATRIX', '{z}'], ['TILEROW', '{y}'], ['TILECOL', '{x}']];
  const missing = want.filter(([k, v]) => q.get(k) !== v);
  if (missing.length) return `"${short(t)}" needs ${want.map(([k, v]) => `${k}=${v}`).join('&')}`;
  if (q.get('TILEMATRIXSET')?.toLowerCase() === 'c') return `"${short(t)}" uses TILEMATRIXSET=c (天地图's latitude/longitude grid), which maplibre cannot draw: use the _w layers (TILEMATRIXSET=w, Web Mercator)`;
  return null;
}

function short(t: string): string {
  return t.length > 90 ? `${t.slice(0, 87)}…` : t;
}

function parsedUrl(s: string): URL | null {
  try {
    return new URL(s);
  } catch {
    return null;
  }
}

const Template = z.string().trim().min(1, { message: 'is empty' }).superRefine((t, ctx) => {
  const p = templateProblem(t);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});
const Templates = z.union([Template, z.array(Template).min(1, { message: 'lists no URL' }).max(8, { message: 'lists more than 8 URLs' })]).transform((v) => (Array.isArray(v) ? v : [v]));

/** One entry of BASEMAPS as an operator writes it. */
export const BasemapEntrySchema = z
  .object({
    id: z.string().regex(ID, { message: 'must be 1–32 lowercase letters, digits or "-", starting with a letter (it goes into ?basemap=<id>)' }),
    name: z.string().trim().min(1, { message: 'is empty: give the name the chooser shows (e.g. 天地图矢量)' }).max(20, { message: 'is longer than 20 characters' }),
    kind: z.enum(['xyz', 'wmts', 'pmtiles'], { message: 'must be "xyz", "wmts" or "pmtiles"' }),
    url: Templates.optional(),
    file: z.string().regex(PMTILES_FILE, { message: 'must be a file name in PMTILES_DIR ending .pmtiles (letters, digits, ".", "_", "-"; no folders)' }).optional(),
    crs: z.enum(['wgs84', 'gcj02'], { message: 'must be "wgs84" (天地图, OSM, most local servers) or "gcj02" (高德/腾讯-style tiles)' }).default('wgs84'),
    attribution: z.string().trim().max(200, { message: 'is longer than 200 characters' }).optional(),
    overlay: Templates.optional(),
    maxzoom: z.number({ message: 'must be a whole number' }).int({ message: 'must be a whole number' }).min(1, { message: 'must be 1–22' }).max(22, { message: 'must be 1–22' }).optional(),
    tileSize: z.union([z.literal(256), z.literal(512)], { message: 'must be 256 or 512' }).default(256),
    scheme: z.enum(['xyz', 'tms'], { message: 'must be "xyz" or "tms"' }).default('xyz'),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.kind === 'pmtiles') {
      if (!e.file) ctx.addIssue({ code: 'custom', path: ['file'], message: 'is required for kind "pmtiles" (a file name in PMTILES_DIR)' });
      if (e.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is not used by kind "pmtiles": name the file with "file"' });
    } else {
      if (!e.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for kind "${e.kind}" (a tile URL template)` });
      if (e.file) ctx.addIssue({ code: 'custom', path: ['file'], message: `is only for kind "pmtiles"` });
      if (e.kind === 'wmts') {
        for (const t of e.url ?? []) {
          const p = wmtsProblem(t);
          if (p) ctx.addIssue({ code: 'custom', path: ['url'], message: p });
        }
      }
    }
  });
export type BasemapEntry = z.infer<typeof BasemapEntrySchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** BASEMAPS: a JSON list of entries, checked one by one; the first problem as one sentence. */
export function parseBasemaps(raw: string): Parsed<BasemapEntry[]> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, message: `is not valid JSON (${err instanceof Error ? err.message : String(err)}); it must be a list such as [{"id":"tiles","name":"本地瓦片","kind":"xyz","url":"http://tiles.local/{z}/{x}/{y}.png"}]` };
  }
  if (!Array.isArray(json)) return { ok: false, message: 'must be a JSON list ([…]) of basemaps' };
  if (json.length > 20) return { ok: false, message: `lists ${json.length} basemaps; at most 20` };
  const out: BasemapEntry[] = [];
  const seen = new Set<string>([OFFLINE_ID]);
  for (const [i, item] of json.entries()) {
    const r = BasemapEntrySchema.safeParse(item);
    const id = typeof (item as { id?: unknown } | null)?.id === 'string' ? ` ("${(item as { id: string }).id}")` : '';
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.join('.')} ` : '';
      return { ok: false, message: `entry ${i + 1}${id}: ${where}${issue.message}` };
    }
    if (seen.has(r.data.id)) return { ok: false, message: `entry ${i + 1}${id}: the id is used twice${r.data.id === OFFLINE_ID ? ` ("${OFFLINE_ID}" is the built-in offline basemap)` : ''}` };
    seen.add(r.data.id);
    out.push(r.data);
  }
  return { ok: true, value: out };
}

let memo: { raw: string; parsed: Parsed<BasemapEntry[]> } | null = null;
/** parseBasemaps, remembered for the last text (the env is read per request). */
export function parseBasemapsCached(raw: string): Parsed<BasemapEntry[]> {
  if (memo?.raw !== raw) memo = { raw, parsed: parseBasemaps(raw) };
  return memo.parsed;
}

/** What the basemap settings of the environment give: every source and the default. */
export function basemapConfig(env: { BASEMAP_URL?: string; BASEMAPS?: BasemapEntry[]; BASEMAP_DEFAULT?: string }): BasemapConfig {
  const sources: BasemapSource[] = [OFFLINE_SOURCE];
  if (env.BASEMAP_URL) sources.push({ id: LEGACY_RASTER_ID, name: '栅格底图', kind: 'xyz', tiles: [env.BASEMAP_URL], crs: 'wgs84', maxzoom: 18, tileSize: 256, scheme: 'xyz' });
  for (const e of env.BASEMAPS ?? []) {
    sources.push({
      id: e.id,
      name: e.name,
      kind: e.kind,
      ...(e.url ? { tiles: e.url } : {}),
      ...(e.file ? { file: e.file } : {}),
      ...(e.overlay ? { overlay: e.overlay } : {}),
      ...(e.attribution ? { attribution: e.attribution } : {}),
      crs: e.crs,
      maxzoom: e.maxzoom ?? 18,
      tileSize: e.tileSize,
      scheme: e.scheme,
    });
  }
  // BASEMAP_URL alone keeps its old behaviour: the raster is on from the start
  const defaultId = env.BASEMAP_DEFAULT ?? (env.BASEMAP_URL ? LEGACY_RASTER_ID : OFFLINE_ID);
  return { sources, defaultId };
}

/** The ids BASEMAP_DEFAULT may name, given the other settings. */
export function basemapIds(env: { BASEMAP_URL?: string; BASEMAPS?: BasemapEntry[] }): string[] {
  return basemapConfig(env).sources.map((s) => s.id);
}

/** The origin (scheme://host[:port]) of an http(s) URL or tile template, or undefined (relative, other schemes). */
export function templateOrigin(t: string): string | undefined {
  const u = parsedUrl(t.replace(/\{[^}]*\}/g, '0'));
  return u && (u.protocol === 'http:' || u.protocol === 'https:') ? u.origin : undefined;
}

/**
 * Every origin the configured basemaps load tiles from (for the Content-Security-Policy).
 * Read from the raw environment; a BASEMAPS that does not parse adds nothing (start-up refuses it).
 */
export function basemapOrigins(env: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  const add = (t: string | undefined) => {
    const o = t ? templateOrigin(t) : undefined;
    if (o) out.add(o);
  };
  add(env.BASEMAP_URL?.trim());
  const raw = env.BASEMAPS?.trim();
  if (raw) {
    const parsed = parseBasemapsCached(raw);
    if (parsed.ok) for (const e of parsed.value) for (const t of [...(e.url ?? []), ...(e.overlay ?? [])]) add(t);
  }
  return [...out].sort();
}

// ---------------------------------------------------------------- GCJ-02

export type LonLat = [number, number];
export type BBox = [number, number, number, number];

export function wgsToGcj(p: LonLat): LonLat {
  const r = gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as number[];
  return [r[0]!, r[1]!];
}

export function gcjToWgs(p: LonLat): LonLat {
  const r = gcoord.transform([p[0], p[1]], gcoord.GCJ02, gcoord.WGS84) as number[];
  return [r[0]!, r[1]!];
}

/** A WGS-84 bbox in GCJ-02 (the envelope of its converted corners), or back. */
export function bboxTo(b: BBox, to: (p: LonLat) => LonLat): BBox {
  const c = [to([b[0], b[1]]), to([b[2], b[1]]), to([b[2], b[3]]), to([b[0], b[3]])];
  return [Math.min(...c.map((p) => p[0])), Math.min(...c.map((p) => p[1])), Math.max(...c.map((p) => p[0])), Math.max(...c.map((p) => p[1]))];
}

/**
 * The GCJ-02 offset over a region as an affine function of position, fitted by least squares
 * to the exact offsets (gcoord) on a grid over the region: offset(p) ≈ [a0 + a1·u + a2·v,
 * b0 + b1·u + b2·v] with u, v the degrees from `origin`. For a small view it is the tangent
 * of the offset; for the whole county it spreads the error instead of letting it grow away
 * from the centre. deck.gl applies it as each layer's modelMatrix (gcjModelMatrix).
 */
export interface GcjFit {
  origin: LonLat;
  lon: [number, number, number];
  lat: [number, number, number];
}

export const NO_SHIFT: GcjFit = { origin: [0, 0], lon: [0, 0, 0], lat: [0, 0, 0] };

/** The offset the fit predicts at a point (degrees). */
export function fitOffset(f: GcjFit, p: LonLat): LonLat {
  const u = p[0] - f.origin[0];
  const v = p[1] - f.origin[1];
  return [f.lon[0] + f.lon[1] * u + f.lon[2] * v, f.lat[0] + f.lat[1] * u + f.lat[2] * v];
}

/** Fits the offset over `region` (WGS-84) on an n×n grid; `mode: 'translation'` keeps only the offset at its centre. */
export function fitGcj(region: BBox, opts: { n?: number; mode?: 'affine' | 'translation' } = {}): GcjFit {
  const origin: LonLat = [(region[0] + region[2]) / 2, (region[1] + region[3]) / 2];
  const at = (p: LonLat): LonLat => {
    const g = wgsToGcj(p);
    return [g[0] - p[0], g[1] - p[1]];
  };
  if (opts.mode === 'translation') {
    const o = at(origin);
    return { origin, lon: [o[0], 0, 0], lat: [o[1], 0, 0] };
  }
  const n = Math.max(2, opts.n ?? 9);
  const hw = (region[2] - region[0]) / 2;
  const hh = (region[3] - region[1]) / 2;
  // normal equations of [1, u, v] · coefficients = offset, for both components
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const bx = [0, 0, 0];
  const by = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const u = (2 * i / (n - 1) - 1) * hw;
      const v = (2 * j / (n - 1) - 1) * hh;
      const o = at([origin[0] + u, origin[1] + v]);
      const r = [1, u, v];
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) A[a]![b]! += r[a]! * r[b]!;
        bx[a]! += r[a]! * o[0];
        by[a]! += r[a]! * o[1];
      }
    }
  }
  // a degenerate region (a point, a line) fits the offset and whatever slope it can see
  const lon = solve3(A, bx);
  const lat = solve3(A, by);
  if (!lon || !lat) {
    const o = at(origin);
    return { origin, lon: [o[0], 0, 0], lat: [o[1], 0, 0] };
  }
  return { origin, lon, lat };
}

function solve3(A: number[][], b: number[]): [number, number, number] | null {
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let i = 0; i < 3; i++) {
    let p = i;
    for (let k = i + 1; k < 3; k++) if (Math.abs(M[k]![i]!) > Math.abs(M[p]![i]!)) p = k;
    if (Math.abs(M[p]![i]!) < 1e-18) return null;
    [M[i], M[p]] = [M[p]!, M[i]!];
    for (let k = 0; k < 3; k++) {
      if (k === i) continue;
      const f = M[k]![i]! / M[i]![i]!;
      for (let j = i; j < 4; j++) M[k]![j]! -= f * M[i]![j]!;
    }
  }
  return [M[0]![3]! / M[0]![0]!, M[1]![3]! / M[1]![1]!, M[2]![3]! / M[2]![2]!];
}

const M_PER_DEG_LAT = 110_574;
const mPerDegLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

/**
 * The 4×4 model matrix (column-major, as deck.gl takes it) that moves a layer's positions by
 * the fitted GCJ-02 offset, for the layer's coordinate system: 'lnglat'/'default' (degrees),
 * 'lnglat-offsets' (degrees from coordinateOrigin), 'meter-offsets' (metres east/north of
 * coordinateOrigin). null for 'cartesian' (not geographic: left alone). deck.gl applies it to
 * the position before projecting (shaderlib/project: project_position), so it moves by
 * degrees on the map. A layer's own modelMatrix is applied first.
 */
export function gcjModelMatrix(f: GcjFit, coordinateSystem: string | undefined, coordinateOrigin?: readonly number[], own?: ArrayLike<number> | null): number[] | null {
  const [a0, a1, a2] = f.lon;
  const [b0, b1, b2] = f.lat;
  let m: number[];
  const cs = coordinateSystem ?? 'default';
  if (cs === 'default' || cs === 'lnglat') {
    // p' = p + offset(p) = (I + A)·p + (offset(origin) − A·origin)
    const [x0, y0] = f.origin;
    m = mat(1 + a1, a2, b1, 1 + b2, a0 - a1 * x0 - a2 * y0, b0 - b1 * x0 - b2 * y0);
  } else if (cs === 'lnglat-offsets' || cs === 'meter-offsets') {
    const o: LonLat = [coordinateOrigin?.[0] ?? 0, coordinateOrigin?.[1] ?? 0];
    const [tx, ty] = fitOffset(f, o);
    if (cs === 'lnglat-offsets') {
      m = mat(1 + a1, a2, b1, 1 + b2, tx, ty);
    } else {
      const kx = mPerDegLon(o[1]);
      const ky = M_PER_DEG_LAT;
      m = mat(1 + a1, (a2 * kx) / ky, (b1 * ky) / kx, 1 + b2, tx * kx, ty * ky);
    }
  } else {
    return null;
  }
  return own && own.length === 16 ? multiply(m, Array.from(own)) : m;
}

/** x' = m00·x + m01·y + tx, y' = m10·x + m11·y + ty, z unchanged; column-major. */
function mat(m00: number, m01: number, m10: number, m11: number, tx: number, ty: number): number[] {
  return [m00, m10, 0, 0, m01, m11, 0, 0, 0, 0, 1, 0, tx, ty, 0, 1];
}

/** a·b for column-major 4×4 matrices. */
function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(16).fill(0);
  for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r]! += a[k * 4 + r]! * b[c * 4 + k]!;
  return out;
}

/** A position through a column-major model matrix (as the shader does). */
export function applyMatrix(m: readonly number[], p: readonly number[]): [number, number, number] {
  const [x, y, z = 0] = p as [number, number, number?];
  return [m[0]! * x + m[4]! * y + m[8]! * z + m[12]!, m[1]! * x + m[5]! * y + m[9]! * z + m[13]!, m[2]! * x + m[6]! * y + m[10]! * z + m[14]!];
}

/** Metres between two WGS-84 positions (equirectangular: fine over a county). */
export function metresBetween(a: LonLat, b: LonLat): number {
  const lat = (a[1] + b[1]) / 2;
  return Math.hypot((a[0] - b[0]) * mPerDegLon(lat), (a[1] - b[1]) * M_PER_DEG_LAT);
}

/** Ground metres per screen pixel at a zoom (512-px world, as maplibre) and latitude. */
export function metresPerPixel(zoom: number, lat: number): number {
  return (40_075_016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}

type Coords = number | Coords[];
function mapCoords(c: Coords[], to: (p: LonLat) => LonLat): Coords[] {
  if (typeof c[0] === 'number') {
    const [x, y] = to([c[0], c[1] as number]);
    return [x, y, ...c.slice(2)];
  }
  return c.map((x) => mapCoords(x as Coords[], to));
}

/** A GeoJSON geometry with every position converted (a new object; the input is left as it is). */
export function convertGeometry<G extends { type: string }>(g: G, to: (p: LonLat) => LonLat): G {
  if (!g) return g;
  if (g.type === 'GeometryCollection') {
    const gc = g as unknown as { geometries: { type: string }[] };
    return { ...g, geometries: gc.geometries.map((x) => convertGeometry(x, to)) };
  }
  const coords = (g as unknown as { coordinates?: Coords[] }).coordinates;
  return coords ? { ...g, coordinates: mapCoords(coords, to) } : g;
}

/** A feature collection with every position converted (new objects; properties shared). */
export function convertCollection<F extends { features: { geometry: { type: string } | null }[] }>(fc: F, to: (p: LonLat) => LonLat): F {
  return { ...fc, features: fc.features.map((f) => ({ ...f, geometry: f.geometry && convertGeometry(f.geometry, to) })) };
}
