// The bounds of every analysis input, in one place: the zod schemas of the routers, the
// services' own checks and the cost estimates all read them. They follow from what a
// county needs and from what one machine can answer while it keeps serving the map:
//
// - Cells: 100 m is the finest cell that still holds a few incidents a year in a county
//   seat; 20 km is a township. A county of 2,000–4,000 km² then has at most ~150,000
//   cells, the cell limit of every analysis.
// - Neighbourhoods: a Gi* distance band of 20 km is already a whole county's width; the
//   seeds' hotspots are streets and villages (300 m – 5 km). The real bound is the work:
//   cells × neighbours per cell (pairs), measured here at ~1.4 µs a pair plus ~95 µs a
//   cell on the embedded engine (Gi*: 8,232 cells × 314 neighbours = 2.6 M pairs in 4.5 s).
// - Kernels: incidents × cells within the bandwidth (each incident adds to every cell
//   centre within h).
// - Windows: incidents are dated from 2000 to 2100; a window is at most 10 years.
//
// An estimate above its bound is refused before the heavy statement runs, in both
// languages, with the nearest setting that fits. PGlite runs one statement at a time and
// cannot cancel it: the refusal must come first.
import { z } from 'zod';
import { HotspotInputError } from './errors';

export { LIMITS } from '../lib/limits';
import { LIMITS } from '../lib/limits';

const n = (v: number) => Math.round(v).toLocaleString('en');
const zhN = (v: number) => String(Math.round(v));

/** A number of metres in [min, max], with Chinese messages naming the field. */
export function metres(label: string, b: { min: number; max: number }) {
  return z
    .number({ error: `${label}必须是数字(米)` })
    .refine(Number.isFinite, `${label}必须是有限的数字`)
    .refine((v) => v >= b.min, `${label}至少为 ${b.min} 米`)
    .refine((v) => v <= b.max, `${label}不能超过 ${b.max} 米`);
}

/** A whole number in [min, max]. */
export function whole(label: string, b: { min: number; max: number }) {
  return z
    .number({ error: `${label}必须是数字` })
    .int(`${label}必须是整数`)
    .min(b.min, `${label}至少为 ${b.min}`)
    .max(b.max, `${label}不能超过 ${b.max}`);
}

/** An instant within the bounds of incident data. */
export function instant(label: string) {
  return z.coerce
    .date({ error: `${label}不是有效的日期时间` })
    .refine((d) => !Number.isNaN(d.getTime()), `${label}不是有效的日期时间`)
    .refine((d) => d >= LIMITS.earliest && d < LIMITS.latest, `${label}须在 2000 年到 2100 年之间`);
}

/** A calendar day as YYYY-MM-DD that exists (no 2026-02-30) and lies in 2000–2099. */
export function dayText(label: string) {
  return z
    .string({ error: `${label}必须是日期` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD', abort: true })
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v && d >= LIMITS.earliest && d < LIMITS.latest;
    }, { message: 'a real calendar day from 2000 to 2099', params: { zh: `${label}不是 2000 年到 2099 年之间的有效日期` } });
}

/** A row id: a positive whole number that fits the integer columns. */
export function rowId(label = '编号') {
  return z.number({ error: `${label}必须是数字` }).int(`${label}必须是整数`).positive(`${label}必须大于 0`).max(2_147_483_647, `${label}超出范围`);
}

/** Category codes or names of one request. */
export const categoriesSchema = z
  .array(z.string().min(1, '案件类别不能为空').max(64, '案件类别名称过长'), { error: '案件类别必须是列表' })
  .max(LIMITS.categories, `一次最多选择 ${LIMITS.categories} 个案件类别`);

/** Refuses a window that is empty or longer than LIMITS.windowDays. */
export function checkWindow(from: Date | undefined, to: Date | undefined): void {
  if (from && to && !(from < to)) {
    throw new HotspotInputError(`The time window is empty: ${from.toISOString()} is not before ${to.toISOString()}.`, '时间范围为空:开始时间必须早于结束时间。');
  }
  if (from && to && (to.getTime() - from.getTime()) / 86_400_000 > LIMITS.windowDays) {
    throw new HotspotInputError(
      `The time window spans ${n((to.getTime() - from.getTime()) / 86_400_000)} days; the limit is ${LIMITS.windowDays} days (10 years).`,
      `时间范围跨度 ${zhN((to.getTime() - from.getTime()) / 86_400_000)} 天,超过上限 ${LIMITS.windowDays} 天(10 年):请缩短时间范围。`,
    );
  }
}

/** Area of one cell, km². */
export function cellKm2(shape: 'square' | 'hex' | 'grid', cellM: number): number {
  return shape === 'hex' ? ((3 * Math.sqrt(3)) / 2) * (cellM / 1000) ** 2 : (cellM / 1000) ** 2;
}

/** Refuses more than LIMITS.cells (or `limit`) cells of `cellM` over `km2`. */
export function checkCells(km2: number, shape: 'square' | 'hex', cellM: number, limit: number = LIMITS.cells): number {
  const cells = Math.max(km2, 0.0001) / cellKm2(shape, cellM);
  if (cells > limit) {
    const least = Math.ceil(Math.sqrt(((km2 / limit) * 1e6) / (shape === 'hex' ? (3 * Math.sqrt(3)) / 2 : 1)));
    throw new HotspotInputError(
      `A ${cellM} m cell gives about ${n(cells)} cells over the ${n(km2)} km² study area (limit ${n(limit)}): use a cell of at least ${least} m.`,
      `网格边长 ${cellM} 米时,${zhN(km2)} 平方公里的研究区域将划分出约 ${zhN(cells)} 个网格,超过上限 ${limit} 个:请把网格边长设为至少 ${least} 米。`,
    );
  }
  return cells;
}

