// Does the declared coordinate system fit? Chinese county data mixes WGS-84 with GCJ-02
// and BD-09 (offsets of ~300–700 m), and files rarely say which. After staging, a sample
// of the imported positions is tested under each alternative reading: the share that
// falls inside the county, and (where roads are loaded) the median distance to the
// nearest road. When another reading fits clearly better, the report says which.
// A file whose sample lies wholly outside the county is refused (unless the caller allows
// it): then every coordinate system the product knows is tried on the file's own numbers,
// and the refusal names the one that would have put the positions inside.
import type pg from 'pg';
import { convertLonLat, crsLabel, parseCrs, toWgs84, type ChineseCrs, type Crs, type LonLat, type PositionTransform } from '../crs';
import { ImportError } from '../errors';

const SAMPLE = 400;
/** Positions of the file tried under every known coordinate system when nothing fits. */
const SUGGEST_SAMPLE = 50;

export interface ImportWarning {
  en: string;
  zh: string;
}

interface Hypothesis {
  label: string;
  crs: string;
  apply: (p: LonLat) => LonLat;
}

const ZH_NAME: Record<string, string> = { wgs84: 'WGS-84', gcj02: 'GCJ-02(高德/腾讯)', bd09: 'BD-09(百度)' };

function hypotheses(declared: Crs): Hypothesis[] {
  const id: Hypothesis = { label: `as declared (${crsLabel(declared)})`, crs: crsLabel(declared), apply: (p) => p };
  const reread = (actual: ChineseCrs, assumed: ChineseCrs): Hypothesis => ({
    label: actual,
    crs: actual,
    // Staged positions were converted as if `assumed`; undo that, then convert as `actual`.
    apply: (p) => convertLonLat(convertLonLat(p, 'wgs84', assumed), actual, 'wgs84'),
  });
  const kind = declared.kind === 'cgcs2000' ? 'wgs84' : declared.kind;
  if (kind === 'projected') return [id];
  const others = (['wgs84', 'gcj02', 'bd09'] as const).filter((k) => k !== kind);
  return [id, ...others.map((k) => reread(k, kind))];
}

export interface CrsCheckOptions {
  /** Import a file whose sample lies wholly outside the county instead of refusing it. */
  allowOutside?: boolean;
  /** Admin areas define the county: they are never refused for lying outside it. */
  layer: string;
  /** File name, for the refusal. */
  file: string;
  /** Positions as the file writes them (in the declared CRS, x/y in the importer's order). */
  raw: LonLat[];
  /** Rows in the stage (0: no position could be used, the check only suggests a CRS). */
  staged: number;
  /**
   * Every staged position in WGS-84, when the importer knows them all (a stage of at most
   * SAMPLE points, none removed since): then no sample is read back from the stage.
   */
  stagedPoints?: LonLat[] | null;
}

/** The largest stage whose points the importer hands over instead of the stage being sampled. */
export const CRS_SAMPLE = SAMPLE;

interface CountyMeta {
  hasCounty: boolean;
  hasRoads: boolean;
  bbox: [number, number, number, number] | null;
}

async function countyMeta(client: pg.PoolClient, near: LonLat | null): Promise<CountyMeta> {
  const r = await client.query<MetaRow>(
    `SELECT e IS NOT NULL AS has_county,
            ($1::float8 IS NOT NULL AND EXISTS (SELECT 1 FROM roads r WHERE r.geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.05))) AS has_roads,
            ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax
     FROM (SELECT ST_Extent(geom)::geometry AS e FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL) x`,
    [near?.[0] ?? null, near?.[1] ?? null],
  );
  return metaOf(r.rows[0]!);
}

type MetaRow = { has_county: boolean; has_roads: boolean; xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null };

function metaOf(m: MetaRow): CountyMeta {
  return { hasCounty: m.has_county, hasRoads: m.has_roads, bbox: m.has_county ? [m.xmin!, m.ymin!, m.xmax!, m.ymax!] : null };
}

