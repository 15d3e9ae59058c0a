// The one coordinate-system module. Everything is stored in EPSG:4326 (WGS-84); data
// recorded in the Chinese internet map systems is converted here, nowhere else.
// GCJ-02 (Amap/Tencent) and BD-09 (Baidu) are handled by gcoord.
import gcoord from 'gcoord';

export type LonLat = [number, number];

export type ChineseCrs = 'wgs84' | 'gcj02' | 'bd09';

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

/** Converts one position between WGS-84, GCJ-02 and BD-09. */
export function convertLonLat(p: LonLat, from: ChineseCrs, to: ChineseCrs): LonLat {
  if (from === to) return [p[0], p[1]];
  const [lon, lat] = gcoord.transform([p[0], p[1]], GCOORD_CRS[from], GCOORD_CRS[to]) as number[];
  return [lon!, lat!];
}