export type NeighbourSpec = { kind: 'distance'; metres: number } | { kind: 'knn'; k: number };

/** Neighbours per cell of a distance band (cells whose centre lies within it) or k. */
export function neighboursPerCell(nb: NeighbourSpec, shape: 'square' | 'hex' | 'grid', cellM: number, km2: number, cells: number): number {
  if (nb.kind === 'knn') return nb.k;
  const perKm2 = shape === 'grid' ? cells / Math.max(km2, 0.0001) : 1 / cellKm2(shape, cellM);
  return Math.max(1, Math.PI * (nb.metres / 1000) ** 2 * perKm2);
}

/**
 * What a cell costs in Gi* work besides its pairs: ~95 µs against ~1.4 µs a pair on the
 * embedded engine, i.e. 66 pairs' worth. Emerging hot spots pay it again in every time
 * slice (measured: 12 slices of 8,232 cells with an 1,200 m band took 16.8 s where one Gi*
 * of the same took 1.3 s), so making the cells (CELL_WORK) is small beside the per-slice
 * reset, count, read and Gi* (SLICE_CELL_WORK).
 */
export const CELL_WORK = 0;
export const SLICE_CELL_WORK = 66;

/**
 * Refuses Gi* work (cells × CELL_WORK + slices × cells × (neighbours + SLICE_CELL_WORK))
 * above LIMITS.pairs, suggesting the widest distance band (or most neighbours) that fits.
 */
export function checkPairs(cells: number, perCell: number, nb: NeighbourSpec, slices = 1): number {
  const pairs = cells * CELL_WORK + slices * cells * (Math.min(perCell, cells) + SLICE_CELL_WORK);
  if (pairs <= LIMITS.pairs) return pairs;
  const room = (LIMITS.pairs - cells * CELL_WORK) / slices - cells * SLICE_CELL_WORK; // pairs per slice left once the cells are paid for
  if (room < cells) {
    const least = Math.ceil(Math.sqrt(cells / (LIMITS.pairs / (CELL_WORK + slices * (SLICE_CELL_WORK + 1)))));
    throw new HotspotInputError(
      `${n(cells)} cells${slices > 1 ? ` × ${slices} time slices` : ''} are too many for one analysis (work ${n(pairs)}, limit ${n(LIMITS.pairs)}): make the cells about ${least} times larger${slices > 1 ? ' or use fewer slices' : ''}.`,
      `${zhN(cells)} 个网格${slices > 1 ? ` × ${slices} 个时间切片` : ''}超出单次分析的计算量上限(约 ${zhN(pairs)},上限 ${LIMITS.pairs}):请把网格边长放大到约 ${least} 倍${slices > 1 ? '或减少时间切片' : ''}。`,
    );
  }
  const slicesEn = slices > 1 ? ` × ${slices} time slices` : '';
  const slicesZh = slices > 1 ? ` × ${slices} 个时间切片` : '';
  if (nb.kind === 'knn') {
    const k = Math.max(1, Math.floor(room / cells));
    throw new HotspotInputError(
      `${n(cells)} cells × ${nb.k} neighbours${slicesEn}: work ${n(pairs)} (limit ${n(LIMITS.pairs)}): use at most ${k} neighbours or larger cells.`,
      `${zhN(cells)} 个网格 × 每个 ${nb.k} 个邻居${slicesZh},计算量约 ${zhN(pairs)},超过单次分析上限 ${LIMITS.pairs}:请把邻居数减到 ${k} 个以内,或加大网格边长。`,
    );
  }
  const widest = Math.floor(nb.metres * Math.sqrt(room / (cells * perCell)) / 100) * 100;
  throw new HotspotInputError(
    `A ${nb.metres} m distance band gives about ${n(perCell)} neighbours for each of ${n(cells)} cells${slicesEn}: work ${n(pairs)} (limit ${n(LIMITS.pairs)}). Use a band of at most ${widest} m, or larger cells.`,
    `邻域距离 ${nb.metres} 米时,${zhN(cells)} 个网格中每个约有 ${zhN(perCell)} 个邻居${slicesZh},计算量约 ${zhN(pairs)},超过单次分析上限 ${LIMITS.pairs}:请把邻域距离设为不超过 ${Math.max(widest, LIMITS.distanceM.min)} 米,或加大网格边长。`,
  );
}

/** Refuses kernel work (incidents × cells within the bandwidth) above LIMITS.kernelPairs. */
export function checkKernel(points: number, bandwidthM: number, cellM: number, cells: number): number {
  const perPoint = Math.min(cells, Math.max(1, (Math.PI * bandwidthM ** 2) / cellM ** 2));
  const work = points * perPoint;
  if (work <= LIMITS.kernelPairs) return work;
  const widest = Math.floor(bandwidthM * Math.sqrt(LIMITS.kernelPairs / work) / 50) * 50;
  throw new HotspotInputError(
    `A ${Math.round(bandwidthM)} m bandwidth spreads each of ${n(points)} incidents over about ${n(perPoint)} cells: ${n(work)} kernel terms (limit ${n(LIMITS.kernelPairs)}). Use a bandwidth of at most ${widest} m, larger cells or a shorter window.`,
    `带宽 ${Math.round(bandwidthM)} 米时,${zhN(points)} 起警情中每起约覆盖 ${zhN(perPoint)} 个网格,计算量约 ${zhN(work)} 项,超过上限 ${LIMITS.kernelPairs} 项:请把带宽设为不超过 ${Math.max(widest, LIMITS.bandwidthM.min)} 米,或加大网格边长、缩短时间范围。`,
  );
}
