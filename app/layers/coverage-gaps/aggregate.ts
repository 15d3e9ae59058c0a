// Points summed per area (township) for the county view: how many, where their middle is,
// the box that holds them (to fly to) and what kinds they are. Pure, for tests.
import { tally } from '../cluster';

export interface PlaceAggregate<P> {
  code: string | null;
  name: string | null;
  count: number;
  /** The mean position of the area's points (the ring sits among them, not on the area's label). */
  lon: number;
  lat: number;
  bbox: [number, number, number, number];
  /** "中小学校 12 · 宾馆酒店 3": the commonest kinds first. */
  summary: string;
  items: P[];
}

export function placeAggregates<P extends { lon: number; lat: number }>(
  items: readonly P[],
  codeOf: (p: P) => string | null,
  nameOf: (p: P) => string | null,
  labelOf: (p: P) => string,
): PlaceAggregate<P>[] {
  const groups = new Map<string | null, P[]>();
  for (const p of items) {
    const k = codeOf(p);
    const g = groups.get(k);
    if (g) g.push(p);
    else groups.set(k, [p]);
  }
  const out: PlaceAggregate<P>[] = [];
  for (const [code, ps] of groups) {
    const bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    let x = 0;
    let y = 0;
    for (const p of ps) {
      x += p.lon;
      y += p.lat;
      bbox[0] = Math.min(bbox[0], p.lon);
      bbox[1] = Math.min(bbox[1], p.lat);
      bbox[2] = Math.max(bbox[2], p.lon);
      bbox[3] = Math.max(bbox[3], p.lat);
    }
    out.push({ code, name: nameOf(ps[0]!), count: ps.length, lon: x / ps.length, lat: y / ps.length, bbox, summary: tally(ps.map(labelOf), 3), items: ps });
  }
  // the largest first (drawn first, so a small neighbour's ring stays on top)
  return out.sort((a, b) => b.count - a.count || String(a.code).localeCompare(String(b.code)));
}