/** Lists of points as three parallel arrays (list index, x, y) for one unnest. */
function flatten(lists: LonLat[][]): { h: number[]; xs: number[]; ys: number[] } {
  const h: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  lists.forEach((pts, i) => {
    for (const p of pts) {
      h.push(i);
      xs.push(p[0]);
      ys.push(p[1]);
    }
  });
  return { h, xs, ys };
}

/**
 * The share inside the county and the median distance to the nearest road of each list of
 * points, with what the database holds to test them against, in one statement.
 */
async function fitWithMeta(client: pg.PoolClient, lists: LonLat[][]): Promise<{ fits: { inside: number; roadM: number | null }[]; meta: CountyMeta }> {
  const { h, xs, ys } = flatten(lists);
  const r = await client.query<MetaRow & { h: number | null; inside: number | null; road_m: number | null }>(
    `WITH c AS (SELECT ST_Extent(geom)::geometry AS e FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL),
     meta AS (SELECT c.e IS NOT NULL AS has_county,
                     EXISTS (SELECT 1 FROM roads r WHERE r.geom && ST_Expand(ST_SetSRID(ST_MakePoint(($2::float8[])[1], ($3::float8[])[1]), 4326), 0.05)) AS has_roads,
                     ST_XMin(c.e) AS xmin, ST_YMin(c.e) AS ymin, ST_XMax(c.e) AS xmax, ST_YMax(c.e) AS ymax FROM c),
     pts AS (
       SELECT u.h, p,
              CASE WHEN (SELECT has_roads FROM meta) THEN (SELECT ST_DistanceSphere(p, ST_ClosestPoint(r.geom, p)) FROM roads r ORDER BY r.geom <-> p LIMIT 1) END AS d
       FROM unnest($1::int[], $2::float8[], $3::float8[]) AS u(h, x, y), LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS p) g),
     f AS (
       SELECT h, avg((EXISTS (SELECT 1 FROM admin_areas a WHERE a.level = 'county' AND ST_Intersects(a.geom, pts.p)))::int)::float8 AS inside,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS road_m
       FROM pts GROUP BY h)
     SELECT meta.*, f.h, f.inside, f.road_m FROM meta LEFT JOIN f ON true`,
    [h, xs, ys],
  );
  const m = r.rows[0]!;
  const fits = lists.map(() => ({ inside: 0, roadM: null as number | null }));
  for (const row of r.rows) if (row.h !== null) fits[row.h] = { inside: row.inside ?? 0, roadM: row.road_m };
  return { fits, meta: metaOf(m) };
}

/** The share inside the county (and the median distance to a road) of each list of points, in one statement. */
async function fit(client: pg.PoolClient, lists: LonLat[][], roads: boolean): Promise<{ inside: number; roadM: number | null }[]> {
  const { h, xs, ys } = flatten(lists);
  const r = await client.query<{ h: number; inside: number; road_m: number | null }>(
    `WITH pts AS (
       SELECT u.h, p,
              -- the nearest road's closest point, then a spherical distance: a fraction of a geography distance's cost
              CASE WHEN $4::boolean THEN (SELECT ST_DistanceSphere(p, ST_ClosestPoint(r.geom, p)) FROM roads r ORDER BY r.geom <-> p LIMIT 1) END AS d
       FROM unnest($1::int[], $2::float8[], $3::float8[]) AS u(h, x, y), LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS p) g)
     SELECT h, avg((EXISTS (SELECT 1 FROM admin_areas a WHERE a.level = 'county' AND ST_Intersects(a.geom, pts.p)))::int)::float8 AS inside,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS road_m
     FROM pts GROUP BY h`,
    [h, xs, ys, roads],
  );
  const out = lists.map(() => ({ inside: 0, roadM: null as number | null }));
  for (const row of r.rows) out[row.h] = { inside: row.inside, roadM: row.road_m };
  return out;
}

