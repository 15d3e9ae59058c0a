// Evaluation of a 挂牌整治 target: counts inside the target and its ring checked against
// independent counts, difference in differences and the weighted displacement quotient
// recomputed by hand from the reported parts, matched comparison cells that really match,
// and refusals. Everything happens in a rolled-back transaction with planted incidents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { caller, inRollback } from '../helpers';
import { one, sql } from '../../server/db/index';
import { evaluateTarget } from '../../server/services/hotspots/target-evaluation';
import { utmSrid } from '../../server/services/area/study-area';

/**
 * A quiet place in the county: the village centre with the fewest incidents within about
 * 1 km. The incidents are copied into an indexed temporary table first: under row-level
 * security the probe could not use the incidents' own spatial index (docs/ARCHITECTURE.md).
 */
async function quietPoint(c: pg.PoolClient) {
  await c.query('DROP TABLE IF EXISTS quiet_points; CREATE TEMP TABLE quiet_points AS SELECT geom FROM incidents; CREATE INDEX ON quiet_points USING gist (geom); ANALYZE quiet_points');
  return one<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p, code FROM admin_areas WHERE level = 'village') v
     ORDER BY (SELECT count(*) FROM quiet_points i WHERE ST_DWithin(i.geom, v.p, 0.01)), code LIMIT 1`,
    [], 'finding a quiet place', c,
  );
}

async function plant(c: pg.PoolClient, lon: number, lat: number, when: string, n: number) {
  await c.query(
    `INSERT INTO incidents (occurred_at, category_code, source, status, geom)
     SELECT $1::timestamptz + g * interval '1 hour', 'criminal.theft', '110', 'closed', ST_SetSRID(ST_MakePoint($2, $3), 4326) FROM generate_series(1, $4::int) g`,
    [when, lon, lat, n],
  );
}

test('evaluation counts the target and its ring exactly, and DiD and WDQ follow from the reported parts', { timeout: 180_000 }, async () => {
  await inRollback(async (c) => {
    const q = await quietPoint(c);
    const county = await one<{ wkt: string }>(`SELECT ST_AsEWKT(ST_Union(geom)) AS wkt FROM admin_areas WHERE level = 'county'`, [], 'county', c);
    const srid = await utmSrid(c, county.wkt);
    const { id } = await one<{ id: number }>(sql('targets/create.sql'), [q.lon, q.lat, 500, srid, '测试评估目标', '["测试"]', '测试派出所', '2026-05-01', '2026-10-31'], 'creating', c);
    const centre = await one<{ lon: number; lat: number }>('SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM rectification_targets WHERE id = $1', [id], 'centre', c);
    const base = await evaluateTarget(c, id, { asOf: '2026-11-01', ringM: 500, comparisons: 8 }); // what was there before planting
    const eastOf = (m: number) => centre.lon + m / (111_320 * Math.cos((centre.lat * Math.PI) / 180));
    await plant(c, centre.lon, centre.lat, '2026-01-15T10:00:00+08:00', 20); // target, before
    await plant(c, centre.lon, centre.lat, '2026-08-15T10:00:00+08:00', 4); // target, after
    await plant(c, eastOf(450), centre.lat, '2026-02-10T10:00:00+08:00', 6); // ring, before
    await plant(c, eastOf(450), centre.lat, '2026-09-10T10:00:00+08:00', 9); // ring, after
    await plant(c, eastOf(1500), centre.lat, '2026-09-10T10:00:00+08:00', 7); // beyond the ring

    const e = await evaluateTarget(c, id, { asOf: '2026-11-01', ringM: 500, comparisons: 8 });
    assert.equal(e.windows.days, 184);
    assert.equal(e.windows.start, '2026-04-30T16:00:00.000Z');
    const [tb, ta, rb, ra] = [base.target.before + 20, base.target.after + 4, base.ring.before + 6, base.ring.after + 9];
    assert.deepEqual([e.target.before, e.target.after], [tb, ta]);
    assert.deepEqual([e.ring.before, e.ring.after], [rb, ra]);
    assert.equal(e.target.changePct, Math.round(((ta - tb) / tb) * 1000) / 10);

    // Comparison cells: outside the ring, matched on the before count, counts that agree with the table.
    assert.equal(e.comparison.cells, 8);
    for (const cell of e.comparison.list) {
      const n: { before: number; after: number; far: boolean } = await one(
        `SELECT count(*) FILTER (WHERE i.occurred_at >= $2 AND i.occurred_at < $3)::int AS before,
                count(*) FILTER (WHERE i.occurred_at >= $3 AND i.occurred_at < $4)::int AS after,
                NOT ST_DWithin((SELECT geom::geography FROM rectification_targets WHERE id = $5), ST_SetSRID(ST_MakePoint($6, $7), 4326)::geography, 1000) AS far
         FROM incidents i WHERE ST_Intersects(i.geom, ST_GeomFromGeoJSON($1))`,
        [JSON.stringify(cell.polygon), e.windows.beforeFrom, e.windows.start, e.windows.afterTo, id, cell.lon, cell.lat], 'recounting a comparison cell', c,
      );
      assert.deepEqual([cell.before, cell.after], [n.before, n.after], `cell ${cell.id}`);
      assert.ok(n.far, `comparison cell ${cell.id} lies outside the ring`);
    }
    const gaps = e.comparison.list.map((x) => Math.abs(x.before - tb));
    const other = await one<{ closer: number }>(
      `SELECT count(*)::int AS closer FROM (
         SELECT floor(ST_X(ST_Transform(geom, $1::int)) / 500) AS i, floor(ST_Y(ST_Transform(geom, $1::int)) / 500) AS j, count(*) AS n
         FROM incidents WHERE occurred_at >= $2 AND occurred_at < $3 GROUP BY 1, 2) k
       WHERE abs(k.n - $7) < $4 AND NOT ST_DWithin(ST_Transform(ST_SetSRID(ST_MakePoint($5, $6), 4326), $1::int), ST_SetSRID(ST_MakePoint((k.i + 0.5) * 500, (k.j + 0.5) * 500), $1::int), 1000)`,
      [srid, e.windows.beforeFrom, e.windows.start, Math.max(...gaps), centre.lon, centre.lat, tb], 'looking for better matches', c,
    );
    assert.ok(other.closer <= 8, `${other.closer} cells match the target's before count better than the worst chosen one`);

    const cb = e.comparison.list.reduce((s, x) => s + x.before, 0);
    const ca = e.comparison.list.reduce((s, x) => s + x.after, 0);
    assert.deepEqual([e.comparison.before, e.comparison.after], [cb, ca]);
    assert.ok(Math.abs(e.did.perCell - (ta - tb - (ca - cb) / 8)) < 1e-3);
    assert.ok(Math.abs(e.did.se - Math.sqrt(ta + tb + (ca + cb) / 64)) < 1e-3);
    assert.ok(e.did.p !== null && e.did.p < 0.01, `p = ${e.did.p}`);
    const wdq = (ra / ca - rb / cb) / (ta / ca - tb / cb);
    assert.ok(Math.abs(e.ring.wdq! - wdq) < 1e-3, `WDQ ${e.ring.wdq} vs ${wdq}`);
    assert.match(e.ring.reading, wdq > 0.1 ? /效益扩散/ : wdq < -0.1 ? /转移/ : /未见明显/);
    assert.match(e.verdict, new RegExp(`由 ${tb} 起变为 ${ta} 起.*双重差分.*周边 500 米由 ${rb} 起变为 ${ra} 起.*WDQ`));
  });
});

test('evaluation refuses unknown targets and targets too young to judge', { timeout: 60_000 }, async () => {
  await assert.rejects(() => inRollback((c) => evaluateTarget(c, 999_999)), /does not exist/);
  await inRollback(async (c) => {
    const q = await quietPoint(c);
    const county = await one<{ wkt: string }>(`SELECT ST_AsEWKT(ST_Union(geom)) AS wkt FROM admin_areas WHERE level = 'county'`, [], 'county', c);
    const { id } = await one<{ id: number }>(sql('targets/create.sql'), [q.lon, q.lat, 500, await utmSrid(c, county.wkt), '测试评估目标', '["测试"]', '测试派出所', '2026-10-25', '2026-12-31'], 'creating', c);
    await assert.rejects(() => evaluateTarget(c, id, { asOf: '2026-11-01' }), /7 days before the evaluation date: evaluate after at least 14 days/);
    await assert.rejects(() => evaluateTarget(c, id, { ringM: 0 }), /ring width/);
  });
  const api = await caller();
  await assert.rejects(() => api.targets.evaluate({ id: 999_999 }), (e: unknown) => e instanceof Error && 'code' in e && e.code === 'BAD_REQUEST');
});
