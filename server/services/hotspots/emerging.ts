// Emerging hot spots: Gi* in every time slice of a space-time cube (the county's cells ×
// equal time slices), then per cell a Mann-Kendall trend test on its Gi* z-scores and the
// pattern categories users know from ArcGIS's Emerging Hot Spot Analysis, with their
// Chinese labels. "Significant" means p < 0.05 after Benjamini–Hochberg within the slice.
import type pg from 'pg';
import type { Geometry } from 'geojson';
import { many } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { countyArea, createCells, utmSrid } from '../area/study-area';
import { countPoints, createPoints, estimateGiStar, type CellShape } from './hotspots';
import { giStar, type Neighbours } from './gistar';
import { HotspotInputError } from '../../errors';
import { checkWindow, LIMITS } from '../../limits';

export type EmergingCategory =
  | 'new' | 'consecutive' | 'intensifying' | 'persistent' | 'diminishing' | 'sporadic' | 'oscillating' | 'historical';

export type EmergingPattern = `${EmergingCategory}-hot` | `${EmergingCategory}-cold` | 'none';

export const EMERGING_LABELS: Record<EmergingCategory, string> = {
  new: '新增', consecutive: '连续', intensifying: '加剧', persistent: '持续', diminishing: '减弱', sporadic: '零星', oscillating: '振荡', historical: '历史',
};

export function patternLabel(p: EmergingPattern): string {
  if (p === 'none') return '无模式';
  const [cat, side] = p.split('-') as [EmergingCategory, 'hot' | 'cold'];
  return `${EMERGING_LABELS[cat]}${side === 'hot' ? '热点' : '冷点'}`;
}

const SIGNIFICANT_P = 0.05;
const MOST_SLICES = 0.9;

/**
 * The pattern of one cell from its per-slice states (+1 significant hot, −1 significant
 * cold, 0 neither; oldest first) and the Mann-Kendall trend of its z-scores.
 */
export function classifyPattern(states: number[], trend: { z: number; p: number }): EmergingPattern {
  for (const side of [1, -1] as const) {
    const name = side === 1 ? 'hot' : 'cold';
    const hits = states.filter((s) => s === side).length;
    const opposite = states.some((s) => s === -side);
    const last = states[states.length - 1] === side;
    const share = hits / states.length;
    if (hits === 0) continue;
    if (!last) {
      if (share >= MOST_SLICES) return `historical-${name}`;
      continue;
    }
    if (hits === 1) return `new-${name}`;
    if (share >= MOST_SLICES) {
      const rising = trend.p < SIGNIFICANT_P && trend.z * side > 0;
      const falling = trend.p < SIGNIFICANT_P && trend.z * side < 0;
      return rising ? `intensifying-${name}` : falling ? `diminishing-${name}` : `persistent-${name}`;
    }
    // A single run at the end, nothing before it: consecutive.
    let run = 0;
    for (let i = states.length - 1; i >= 0 && states[i] === side; i--) run++;
    if (run === hits && run >= 2) return `consecutive-${name}`;
    return opposite ? `oscillating-${name}` : `sporadic-${name}`;
  }
  return 'none';
}

export interface EmergingOptions {
  shape: CellShape;
  cellM: number;
  neighbours: Neighbours;
  from: Date;
  to: Date;
  slices: number;
  /** Also return each cell's polygon (WGS-84 GeoJSON), for cells with a pattern. */
  withGeometry?: boolean;
}

export interface EmergingCell {
  id: number;
  lon: number;
  lat: number;
  counts: number[];
  z: (number | null)[];
  trendZ: number;
  trendP: number;
  pattern: EmergingPattern;
  label: string;
  polygon?: Geometry;
}

export async function runEmerging(tx: Tx, o: EmergingOptions): Promise<{ method: Record<string, unknown>; cells: EmergingCell[] }> {
  const { slices, cellM, distanceM } = LIMITS;
  if (!(Number.isInteger(o.slices) && o.slices >= slices.min && o.slices <= slices.max)) throw new HotspotInputError(`Use ${slices.min} to ${slices.max} time slices, got ${o.slices}.`, `时间切片数须在 ${slices.min} 到 ${slices.max} 之间(当前为 ${o.slices})。`);
  if (!(o.cellM >= cellM.min && o.cellM <= cellM.max)) throw new HotspotInputError(`The cell size must be from ${cellM.min} to ${cellM.max} m, got ${o.cellM}.`, `网格边长须在 ${cellM.min} 到 ${cellM.max} 米之间(当前为 ${o.cellM})。`);
  if (o.neighbours.kind === 'distance' && !(o.neighbours.metres >= distanceM.min && o.neighbours.metres <= distanceM.max)) throw new HotspotInputError(`The distance band must be from ${distanceM.min} to ${distanceM.max} m, got ${o.neighbours.metres}.`, `邻域距离须在 ${distanceM.min} 到 ${distanceM.max} 米之间(当前为 ${o.neighbours.metres})。`);
  if (!(o.from < o.to)) throw new HotspotInputError('The time window is empty: --from must be before --to.', '时间范围为空:开始时间必须早于结束时间。');
  checkWindow(o.from, o.to);
  return scratch(tx, () => emerging(tx, o));
}