/**
 * Every coordinate system the product knows, as --crs values, in the order a tie is decided:
 * 3° Gauss-Krüger zones (what county surveys use) before the 6° zone with the same central
 * meridian, which projects identically.
 */
function knownCrs(): string[] {
  const codes: string[] = ['wgs84', 'gcj02', 'bd09'];
  for (let e = 4513; e <= 4554; e++) codes.push(`EPSG:${e}`);
  for (let e = 4491; e <= 4512; e++) codes.push(`EPSG:${e}`);
  for (let e = 32601; e <= 32660; e++) codes.push(`EPSG:${e}`);
  codes.push('EPSG:3857');
  return codes;
}

const TRANSFORMS = new Map<string, PositionTransform>();
function transformOf(code: string): PositionTransform {
  let t = TRANSFORMS.get(code);
  if (!t) {
    t = toWgs84(parseCrs(code));
    TRANSFORMS.set(code, t);
  }
  return t;
}

export interface CrsSuggestion {
  /** The --crs value. */
  crs: string;
  label: string;
  labelZh: string;
  inside: number;
}

function describe(code: string): { label: string; labelZh: string } {
  if (code in ZH_NAME) return { label: code === 'wgs84' ? 'WGS-84' : code === 'gcj02' ? 'GCJ-02' : 'BD-09', labelZh: ZH_NAME[code]! };
  const epsg = Number(code.slice(5));
  if (epsg >= 4491 && epsg <= 4554) {
    const three = epsg >= 4513;
    const cm = three ? 75 + ((epsg - 4513) % 21) * 3 : 75 + ((epsg - 4491) % 11) * 6;
    return { label: `${code} (CGCS2000 Gauss-Krüger ${three ? 3 : 6}° zone, central meridian ${cm}°E)`, labelZh: `${code}(CGCS2000 高斯-克吕格 ${three ? 3 : 6}° 带,中央经线 ${cm}°E)` };
  }
  if (epsg === 3857) return { label: `${code} (Web Mercator)`, labelZh: `${code}(Web 墨卡托)` };
  return { label: `${code} (UTM zone ${epsg - 32600}N)`, labelZh: `${code}(UTM ${epsg - 32600}N 带)` };
}

/**
 * The known coordinate system (other than `declared`) under which most of the file's own
 * positions fall inside the county, or null when none puts any inside. Projected systems
 * are tried with X/Y either way round (the importer swaps survey-style X/Y by itself).
 */
export async function suggestCrs(client: pg.PoolClient, raw: LonLat[], declared: Crs, bbox: [number, number, number, number]): Promise<CrsSuggestion | null> {
  const sample = raw.filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])).slice(0, SUGGEST_SAMPLE);
  if (!sample.length) return null;
  const [x0, y0, x1, y1] = bbox;
  const inBox = (p: LonLat) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
  const declaredLabel = crsLabel(declared);
  const tried: { code: string; points: LonLat[]; box: number }[] = [];
  for (const code of knownCrs()) {
    if (crsLabel(parseCrs(code)) === declaredLabel || (declared.kind === 'cgcs2000' && code === 'wgs84')) continue;
    const t = transformOf(code);
    const projected = code.startsWith('EPSG:');
    for (const swap of projected ? [false, true] : [false]) {
      const move = (p: LonLat): LonLat | null => {
        try {
          const q = swap ? t(p[1], p[0]) : t(p[0], p[1]);
          return Number.isFinite(q[0]) && Number.isFinite(q[1]) ? q : null;
        } catch {
          return null;
        }
      };
      // the first position decides cheaply whether a system is worth the whole sample
      const first = move(sample[0]!);
      if (!first || !(first[0] >= x0 - 1 && first[0] <= x1 + 1 && first[1] >= y0 - 1 && first[1] <= y1 + 1)) continue;
      const points = sample.map(move).filter((q): q is LonLat => q !== null);
      const box = points.filter(inBox).length / sample.length;
      if (box > 0) tried.push({ code, points, box });
    }
  }
  if (!tried.length) return null;
  const best = tried.sort((a, b) => b.box - a.box).slice(0, 6);
  const shares = await fit(client, best.map((b) => b.points), false);
  const ranked = best.map((b, i) => ({ ...b, inside: (shares[i]!.inside * b.points.length) / sample.length })).sort((a, b) => b.inside - a.inside);
  const top = ranked[0]!;
  if (top.inside <= 0) return null;
  return { crs: top.code, ...describe(top.code), inside: top.inside };
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

