// Map search: places, townships, villages, grids, cameras (name, register id, GB/T 28181 id),
// roads (one result per name), rectification targets and hazards. Identifiers equal to the
// query come first, then names and codes that start with it, then names that contain it.
import { many, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { LIMITS } from '../../limits';

export type SearchKind = 'place' | 'township' | 'village' | 'grid' | 'camera' | 'road' | 'target' | 'hazard';

export interface SearchHit {
  kind: SearchKind;
  id: string;
  label: string;
  sub: string;
  lon: number;
  lat: number;
  bbox?: [number, number, number, number];
}

/** LIKE's wildcards and its escape character taken literally. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function search(tx: Tx, input: { q: string; limit?: number }): Promise<SearchHit[]> {
  const q = input.q.trim();
  if (q.length < LIMITS.searchChars.min || q.length > LIMITS.searchChars.max) throw new UserError(`The search text must be ${LIMITS.searchChars.min}–${LIMITS.searchChars.max} characters.`, `搜索内容须为 ${LIMITS.searchChars.min} 到 ${LIMITS.searchChars.max} 个字符。`);
  const limit = input.limit ?? LIMITS.searchResults.default;
  const e = escapeLike(q);
  const rows = await many<{ kind: SearchKind; id: string; label: string; sub: string; lon: number; lat: number; w: number | null; s: number | null; e: number | null; n: number | null }>(
    sql('map/search.sql'), [q, `${e}%`, `%${e}%`, limit, townshipsOf(tx)], 'searching the map', tx,
  );
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id.trim(),
    label: r.label,
    sub: r.sub,
    lon: r.lon,
    lat: r.lat,
    ...(r.w !== null ? { bbox: [r.w, r.s!, r.e!, r.n!] as [number, number, number, number] } : {}),
  }));
}