async function emerging(c: Tx, o: EmergingOptions) {
  const area = await countyArea(c);
  await estimateGiStar(c, o, area, o.slices); // the cost bounds before any incident is loaded
  await createPoints(c);
  await c.query('INSERT INTO hotspot_points (t, category, geom) SELECT occurred_at, category_code, geom FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [o.from, o.to]);
  const srid = await utmSrid(c, area);
  await createCells(c, o.shape, o.cellM, area, srid);
  await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
  const step = (o.to.getTime() - o.from.getTime()) / o.slices;
  const zs = new Map<number, (number | null)[]>();
  const states = new Map<number, number[]>();
  const counts = new Map<number, number[]>();
  for (let s = 0; s < o.slices; s++) {
    await c.query('UPDATE hotspot_cells SET n = 0');
    await countPoints(c, 'n', srid, new Date(o.from.getTime() + s * step), new Date(o.from.getTime() + (s + 1) * step), o.shape === 'square' ? o.cellM : undefined);
    const ns = await many<{ id: number; n: number }>('SELECT id, n FROM hotspot_cells', [], 'reading slice counts', c);
    for (const r of ns) (counts.get(r.id) ?? counts.set(r.id, []).get(r.id)!).push(r.n);
    for (const r of await giStar(c, o.neighbours, o.shape === 'square' ? o.cellM : undefined)) {
      (zs.get(r.id) ?? zs.set(r.id, []).get(r.id)!).push(r.z);
      const sig = r.z !== null && r.pFdr !== null && r.pFdr < SIGNIFICANT_P;
      (states.get(r.id) ?? states.set(r.id, []).get(r.id)!).push(sig ? Math.sign(r.z!) : 0);
    }
  }
  const ids = [...zs.keys()].sort((a, b) => a - b);
  const trends = await many<{ id: number; z: number; p: number }>(
    `SELECT u.id, mk.z, mk.p FROM unnest($1::bigint[], $2::text[]) AS u(id, series), LATERAL stat_mann_kendall(u.series::float8[]) mk`,
    [ids, ids.map((id) => `{${zs.get(id)!.map((z) => z ?? 0).join(',')}}`)],
    'testing each cell for a trend',
    c,
  );
  const trendById = new Map(trends.map((t) => [t.id, t]));
  const where = await many<{ id: number; lon: number; lat: number; polygon: Geometry | null }>(
    `SELECT id, ST_X(ST_Transform(pt, 4326)) AS lon, ST_Y(ST_Transform(pt, 4326)) AS lat,
            CASE WHEN $1::boolean THEN ST_AsGeoJSON(ST_Transform(geom, 4326), 6)::jsonb END AS polygon
     FROM hotspot_cells`,
    [Boolean(o.withGeometry)], 'reading cells', c,
  );
  const pos = new Map(where.map((w) => [w.id, w]));
  const cells = ids.map((id) => {
    const t = trendById.get(id)!;
    const pattern = classifyPattern(states.get(id)!, { z: t.z, p: t.p });
    const p = pos.get(id)!;
    return {
      id, lon: p.lon, lat: p.lat, counts: counts.get(id)!, z: zs.get(id)!, trendZ: t.z, trendP: t.p, pattern, label: patternLabel(pattern),
      ...(p.polygon && pattern !== 'none' ? { polygon: p.polygon } : {}),
    };
  });
  return {
    method: {
      cube: `${ids.length} cells × ${o.slices} slices of ${(step / 86_400_000).toFixed(1)} days`,
      statistic: 'Gi* per slice (binary weights, self included), significant at p < 0.05 after Benjamini–Hochberg within the slice; Mann-Kendall trend on each cell’s z-scores',
      neighbours: o.neighbours,
      from: o.from.toISOString(),
      to: o.to.toISOString(),
      rules: 'ArcGIS Emerging Hot Spot Analysis definitions; “most slices” = 90 %',
    },
    cells,
  };
}
