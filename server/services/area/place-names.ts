// Where a target lies, in the words people use: township and village or community, and the
// nearest named key place or road — for the ranked list, the 挂牌 form's default name and
// the printed report, instead of bare longitude and latitude.
import { many, sql } from '../../db/index';
import type { Tx } from '../../db/scope';

export interface PlaceName {
  township: string | null;
  village: string | null;
  /** the nearest named key place (within PLACE_NEAR_M) or road (within ROAD_NEAR_M) */
  near: string | null;
  /** e.g. 城关镇东关社区·人民路附近; lon/lat only when nothing is named there */
  text: string;
}

/** A key place this close names the spot (a school, a market); beyond it the nearest road does. */
export const PLACE_NEAR_M = 300;
export const ROAD_NEAR_M = 1000;

interface Row { k: number; township: string | null; village: string | null; road: string | null; roadM: number | null; place: string | null; placeM: number | null }

export function placeText(r: Omit<Row, 'k'>, lon: number, lat: number): PlaceName {
  const near = r.place && r.placeM !== null && r.placeM <= PLACE_NEAR_M ? r.place
    : r.road && r.roadM !== null && r.roadM <= ROAD_NEAR_M ? r.road
    : r.place && r.placeM !== null && r.placeM <= ROAD_NEAR_M ? r.place : null;
  const area = [r.township, r.village].filter(Boolean).join('');
  const text = area || near ? [area, near ? `${near}附近` : ''].filter(Boolean).join('·') : `经度 ${lon.toFixed(4)},纬度 ${lat.toFixed(4)}`;
  return { township: r.township, village: r.village, near, text };
}

/** The place names of points, in their order. */
export async function placesOf(tx: Tx, points: ReadonlyArray<{ lon: number; lat: number }>): Promise<PlaceName[]> {
  if (!points.length) return [];
  const rows = await many<Row>(sql('targets/place-of.sql'), [points.map((p) => p.lon), points.map((p) => p.lat)], 'naming the places of the targets', tx);
  return rows.map((r, i) => placeText(r, points[i]!.lon, points[i]!.lat));
}