/** A sample of the staged positions and, in the same statement, what the database holds to test them against. */
async function stagedSample(client: pg.PoolClient): Promise<{ points: LonLat[]; meta: CountyMeta }> {
  const r = await client.query<{ lon: number | null; lat: number | null; has_county: boolean; has_roads: boolean; xmin: number | null; ymin: number | null; xmax: number | null; ymax: number | null }>(
    `WITH s AS (
       SELECT ST_PointOnSurface(geom) AS p FROM import_stage WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
       ORDER BY md5(row_no::text) LIMIT ${SAMPLE}),
     c AS (SELECT ST_Extent(geom)::geometry AS e FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL),
     m AS (SELECT c.e IS NOT NULL AS has_county,
                  EXISTS (SELECT 1 FROM roads r WHERE r.geom && ST_Expand((SELECT p FROM s LIMIT 1), 0.05)) AS has_roads,
                  ST_XMin(c.e) AS xmin, ST_YMin(c.e) AS ymin, ST_XMax(c.e) AS xmax, ST_YMax(c.e) AS ymax FROM c)
     SELECT ST_X(s.p) AS lon, ST_Y(s.p) AS lat, m.* FROM m LEFT JOIN s ON true`,
  );
  const m = r.rows[0]!;
  const points: LonLat[] = r.rows.filter((x) => x.lon !== null).map((x) => [x.lon!, x.lat!]);
  return { points, meta: { hasCounty: m.has_county, hasRoads: m.has_roads, bbox: m.has_county ? [m.xmin!, m.ymin!, m.xmax!, m.ymax!] : null } };
}

