// recommend-100: 100 dome-camera placements over the county from at least 10,000
// candidate sites, lazy greedy (the project's default) against the plain greedy that
// recomputes every gain at every step, in the same run on the same instance. Seed the
// database first: `npm run cli -- seed --seed test`.
//
// Inside ONE transaction that is rolled back at the end, drawn candidates are inserted
// into camera_candidates: points along the demo roads, evenly spaced over the network,
// each moved a few metres in a random direction (deterministic seed). The recommender
// merges sites that fall in the same minSiteSpacingM (30 m) snapping cell, so the
// spacing is chosen to leave at least 10,000 sites together with the key-place entrances
// and road intersections; the exact number is reported. Each run works inside a
// savepoint (its temporary tables are dropped between runs); the cached views are made
// current beforehand, so both runs do the same work up to the greedy stage. A third run
// recomputes everything in the database: after the same preparation, every site's gain is
// summed afresh by PostGIS at every step (ratioRecomputeEverythingToLazy: its selection
// stage against the project's pairs + greedy stages, and in total).
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { getDatabase, many, one } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { benchScope, lap, r3 } from './lap';
import { scopeOf } from '../server/services/coverage/figures';
import { refreshViews } from '../server/services/coverage/fov';
import { recommend, type RecommendResult } from '../server/services/coverage/recommend';

