// The conventions of a camera's field of view (camera_fov, built by refreshViews): a fixed
// camera's sector is centred on its azimuth (0° = north, clockwise) with the FOV as its
// opening and the range as its radius; a dome sees a circle of range × rangeFactor.dome;
// a fixed camera without an azimuth has no view; an edited camera's view is rebuilt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { inRollback } from '../helpers';
import { refreshViews } from '../../server/services/coverage/fov';
import { occluders } from '../../server/services/coverage/cameras';
import { RULES } from '../../server/services/coverage/rules';
import { utmSrid } from '../../server/services/area/study-area';

/** A point inside the demo county and the county's UTM zone. */
async function site(c: pg.PoolClient): Promise<{ lon: number; lat: number; srid: number }> {
  const r = await c.query<{ lon: number; lat: number; ewkt: string }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, ST_AsEWKT(p) AS ewkt
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM admin_areas WHERE level = 'county' LIMIT 1) x`,
  );
  const row = r.rows[0];
  assert.ok(row, 'the test database holds the demo county');
  return { lon: row.lon, lat: row.lat, srid: await utmSrid(c, row.ewkt) };
}

async function addCamera(c: pg.PoolClient, key: string, at: { lon: number; lat: number }, type: string, azimuth: number | null, fov: number, range: number): Promise<number> {
  const r = await c.query<{ id: number }>(
    `INSERT INTO cameras (external_id, name, geom, azimuth_deg, fov_deg, range_m, camera_type, status)
     VALUES ($1, $1, ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $5, $6, $7, 'online') RETURNING id`,
    [key, at.lon, at.lat, azimuth, fov, range, type],
  );
  return r.rows[0]!.id;
}

/** Whether the point `metres` from camera `id` at `azimuthDeg` lies in its view (EPSG:4326 and metric copies). */
async function sees(c: pg.PoolClient, id: number, metres: number, azimuthDeg: number): Promise<boolean> {
  const r = await c.query<{ in4326: boolean; inMetric: boolean }>(
    `SELECT ST_Intersects(f.geom, q) AS "in4326", ST_Intersects(f.geom_m, ST_Transform(q, f.srid)) AS "inMetric"
     FROM camera_fov f JOIN cameras k ON k.id = f.camera_id
     CROSS JOIN LATERAL (SELECT ST_Project(k.geom::geography, $2::float8, radians($3::float8))::geometry AS q) p
     WHERE f.camera_id = $1`,
    [id, metres, azimuthDeg],
  );
  const row = r.rows[0];
  assert.ok(row, `camera ${id} has a view row`);
  assert.equal(row.in4326, row.inMetric, 'the EPSG:4326 and the metric view agree');
  return row.in4326;
}

async function view(c: pg.PoolClient, id: number) {
  const r = await c.query<{ kind: string; srid: number; effectiveRangeM: number | null; hasGeom: boolean; hasGeomM: boolean; areaM2: number | null; minM: number | null; maxM: number | null }>(
    `SELECT f.kind, f.srid, f.effective_range_m AS "effectiveRangeM", f.geom IS NOT NULL AS "hasGeom", f.geom_m IS NOT NULL AS "hasGeomM",
            ST_Area(f.geom::geography) AS "areaM2",
            (SELECT min(ST_Distance(d.geom::geography, k.geom::geography)) FROM ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(f.geom, 1))) d WHERE NOT ST_Equals(d.geom, k.geom)) AS "minM",
            (SELECT max(ST_Distance(d.geom::geography, k.geom::geography)) FROM ST_DumpPoints(ST_ExteriorRing(ST_GeometryN(f.geom, 1))) d) AS "maxM"
     FROM camera_fov f JOIN cameras k ON k.id = f.camera_id WHERE f.camera_id = $1`,
    [id],
  );
  assert.ok(r.rows[0], `camera ${id} has a view row`);
  return r.rows[0];
}

const near = (actual: number, expected: number, rel: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= rel * expected, `${what}: ${actual} vs ${expected} (± ${rel * 100} %)`);

test('a fixed camera sees a sector centred on its azimuth (0° = north, clockwise), FOV wide, range deep', async () => {
  await inRollback(async (c) => {
    const at = await site(c);
    const id = await addCamera(c, 'test-fov-fixed', at, 'fixed', 90, 60, 100);
    await refreshViews(c, at.srid);
    const v = await view(c, id);
    assert.equal(v.kind, 'sector');
    assert.equal(v.srid, at.srid);
    assert.equal(v.effectiveRangeM, 100 * RULES.view.rangeFactor.fixed);
    near(v.areaM2!, (Math.PI * 100 ** 2) / 6, 0.005, 'sector area');
    near(v.maxM!, 100, 1e-4, 'arc vertices lie at the range (geodesic)');
    near(v.minM!, 100, 1e-4, 'every arc vertex lies at the range');
    assert.equal(await sees(c, id, 50, 90), true, '50 m due east (the azimuth)');
    assert.equal(await sees(c, id, 50, 80), true, '50 m at 80° (inside the 60–120° opening)');
    assert.equal(await sees(c, id, 50, 115), true, '50 m at 115°');
    assert.equal(await sees(c, id, 50, 0), false, '50 m due north');
    assert.equal(await sees(c, id, 50, 130), false, '50 m at 130° (outside the opening)');
    assert.equal(await sees(c, id, 50, 270), false, '50 m due west (behind)');
    assert.equal(await sees(c, id, 95, 90), true, '95 m due east');
    assert.equal(await sees(c, id, 105, 90), false, '105 m due east (beyond the range)');
  });
});

test('a dome camera sees a circle of range × rangeFactor.dome; a fixed camera without azimuth sees nothing', async () => {
  await inRollback(async (c) => {
    const at = await site(c);
    const dome = await addCamera(c, 'test-fov-dome', at, 'dome', null, 360, 100);
    const blind = await addCamera(c, 'test-fov-blind', at, 'fixed', null, 60, 100);
    await refreshViews(c, at.srid);
    const radius = 100 * RULES.view.rangeFactor.dome;
    const d = await view(c, dome);
    assert.equal(d.kind, 'circle');
    assert.equal(d.effectiveRangeM, radius);
    near(d.areaM2!, Math.PI * radius ** 2, 0.005, 'circle area');
    near(d.minM!, radius, 1e-4, 'nearest vertex at the effective range');
    near(d.maxM!, radius, 1e-4, 'farthest vertex at the effective range');
    for (const az of [0, 45, 135, 200, 300]) {
      assert.equal(await sees(c, dome, radius * 0.9, az), true, `${radius * 0.9} m at ${az}°`);
      assert.equal(await sees(c, dome, radius * 1.1, az), false, `${radius * 1.1} m at ${az}°`);
    }
    const b = await view(c, blind);
    assert.deepEqual({ kind: b.kind, hasGeom: b.hasGeom, hasGeomM: b.hasGeomM, effectiveRangeM: b.effectiveRangeM }, { kind: 'unknown', hasGeom: false, hasGeomM: false, effectiveRangeM: null });
  });
});

test('after an edit, refreshViews rebuilds exactly the edited camera, facing its new direction', async () => {
  await inRollback(async (c) => {
    const at = await site(c);
    const id = await addCamera(c, 'test-fov-turn', at, 'fixed', 90, 60, 100);
    assert.ok((await refreshViews(c, at.srid)) >= 1);
    assert.equal(await refreshViews(c, at.srid), 0, 'nothing is stale after a refresh');
    await c.query('UPDATE cameras SET azimuth_deg = 270 WHERE id = $1', [id]);
    assert.equal(await refreshViews(c, at.srid), 1, 'only the edited camera');
    assert.equal(await sees(c, id, 50, 270), true, '50 m due west (the new azimuth)');
    assert.equal(await sees(c, id, 50, 90), false, '50 m due east (the old azimuth)');
    await c.query('UPDATE cameras SET azimuth_deg = NULL WHERE id = $1', [id]);
    assert.equal(await refreshViews(c, at.srid), 1);
    assert.equal((await view(c, id)).kind, 'unknown', 'an azimuth removed makes the view unknown');
  });
});

test('a high-rise in the way cuts the ground behind it out of the view; one holding the camera does not', { timeout: 120_000 }, async () => {
  await inRollback(async (c) => {
    const at = await site(c);
    // a 20 m square tower 40–60 m north of the camera (spanning about ±14° seen from it)
    await c.query(
      `INSERT INTO high_rises (name, height_m, floors, fire_facility_status, geom, footprint)
       SELECT '测试高楼', 60, 20, 'normal', ST_Centroid(fp), ST_Multi(fp)
       FROM (SELECT ST_MakeEnvelope(ST_X(a), ST_Y(a), ST_X(b), ST_Y(b), 4326) AS fp
             FROM (SELECT ST_Project(p::geography, 40, radians(0))::geometry AS s FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS p) q) m
             CROSS JOIN LATERAL (SELECT ST_Project(s::geography, 10, radians(270))::geometry AS a, ST_Project(ST_Project(s::geography, 20, 0)::geometry::geography, 10, radians(90))::geometry AS b) ab) e`,
      [at.lon, at.lat],
    );
    const id = await addCamera(c, 'test-occluded', at, 'fixed', 0, 90, 100);
    await refreshViews(c, at.srid);
    const v = await c.query<{ occluders: number; areaM2: number }>(`SELECT occluders, ST_Area(geom::geography) AS "areaM2" FROM camera_fov WHERE camera_id = $1`, [id]);
    assert.equal(v.rows[0]!.occluders, 1);
    const full = (Math.PI * 100 * 100) / 4;
    assert.ok(v.rows[0]!.areaM2 < full * 0.95 && v.rows[0]!.areaM2 > full * 0.6, `occluded area ${v.rows[0]!.areaM2.toFixed(0)} m² of ${full.toFixed(0)}`);
    assert.equal(await sees(c, id, 30, 0), true, 'in front of the tower');
    assert.equal(await sees(c, id, 80, 0), false, 'behind the tower');
    assert.equal(await sees(c, id, 90, 5), false, 'behind the tower, off-axis');
    assert.equal(await sees(c, id, 80, 35), true, 'beside the tower');
    // the auditor's map lists the tower as an occluder of exactly this view
    const tower0 = (await occluders(c)).filter((h) => h.name === '测试高楼');
    assert.equal(tower0.length, 1);
    assert.equal(tower0[0]!.views, 1);
    assert.equal(tower0[0]!.footprint.type, 'MultiPolygon');
    assert.equal(await sees(c, id, 80, -40), true, 'beside the tower, other side');
    // a camera on the tower itself (inside the footprint) is not occluded by it
    const onTop = await c.query<{ lon: number; lat: number }>(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM high_rises WHERE name = '测试高楼'`);
    const roof = await addCamera(c, 'test-on-roof', onTop.rows[0]!, 'fixed', 0, 90, 100);
    await refreshViews(c, at.srid);
    const r = await c.query<{ occluders: number; areaM2: number }>(`SELECT occluders, ST_Area(geom::geography) AS "areaM2" FROM camera_fov WHERE camera_id = $1`, [roof]);
    assert.equal(r.rows[0]!.occluders, 0);
    assert.ok(Math.abs(r.rows[0]!.areaM2 - full) / full < 0.005);

    // the cache follows the buildings: the tower pulled down, both views are rebuilt and the
    // ground behind it is seen; the tower put back, it is hidden again
    const tower = await c.query<{ footprint: string }>(`SELECT footprint FROM high_rises WHERE name = '测试高楼'`);
    await c.query(`DELETE FROM high_rises WHERE name = '测试高楼'`);
    assert.ok((await refreshViews(c, at.srid)) >= 2, 'both views touching the tower are rebuilt');
    assert.equal(await sees(c, id, 80, 0), true, 'no tower, the ground behind it is seen');
    await c.query(
      `INSERT INTO high_rises (name, height_m, floors, fire_facility_status, geom, footprint)
       SELECT '测试高楼', 60, 20, 'normal', ST_Centroid($1::geometry), $1::geometry`,
      [tower.rows[0]!.footprint],
    );
    await refreshViews(c, at.srid);
    assert.equal(await sees(c, id, 80, 0), false, 'the tower back, the ground behind it is hidden again');
  });
});