export async function checkCrsFit(client: pg.PoolClient, declared: Crs, options: CrsCheckOptions): Promise<ImportWarning[]> {
  const hyps = hypotheses(declared);
  let sampled: { points: LonLat[]; meta: CountyMeta | null; fits?: { inside: number; roadM: number | null }[] };
  if (options.staged > 0 && options.stagedPoints?.length) {
    // the importer knows every staged position: sample, county and fit in one statement
    const r = await fitWithMeta(client, hyps.map((h) => options.stagedPoints!.map(h.apply)));
    sampled = { points: options.stagedPoints, meta: r.meta, fits: r.fits };
  } else sampled = options.staged > 0 ? await stagedSample(client) : { points: [], meta: null };
  const { points, meta } = sampled;
  const warnings: ImportWarning[] = [];
  if (points.length === 0 || !meta) {
    // No position could be used as declared: say which system would have made them usable.
    if (!options.raw.length) return warnings;
    const county = meta ?? (await countyMeta(client, null));
    if (!county.bbox) return warnings;
    const s = await suggestCrs(client, options.raw, declared, county.bbox);
    if (s) {
      warnings.push({
        en: `No position could be used as ${crsLabel(declared)}; read as ${s.label}, ${pct(s.inside)} of the sampled positions lie inside the county: import with --crs ${s.crs}.`,
        zh: `按 ${crsLabel(declared)} 读取时没有可用的位置;若按 ${s.labelZh} 读取,抽样位置中 ${pct(s.inside)} 位于本县范围内:请把坐标系选为 ${s.labelZh} 后重新导入。`,
      });
    }
    return warnings;
  }
  const fits = sampled.fits ?? (meta.hasCounty || meta.hasRoads ? await fit(client, hyps.map((h) => points.map(h.apply)), meta.hasRoads) : hyps.map(() => ({ inside: 0, roadM: null })));
  const results = hyps.map((h, i) => ({ h, inside: meta.hasCounty ? fits[i]!.inside : null, roadM: meta.hasRoads ? fits[i]!.roadM : null }));
  const [base, ...alts] = results;
  if (!base) return warnings;

  if (base.inside === 0 && !options.allowOutside && options.layer !== 'admin') {
    const s = meta.bbox ? await suggestCrs(client, options.raw, declared, meta.bbox) : null;
    const n = points.length;
    throw new ImportError(
      `All ${n} sampled positions of ${options.file} lie outside the county as ${crsLabel(declared)}, so nothing was imported` +
        (s ? `; read as ${s.label}, ${pct(s.inside)} of them lie inside: import with --crs ${s.crs}` : `, and no coordinate system this product knows (WGS-84, GCJ-02, BD-09, CGCS2000 Gauss-Krüger 3° and 6° zones, UTM, Web Mercator) puts them inside: check the coordinates`) +
        `. If the data really lies outside the county, import with --allow-outside.`,
      `文件 ${options.file} 抽样的 ${n} 个位置按 ${crsLabel(declared)} 读取全部位于本县范围之外,未导入任何数据。` +
        (s ? `若按 ${s.labelZh} 读取,其中 ${pct(s.inside)} 位于县内:请把坐标系选为 ${s.labelZh} 后重新导入。` : '本系统支持的坐标系(WGS-84、GCJ-02、BD-09、CGCS2000 高斯-克吕格 3°/6° 带、UTM、Web 墨卡托)都不能使其落在县内:请核对文件中的坐标。') +
        '如果数据确实位于县外,请勾选“允许县外数据”后重新导入。',
    );
  }
  if (base.inside !== null && base.inside < 0.9) {
    const better = alts.filter((a) => a.inside !== null && a.inside >= base.inside! + 0.2).sort((a, b) => b.inside! - a.inside!)[0];
    const outside = pct(1 - base.inside);
    warnings.push({
      en: `${outside} of sampled positions lie outside the county` +
        (better ? `; read as ${better.h.label} ${pct(better.inside!)} lie inside: import with --crs ${better.h.crs}.` : ': check the coordinate system and the file.'),
      zh: `抽样位置中 ${outside} 位于本县范围之外` +
        (better ? `;若按 ${ZH_NAME[better.h.crs] ?? better.h.crs} 读取,${pct(better.inside!)} 位于县内:请把坐标系选为 ${ZH_NAME[better.h.crs] ?? better.h.crs} 后重新导入。` : ':请核对坐标系和文件内容。'),
    });
  }
  if (base.roadM !== null) {
    const better = alts.filter((a) => a.roadM !== null && a.roadM < base.roadM! * 0.6 && base.roadM! - a.roadM > 25).sort((a, b) => a.roadM! - b.roadM!)[0];
    if (better) {
      const zhName = ZH_NAME[better.h.crs] ?? better.h.crs;
      warnings.push({
        en: `Positions sit a median ${Math.round(base.roadM)} m from the nearest road ${base.h.label}, but ${Math.round(better.roadM!)} m if the file is ${better.h.label}: the file is probably ${better.h.label}; import with --crs ${better.h.crs}.`,
        zh: `按当前坐标系(${crsLabel(declared)}),位置距最近道路的中位距离为 ${Math.round(base.roadM)} 米;若按 ${zhName} 读取则为 ${Math.round(better.roadM!)} 米:文件很可能是 ${zhName} 坐标,请把坐标系选为 ${zhName} 后重新导入。`,
      });
    }
  }
  return warnings;
}
