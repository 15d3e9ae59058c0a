// coverage-county: the county's coverage figures (computeCoverage with the Gi* hotspots)
// for 5,000 cameras against the demo road network, timed in the same run against a naive
// recompute-everything implementation of the road figures. The demo county has 2,000
// cameras; inside ONE transaction that is rolled back at the end, 3,000 more are added
// as copies of existing cameras moved 50–400 m along random bearings (deterministic seed;
// type, azimuth, FOV, range and status kept). Seed the database first:
// `npm run cli -- seed --seed test`.
//
// project: refreshViews (builds the 3,000 new views; the demo's own are made current
//          beforehand, untimed, as the app keeps them cached), then computeCoverage
//          (tx, {gaps: false}), which finds nothing stale and computes every figure.
// naive:   every view rebuilt from scratch with fov_polygon (no cache; cut by the
//          high-rises' shadows, as the rules say), ST_Union of all
//          views of the county into one geometry (all, and working ones only), every road
//          clipped to the county and intersected with it, lengths summed by class: what
//          one would write without the per-road local unions.
// The naive road totals must equal the project's within 0.1 %.
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { getDatabase, many, one } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { benchScope, lap, r3 } from './lap';
import { computeCoverage, scopeOf } from '../server/services/coverage/figures';
import { refreshViews } from '../server/services/coverage/fov';
import { RULES } from '../server/services/coverage/rules';

