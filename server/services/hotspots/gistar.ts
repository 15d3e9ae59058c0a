// Getis-Ord Gi* on prepared cells (temporary table hotspot_cells: id, pt, n), with
// p-values, Benjamini–Hochberg FDR correction and the 90/95/99 % hot/cold classes users
// know from ArcGIS.
import type pg from 'pg';
import { many, sql } from '../../db/index';

export type Neighbours = { kind: 'distance'; metres: number } | { kind: 'knn'; k: number };

export type HotspotClass = 'hot-99' | 'hot-95' | 'hot-90' | 'cold-99' | 'cold-95' | 'cold-90' | 'none';

export const CLASS_LABELS: Record<HotspotClass, string> = {
  'hot-99': '热点(99% 置信)', 'hot-95': '热点(95% 置信)', 'hot-90': '热点(90% 置信)',
  'cold-99': '冷点(99% 置信)', 'cold-95': '冷点(95% 置信)', 'cold-90': '冷点(90% 置信)', none: '不显著',
};

export interface GiStarRow {
  id: number;
  z: number | null;
  p: number | null;
  pFdr: number | null;
}

/**
 * Gi* for the cells of hotspot_cells. `squareM`: the cells are a square fishnet of that
 * size with integer i, j columns, so a distance band can use the offset stencil.
 */
export async function giStar(client: pg.PoolClient, neighbours: Neighbours, squareM?: number): Promise<GiStarRow[]> {
  const rows = await many<{ id: number; z: number | null; p: number | null; p_fdr: number | null }>(
    sql('hotspots/gistar.sql'),
    [neighbours.kind === 'distance' ? neighbours.metres : null, neighbours.kind === 'knn' ? neighbours.k : null, neighbours.kind === 'distance' && squareM ? squareM : null],
    'computing Getis-Ord Gi*',
    client,
  );
  return rows.map((r) => ({ id: r.id, z: r.z, p: r.p, pFdr: r.p_fdr }));
}

/** The confidence class of a cell from its z-score and (FDR-adjusted, when used) p-value. */
export function hotspotClass(z: number | null, p: number | null): HotspotClass {
  if (z === null || p === null) return 'none';
  const side = z > 0 ? 'hot' : 'cold';
  if (p < 0.01) return `${side}-99`;
  if (p < 0.05) return `${side}-95`;
  if (p < 0.1) return `${side}-90`;
  return 'none';
}
