// Does the declared coordinate system fit? Chinese county data mixes WGS-84 with GCJ-02
// and BD-09 (offsets of ~300–700 m), and files rarely say which. After staging, a sample
// of the imported positions is tested under each alternative reading: the share that
// falls inside the county, and (where roads are loaded) the median distance to the
// nearest road. When another reading fits clearly better, the report says which.
import type pg from 'pg';
import { convertLonLat, crsLabel, type ChineseCrs, type Crs, type LonLat } from '../crs';

const SAMPLE = 400;

interface Hypothesis {
  label: string;
  crs: string;
  apply: (p: LonLat) => LonLat;
}

function hypotheses(declared: Crs): Hypothesis[] {
  const id: Hypothesis = { label: `as declared (${crsLabel(declared)})`, crs: crsLabel(declared), apply: (p) => p };
  const reread = (actual: ChineseCrs, assumed: ChineseCrs): Hypothesis => ({
    label: actual,
    crs: actual === 'wgs84' ? 'wgs84' : actual,
    // Staged positions were converted as if `assumed`; undo that, then convert as `actual`.
    apply: (p) => convertLonLat(convertLonLat(p, 'wgs84', assumed), actual, 'wgs84'),
  });
  const kind = declared.kind === 'cgcs2000' ? 'wgs84' : declared.kind;
  if (kind === 'projected') return [id];
  const others = (['wgs84', 'gcj02', 'bd09'] as const).filter((k) => k !== kind);
  return [id, ...others.map((k) => reread(k, kind))];
}

export async function checkCrsFit(client: pg.PoolClient, declared: Crs): Promise<string[]> {
  const sample = await client.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
       SELECT ST_PointOnSurface(geom) AS p FROM import_stage WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
       ORDER BY md5(row_no::text) LIMIT ${SAMPLE}) s`,
  );
  if (sample.rows.length === 0) return [];
  const points: LonLat[] = sample.rows.map((r) => [r.lon, r.lat]);
  const county = await client.query<{ has: boolean }>(`SELECT EXISTS (SELECT 1 FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL) AS has`);
  const hasRoads = await client.query<{ has: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM roads r WHERE r.geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.05)) AS has`,
    [points[0]![0], points[0]![1]],
  );
  const results: { h: Hypothesis; inside: number | null; roadM: number | null }[] = [];
  for (const h of hypotheses(declared)) {
    const moved = points.map(h.apply);
    const lons = moved.map((p) => p[0]);
    const lats = moved.map((p) => p[1]);
    const r = await client.query<{ inside: number | null; road_m: number | null }>(
      `WITH pts AS (SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS p FROM unnest($1::float8[], $2::float8[]) AS u(x, y))
       SELECT
         CASE WHEN $3::boolean THEN (SELECT avg((EXISTS (SELECT 1 FROM admin_areas a WHERE a.level = 'county' AND ST_Intersects(a.geom, pts.p)))::int) FROM pts) END AS inside,
         CASE WHEN $4::boolean THEN (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM (
           SELECT (SELECT ST_Distance(r.geom::geography, pts.p::geography) FROM roads r ORDER BY r.geom <-> pts.p LIMIT 1) AS d FROM pts) x) END AS road_m`,
      [lons, lats, county.rows[0]!.has, hasRoads.rows[0]!.has],
    );
    results.push({ h, inside: r.rows[0]!.inside, roadM: r.rows[0]!.road_m });
  }
  const warnings: string[] = [];
  const [base, ...alts] = results;
  if (!base) return warnings;
  if (base.inside !== null && base.inside < 0.9) {
    const better = alts.filter((a) => a.inside !== null && a.inside >= base.inside! + 0.2).sort((a, b) => b.inside! - a.inside!)[0];
    warnings.push(
      `${Math.round((1 - base.inside) * 100)} % of sampled positions lie outside the county` +
        (better ? `; read as ${better.h.label} ${Math.round(better.inside! * 100)} % lie inside: import with --crs ${better.h.crs}.` : ': check the coordinate system and the file.'),
    );
  }
  if (base.roadM !== null) {
    const better = alts.filter((a) => a.roadM !== null && a.roadM < base.roadM! * 0.6 && base.roadM! - a.roadM > 25).sort((a, b) => a.roadM! - b.roadM!)[0];
    if (better) {
      warnings.push(
        `Positions sit a median ${Math.round(base.roadM)} m from the nearest road ${base.h.label}, but ${Math.round(better.roadM!)} m if the file is ${better.h.label}: the file is probably ${better.h.label}; import with --crs ${better.h.crs}.`,
      );
    }
  }
  return warnings;
}
