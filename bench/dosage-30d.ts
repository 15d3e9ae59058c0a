// dosage-30d: patrol dosage of 500 hotspots over 30 days of GPS tracks of 50 teams at 10-s
// intervals (~13 million fixes), on the database given by DATABASE_URL (real PostGIS; the
// demo county loaded). Everything is written and measured in one transaction that is
// rolled back. The tracks are loops of 0.5–2.5 km radius around incident locations with a
// 12-minute stop every half hour; the hotspots are 250 m squares around incidents (most on
// the loops). Timed in the same run: the dosage of all hotspots (areas projected once,
// visits in SQL, sums in TypeScript), and a naive per-fix implementation (every fix tested
// against every hotspot in TypeScript, no index) on the first --naive-days days, scaled to
// 30 days by the fixes it read. Reports peak RSS of this process.
import { parseArgs } from 'node:util';
import { getDatabase, many, one } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { benchScope, lap, r3 } from './lap';
import { areaIncidentHours, deviceVisits, makeAreaTable, summariseDosage, type Area, type DeviceVisit } from '../server/services/patrol/dosage';
import { PATROL_RULES } from '../server/services/patrol/rules';
import { chinaDay } from '../lib/china-time';
import { haversineM } from '../server/services/patrol/clean';

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { teams: { type: 'string', default: '50' }, days: { type: 'string', default: '30' }, hotspots: { type: 'string', default: '500' }, 'naive-days': { type: 'string', default: '2' } } });
  const teams = Number(values.teams), days = Number(values.days), nHot = Number(values.hotspots), naiveDays = Number(values['naive-days']);
  const db = await getDatabase();
  if (db.kind !== 'postgres') throw new Error('dosage-30d runs on real PostGIS: set DATABASE_URL');
  await migrate();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);
  try {
    return await benchScope('dosage-30d', async (tx) => {
      const end = await one<{ d: string }>(`SELECT to_char((max(occurred_at) AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS d FROM incidents`, [], 'newest incident', tx);
      const to = end.d;
      const from = new Date(Date.parse(`${to}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
      const fromT = chinaDay(from), toT = chinaDay(to);
      const { srid } = await one<{ srid: number }>(`SELECT (32600 + floor((ST_X(ST_Centroid(ST_Union(geom))) + 180) / 6)::int + 1) AS srid FROM admin_areas WHERE level = 'county'`, [], 'srid', tx);
      // 50 teams, each looping around a random incident's place
      const [, setup] = await lap(async () => {
        await tx.query(
          `CREATE TEMP TABLE bench_teams ON COMMIT DROP AS
           WITH t AS (INSERT INTO patrol_teams (name, township_code) SELECT 'BENCH-' || lpad(k::text, 3, '0'), NULL FROM generate_series(1, $1::int) k RETURNING id, name)
           SELECT t.id, t.name, ST_X(c) AS cx, ST_Y(c) AS cy, 500 + random() * 2000 AS r
           FROM t, LATERAL (SELECT ST_Transform(geom, $2::int) AS c FROM incidents ORDER BY random() + t.id * 0 LIMIT 1) p`, [teams, srid],
        );
        await tx.query(
          `INSERT INTO patrol_track_points (team_id, device_id, recorded_at, speed_kmh, geom)
           SELECT b.id, b.name, $1::timestamptz + s * interval '10 seconds', CASE WHEN stopped THEN 0 ELSE 15 END,
                  ST_Transform(ST_SetSRID(ST_MakePoint(b.cx + b.r * cos(a), b.cy + b.r * sin(a)), $3::int), 4326)
           FROM bench_teams b, generate_series(0, $2::int - 1) s,
                LATERAL (SELECT (s % 180) >= 108 AS stopped) st,
                LATERAL (SELECT 2 * pi() * ((s / 180) * 108 + least(s % 180, 108))::float8 / (b.r * 2 * pi() / (15 / 3.6) / 10) AS a) an`,
          [fromT, days * 8640, srid],
        );
        await tx.query(`INSERT INTO patrol_cleaning (device_id, team_id, source, fixes, kept, dropped, segments, interval_s, rules) SELECT name, id, 'bench', 0, 0, '{}', '[]', 10, '{}' FROM bench_teams`);
        await tx.query('ANALYZE patrol_track_points');
      });
      const { fixes } = await one<{ fixes: number }>(`SELECT count(*)::int AS fixes FROM patrol_track_points WHERE recorded_at >= $1 AND recorded_at < $2`, [fromT, toT], 'counting fixes', tx);
      // 500 hotspots: 250 m squares, 80 % on the teams' loops, the rest around random incidents
      const areas = (await many<{ id: number; lon: number; lat: number; geometry: Area['geometry'] }>(
        `WITH c AS (
           SELECT row_number() OVER () AS id, p FROM (
             (SELECT ST_SetSRID(ST_MakePoint(b.cx + b.r * cos(random() * 2 * pi()), b.cy + b.r * sin(random() * 2 * pi())), $2::int) AS p FROM bench_teams b, generate_series(1, 100) LIMIT ($1::int * 4 / 5))
             UNION ALL (SELECT ST_Transform(geom, $2::int) FROM incidents ORDER BY random() LIMIT ($1::int - $1::int * 4 / 5))) x)
         SELECT id, ST_X(ST_Transform(p, 4326)) AS lon, ST_Y(ST_Transform(p, 4326)) AS lat, ST_AsGeoJSON(ST_Transform(ST_Expand(p, 125), 4326), 7)::jsonb AS geometry FROM c`, [nHot, srid], 'hotspots', tx,
      )).map((r): Area => ({ id: Number(r.id), kind: 'drawn', label: `H${r.id}`, lon: r.lon, lat: r.lat, geometry: r.geometry }));

      const radiusM = PATROL_RULES.dosage.radiusM;
      let visits: DeviceVisit[] = [];
      const [result, dosage] = await lap(async () => {
        await makeAreaTable(tx, areas, radiusM);
        visits = await deviceVisits(tx, fromT, toT);
        const hours = await areaIncidentHours(tx, new Date(toT.getTime() - 365 * 86_400_000), toT);
        return summariseDosage(areas, visits, hours, { from, to }, new Map());
      });

      // naive: every fix of the first naiveDays days against every hotspot, in TypeScript
      const rings = areas.map((a) => ({ id: a.id, lon: a.lon, lat: a.lat }));
      const naiveTo = new Date(fromT.getTime() + naiveDays * 86_400_000);
      const reach = 125 * Math.SQRT2 + radiusM; // the square's corner plus the radius (a circle around it: naive, generous)
      const [naive, naiveS] = await lap(async () => {
        await tx.query(`DECLARE naive_fixes NO SCROLL CURSOR FOR SELECT device_id, extract(epoch FROM recorded_at)::float8 AS t, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM patrol_track_points WHERE recorded_at >= $1 AND recorded_at < $2 ORDER BY device_id, recorded_at`.replace('$1', `'${fromT.toISOString()}'`).replace('$2', `'${naiveTo.toISOString()}'`));
        let read = 0, hits = 0;
        const last = new Map<string, number>();
        let visitsN = 0;
        for (;;) {
          const r = await tx.query<{ device_id: string; t: number; lon: number; lat: number }>('FETCH 50000 FROM naive_fixes');
          if (!r.rows.length) break;
          read += r.rows.length;
          for (const f of r.rows) {
            for (const h of rings) {
              if (haversineM(f.lon, f.lat, h.lon, h.lat) <= reach) {
                hits++;
                const k = `${h.id}|${f.device_id}`;
                const prev = last.get(k);
                if (prev === undefined || f.t - prev > 20) visitsN++;
                last.set(k, f.t);
              }
            }
          }
        }
        await tx.query('CLOSE naive_fixes');
        return { read, hits, visits: visitsN };
      });
      const naiveScaled = naive.read ? (naiveS * fixes) / naive.read : null;
      return {
        engine: db.kind,
        period: { from, to, days },
        teams,
        fixes,
        hotspots: areas.length,
        radiusM,
        setupSeconds: r3(setup),
        seconds: { dosage: r3(dosage), naiveMeasured: r3(naiveS), naiveScaledTo30Days: naiveScaled === null ? null : r3(naiveScaled) },
        naive: { days: naiveDays, fixesRead: naive.read, hits: naive.hits, visits: naive.visits },
        visits: visits.length,
        visitsKoper: result.areas.reduce((t, a) => t + a.koperVisits, 0),
        areasVisited: result.areas.filter((a) => a.visits > 0).length,
        ratioNaiveToDosage: naiveScaled === null ? null : r3(naiveScaled / dosage),
        peakRssMb: Math.round(peakRss / 1048576),
        target: 'dosage of all hotspots under 10 s',
      };
    });
  } finally {
    clearInterval(sampler);
  }
}