const MIN_SITES = 10_000;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: { budget: { type: 'string', default: '100' }, drawn: { type: 'string', default: '10500' }, seed: { type: 'string', default: 'recommend-100' } },
  });
  const budget = Number(values.budget);
  const wanted = Number(values.drawn);
  const db = await getDatabase();
  await migrate();
  return benchScope('recommend-100', async (c) => {
    const { area, srid } = await scopeOf(c);
    await refreshViews(c, srid);

    // evenly spaced points along every road of the county (metric), then jittered; the
    // spacing starts at network length ÷ wanted and shrinks until there are enough (short
    // segments get none, and each segment rounds its count down)
    const { km } = await one<{ km: number }>(`SELECT sum(ST_Length(ST_Transform(geom, $1::int))) / 1000 AS km FROM roads WHERE ST_Intersects(geom, $2::geometry)`, [srid, area], 'measuring the roads', c);
    let spacingM = Math.floor((km * 1000) / wanted);
    let points: { x: number; y: number }[] = [];
    for (;;) {
      points = await many<{ x: number; y: number }>(
        `SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y
         FROM (SELECT id, ST_Transform(geom, $1::int) AS g FROM roads WHERE ST_Intersects(geom, $2::geometry)) r
         CROSS JOIN LATERAL ST_Dump(ST_LineInterpolatePoints(r.g, least(1, $3::float8 / ST_Length(r.g)), true)) p
         WHERE ST_Length(r.g) >= $3::float8
         ORDER BY r.id, p.path`,
        [srid, area, spacingM], 'spacing points along the roads', c,
      );
      if (points.length >= wanted || spacingM <= 60) break;
      spacingM = Math.floor(spacingM * 0.95);
    }
    const rng = seedrandom(values.seed);
    const xs: number[] = [];
    const ys: number[] = [];
    for (const p of points) {
      const d = 2 + rng() * 10;
      const a = rng() * 2 * Math.PI;
      xs.push(p.x + d * Math.sin(a));
      ys.push(p.y + d * Math.cos(a));
    }
    const [, insertS] = await lap(() => c.query(
      `INSERT INTO camera_candidates (name, geom, note)
       SELECT '基准候选点 ' || x.n, ST_Transform(ST_SetSRID(ST_MakePoint(x.x, x.y), $3::int), 4326), 'bench recommend-100'
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS x(x, y, n)`,
      [xs, ys, srid],
    ));
    await c.query('ANALYZE camera_candidates');

    const once = async (algorithm: 'lazy' | 'naive'): Promise<[RecommendResult, number]> => {
      await c.query('SAVEPOINT recommend_run');
      try {
        return await lap(() => recommend(c, { budget, type: 'dome', algorithm }));
      } finally {
        await c.query('ROLLBACK TO SAVEPOINT recommend_run');
      }
    };
    const [lazy, lazyS] = await once('lazy');
    const [naive, naiveS] = await once('naive');

    // (iii) recompute everything in the database: the instance prepared as the project does
    // it, then at every step every site's gain summed afresh by PostGIS over the demand not
    // yet covered (one statement per step), the best taken, its demand marked covered
    await c.query('SAVEPOINT recommend_run');
    let sqlNaive: { picks: { siteId: number; gain: number }[]; prepareS: number; stepsS: number };
    try {
      const [prepared, prepareS] = await lap(() => recommend(c, { budget: 1, type: 'dome', keepTables: true }));
      await c.query('ALTER TABLE rec_demand ADD COLUMN covered boolean NOT NULL DEFAULT false');
      const radius = prepared.method.effectiveRangeM;
      const picks: { siteId: number; gain: number }[] = [];
      const [, stepsS] = await lap(async () => {
        for (let step = 0; step < budget; step++) {
          const best = await c.query<{ site: number; gain: number }>(
            `SELECT s.id AS site, sum(d.weight)::float8 AS gain
             FROM rec_site s JOIN rec_demand d ON NOT d.covered AND ST_DWithin(s.g, d.g, $1::float8)
             GROUP BY s.id ORDER BY gain DESC, s.id LIMIT 1`,
            [radius],
          );
          const b = best.rows[0];
          if (!b || !(b.gain > 0)) break;
          picks.push({ siteId: b.site, gain: b.gain });
          await c.query(`UPDATE rec_demand d SET covered = true FROM rec_site s WHERE s.id = $1 AND NOT d.covered AND ST_DWithin(s.g, d.g, $2::float8)`, [b.site, radius]);
        }
      });
      sqlNaive = { picks, prepareS, stepsS };
    } finally {
      await c.query('ROLLBACK TO SAVEPOINT recommend_run');
    }
    // the same picks as the project's greedy (gains equal within float summation error)
    const sqlAgree = sqlNaive.picks.length === lazy.picks.length
      && sqlNaive.picks.every((p, i) => p.siteId === lazy.picks[i]!.siteId && Math.abs(p.gain - lazy.picks[i]!.gain) <= 1e-6 * Math.max(1, p.gain));
    const lazySelectS = (lazy.timings.pairsMs + lazy.timings.greedyMs) / 1000;

    const key = (r: RecommendResult) => r.picks.map((p) => `${p.siteId}/${p.azimuthDeg}/${p.gain}`);
    const identical = JSON.stringify(key(lazy)) === JSON.stringify(key(naive));
    const stages = (r: RecommendResult, s: number) => ({ total: r3(s), prepare: r3(r.timings.prepareMs / 1000), pairs: r3(r.timings.pairsMs / 1000), greedy: r3(r.timings.greedyMs / 1000) });
    return {
      engine: db.kind,
      budget,
      type: 'dome',
      candidates: { drawnInserted: points.length, drawnSpacingM: spacingM, ...lazy.candidates },
      demand: lazy.demand,
      picks: lazy.picks.length,
      coverage: { weight: r3(lazy.total.weight), share: lazy.total.share && r3(lazy.total.share), baselineWeight: r3(lazy.baseline.weight), ratioToBaseline: lazy.ratioToBaseline && r3(lazy.ratioToBaseline) },
      seconds: { insertCandidates: r3(insertS), lazy: stages(lazy, lazyS), naive: stages(naive, naiveS) },
      recomputeEverythingInSql: {
        seconds: { prepare: r3(sqlNaive.prepareS), steps: r3(sqlNaive.stepsS), total: r3(lazy.timings.prepareMs / 1000 + sqlNaive.stepsS) },
        picks: sqlNaive.picks.length,
      },
      ratioNaiveToLazy: { total: r3(naiveS / lazyS), greedy: r3(naive.timings.greedyMs / lazy.timings.greedyMs) },
      ratioRecomputeEverythingToLazy: {
        selection: r3(sqlNaive.stepsS / lazySelectS),
        total: r3((lazy.timings.prepareMs / 1000 + sqlNaive.stepsS) / lazyS),
      },
      check: { sitesAtLeast10000: lazy.candidates.sites >= MIN_SITES, identicalPicks: identical, sameSites: naive.candidates.sites === lazy.candidates.sites, recomputeEverythingSamePicks: sqlAgree, lazyUnder20s: lazyS < 20 },
      target: '100 placements from ≥ 10,000 candidate sites under 20 s on real PostGIS',
    };
  });
}