const TOLERANCE = 0.001;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { extra: { type: 'string', default: '3000' }, seed: { type: 'string', default: 'coverage-county' } } });
  const extra = Number(values.extra);
  const db = await getDatabase();
  await migrate();
  return benchScope('coverage-county', async (c) => {
    const { area, srid } = await scopeOf(c);
    // the demo's own views, as the app keeps them cached (untimed)
    const prebuilt = await refreshViews(c, srid);
    const before = (await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting cameras', c)).n;

    // 3,000 copies moved 50–400 m along random bearings, drawn from a seeded stream
    const ids = (await many<{ id: number }>('SELECT id FROM cameras ORDER BY id', [], 'listing cameras', c)).map((r) => r.id);
    const rng = seedrandom(values.seed);
    const src: number[] = [];
    const dist: number[] = [];
    const bearing: number[] = [];
    for (let i = 0; i < extra; i++) {
      src.push(ids[Math.floor(rng() * ids.length)]!);
      dist.push(50 + rng() * 350);
      bearing.push(rng() * 360);
    }
    const [, insertS] = await lap(() => c.query(
      `INSERT INTO cameras (external_id, gb_id, name, geom, mount_height_m, azimuth_deg, fov_deg, range_m, camera_type, smart, networked, status, last_seen_at, owner, township_code, installed_on)
       SELECT 'bench-coverage-' || x.n, k.gb_id, k.name || '(副本 ' || x.n || ')',
              ST_SetSRID(ST_Project(k.geom::geography, x.d, radians(x.b))::geometry, 4326),
              k.mount_height_m, k.azimuth_deg, k.fov_deg, k.range_m, k.camera_type, k.smart, k.networked, k.status, k.last_seen_at, k.owner, k.township_code, k.installed_on
       FROM unnest($1::int[], $2::float8[], $3::float8[]) WITH ORDINALITY AS x(src, d, b, n)
       JOIN cameras k ON k.id = x.src`,
      [src, dist, bearing],
    ));
    await c.query('ANALYZE cameras');
    const total = (await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting cameras', c)).n;

    // (i) the project: the new views, then the figures
    const [built, viewsS] = await lap(() => refreshViews(c, srid));
    const [res, figuresS] = await lap(() => computeCoverage(c, { gaps: false }));
    const projectS = viewsS + figuresS;
    const project = roadTotals(Object.entries(res.roads.byClass).map(([roadClass, b]) => ({ roadClass, totalM: b.totalKm * 1000, nominalM: b.coveredKm * 1000, effectiveM: b.effectiveKm * 1000 })));

    // (ii) naive: every view from scratch, one union, every road against it
    const [, naiveViewsS] = await lap(async () => {
      await c.query('CREATE TEMP TABLE naive_view (eff boolean, g geometry) ON COMMIT DROP');
      await c.query(
        `INSERT INTO naive_view (eff, g)
         SELECT x.status = ANY($4::text[]),
                ST_Transform(CASE WHEN $6::boolean THEN coalesce(ST_CollectionExtract(ST_Difference(x.v, (
                  SELECT ST_Union(building_shadow(x.geom, h.footprint, 2 * x.r)) FROM high_rises h
                  WHERE h.footprint IS NOT NULL AND ST_Intersects(h.footprint, x.v)
                    AND NOT ST_DWithin(h.footprint::geography, x.geom::geography, 1))), 3), x.v)
                  ELSE x.v END, $1::int)
         FROM (
           SELECT k.status, k.geom, k.range_m * ($2::jsonb ->> k.camera_type)::float8 AS r,
                  CASE WHEN k.range_m IS NULL THEN NULL
                       WHEN k.camera_type <> 'fixed' OR k.fov_deg >= 360 THEN fov_polygon(k.geom, 0, 360, k.range_m * ($2::jsonb ->> k.camera_type)::float8, $3)
                       WHEN k.azimuth_deg IS NULL OR k.fov_deg IS NULL THEN NULL
                       ELSE fov_polygon(k.geom, k.azimuth_deg, k.fov_deg, k.range_m * ($2::jsonb ->> k.camera_type)::float8, $3) END AS v
           FROM cameras k
         ) x
         WHERE x.v IS NOT NULL AND ST_Intersects(x.v, $5::geometry)`,
        [srid, JSON.stringify(RULES.view.rangeFactor), RULES.view.arcStepDeg, RULES.effective.statuses, area, RULES.view.occlusion],
      );
    });
    const [, naiveUnionS] = await lap(async () => {
      await c.query('CREATE TEMP TABLE naive_union ON COMMIT DROP AS SELECT ST_Union(g) AS nom, ST_Union(g) FILTER (WHERE eff) AS eff FROM naive_view');
    });
    const [naiveRows, naiveRoadsS] = await lap(() => many<{ roadClass: string; totalM: number; nominalM: number; effectiveM: number }>(
      `WITH county AS (SELECT ST_Transform($1::geometry, $2::int) AS g),
       r AS (
         SELECT rd.road_class, CASE WHEN ST_Within(m.g, county.g) THEN m.g ELSE ST_CollectionExtract(ST_Intersection(m.g, county.g), 2) END AS g
         FROM roads rd CROSS JOIN county
         CROSS JOIN LATERAL (SELECT ST_Transform(rd.geom, $2::int) AS g) m
         WHERE rd.geom && $1::geometry AND ST_Intersects(m.g, county.g)
       )
       SELECT r.road_class AS "roadClass", sum(ST_Length(r.g))::float8 AS "totalM",
              sum(coalesce(ST_Length(ST_Intersection(r.g, u.nom)), 0))::float8 AS "nominalM",
              sum(coalesce(ST_Length(ST_Intersection(r.g, u.eff)), 0))::float8 AS "effectiveM"
       FROM r CROSS JOIN naive_union u
       GROUP BY r.road_class`,
      [area, srid], 'measuring the roads the naive way', c,
    ));
    const naiveS = naiveViewsS + naiveUnionS + naiveRoadsS;
    const naive = roadTotals(naiveRows);
    const naiveViewCount = (await one<{ n: number }>('SELECT count(*)::int AS n FROM naive_view', [], 'counting the naive views', c)).n;

    // agreement, overall and per class
    const rel = (a: number, b: number) => (Math.max(Math.abs(a), Math.abs(b)) > 0 ? Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)) : 0);
    const overall = Math.max(rel(project.all.totalKm, naive.all.totalKm), rel(project.all.nominalKm, naive.all.nominalKm), rel(project.all.effectiveKm, naive.all.effectiveKm));
    const classes = [...new Set([...Object.keys(project.byClass), ...Object.keys(naive.byClass)])].sort();
    let perClass = 0;
    for (const k of classes) {
      const p = project.byClass[k] ?? { totalKm: 0, nominalKm: 0, effectiveKm: 0 };
      const n = naive.byClass[k] ?? { totalKm: 0, nominalKm: 0, effectiveKm: 0 };
      perClass = Math.max(perClass, rel(p.totalKm, n.totalKm), rel(p.nominalKm, n.nominalKm), rel(p.effectiveKm, n.effectiveKm));
    }

    return {
      engine: db.kind,
      cameras: { demo: before, added: total - before, total, inCounty: res.cameras.total, withView: res.cameras.sector + res.cameras.circle, unknownView: res.cameras.unknown, effective: res.cameras.effective },
      views: { demoViewsMadeCurrentBeforehand: prebuilt, builtByProject: built, builtByFiguresCall: res.method.viewsBuilt, naiveViewsInCounty: naiveViewCount },
      hotspots: res.hotspots ? { cells: res.hotspots.cells, incidents: res.hotspots.incidents } : null,
      seconds: {
        insertCopies: r3(insertS),
        project: { views: r3(viewsS), figures: r3(figuresS), total: r3(projectS) },
        naive: { views: r3(naiveViewsS), union: r3(naiveUnionS), roads: r3(naiveRoadsS), total: r3(naiveS) },
      },
      ratioNaiveToProject: r3(naiveS / projectS),
      roadsKm: {
        project: round(project.all),
        naive: round(naive.all),
        byClass: Object.fromEntries(classes.map((k) => [k, { project: round(project.byClass[k]), naive: round(naive.byClass[k]) }])),
      },
      check: {
        tolerance: TOLERANCE,
        maxRelativeDifferenceOverall: Number(overall.toExponential(3)),
        maxRelativeDifferenceByClass: Number(perClass.toExponential(3)),
        roadTotalsAgree: overall <= TOLERANCE,
        byClassAgree: perClass <= TOLERANCE,
        projectUnder10s: projectS < 10,
      },
      target: 'project (views + figures) under 10 s on real PostGIS',
    };
  });
}

interface Km { totalKm: number; nominalKm: number; effectiveKm: number }

function roadTotals(rows: { roadClass: string; totalM: number; nominalM: number; effectiveM: number }[]): { all: Km; byClass: Record<string, Km> } {
  const byClass: Record<string, Km> = {};
  const all: Km = { totalKm: 0, nominalKm: 0, effectiveKm: 0 };
  for (const r of rows) {
    const b = (byClass[r.roadClass] ??= { totalKm: 0, nominalKm: 0, effectiveKm: 0 });
    for (const x of [b, all]) {
      x.totalKm += r.totalM / 1000;
      x.nominalKm += r.nominalM / 1000;
      x.effectiveKm += r.effectiveM / 1000;
    }
  }
  return { all, byClass };
}

const round = (k: Km | undefined) => (k ? { totalKm: r3(k.totalKm), nominalKm: r3(k.nominalKm), effectiveKm: r3(k.effectiveKm) } : null);
