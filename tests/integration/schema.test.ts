// The schema: migrations are idempotent, and the constraints reject impossible values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback, sqlState } from '../helpers';
import { migrate, migrationFiles } from '../../server/db/migrate';
import { many } from '../../server/db/index';

test('migrate applies nothing the second time and records every file', async () => {
  const result = await migrate();
  assert.deepEqual(result.applied, []);
  assert.equal(result.alreadyApplied, migrationFiles().length);
  const rows = await inRollback((c) => many<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name', [], 'listing migrations', c));
  assert.deepEqual(rows.map((r) => r.name), migrationFiles());
});

const CAMERA = `INSERT INTO cameras (name, geom, camera_type, status, azimuth_deg, fov_deg, range_m)
  VALUES ('测试', ST_SetSRID(ST_MakePoint(117.6, 25.7), 4326), 'fixed', 'online', $1, $2, $3)`;

test('a camera with an azimuth outside 0–360 is rejected', async () => {
  await inRollback(async (c) => {
    assert.equal(await sqlState(c, CAMERA, [361, 60, 50]), '23514');
    assert.equal(await sqlState(c, CAMERA, [-1, 60, 50]), '23514');
    assert.equal(await sqlState(c, CAMERA, [0, 60, 50]), null);
    assert.equal(await sqlState(c, CAMERA, [360, 60, 50]), null);
    assert.equal(await sqlState(c, CAMERA, [null, 60, 50]), null, 'a missing azimuth is a register defect, stored to be audited');
  });
});

test('a camera with a field of view outside 1–360 or a non-positive range is rejected', async () => {
  await inRollback(async (c) => {
    assert.equal(await sqlState(c, CAMERA, [90, 0.5, 50]), '23514');
    assert.equal(await sqlState(c, CAMERA, [90, 361, 50]), '23514');
    assert.equal(await sqlState(c, CAMERA, [90, 60, 0]), '23514');
    assert.equal(await sqlState(c, CAMERA, [90, 1, 50]), null);
  });
});

test('negative population and households are rejected', async () => {
  await inRollback(async (c) => {
    const grid = `INSERT INTO grids (code, name, population, households, geom)
      VALUES ($1, '测试网格', $2, $3, ST_Multi(ST_MakeEnvelope(117.6, 25.7, 117.61, 25.71, 4326)))`;
    assert.equal(await sqlState(c, grid, ['t1', -1, 1]), '23514');
    assert.equal(await sqlState(c, grid, ['t2', 1, -1]), '23514');
    assert.equal(await sqlState(c, grid, ['t3', 0, 0]), null);
  });
});

test('an invalid (self-intersecting) polygon is rejected', async () => {
  await inRollback(async (c) => {
    const bowtie = 'SRID=4326;MULTIPOLYGON(((117 25,117.1 25.1,117.1 25,117 25.1,117 25)))';
    const grid = `INSERT INTO grids (code, name, geom) VALUES ('bowtie', '自相交', $1::geometry)`;
    assert.equal(await sqlState(c, grid, [bowtie]), '23514');
  });
});

test('unknown categories and road classes are rejected by the dictionaries', async () => {
  await inRollback(async (c) => {
    assert.equal(await sqlState(c, `INSERT INTO roads (road_class, geom) VALUES ('motorway', ST_GeomFromText('LINESTRING(117 25,117.1 25.1)', 4326))`), '23503');
    assert.equal(
      await sqlState(c, `INSERT INTO incidents (occurred_at, category_code, source, status, geom) VALUES (now(), 'criminal.unknown', '110', 'received', ST_SetSRID(ST_MakePoint(117.6, 25.7), 4326))`),
      '23503',
    );
  });
});

test('incidents and track points are partitioned by time', async () => {
  const rows = await inRollback((c) => many<{ parent: string; n: number }>(
    `SELECT parent.relname AS parent, count(*)::int AS n FROM pg_inherits i
     JOIN pg_class parent ON parent.oid = i.inhparent
     WHERE parent.relname IN ('incidents', 'patrol_track_points') GROUP BY parent.relname ORDER BY 1`,
    [],
    'listing partitions', c,
  ));
  assert.deepEqual(rows.map((r) => r.parent), ['incidents', 'patrol_track_points']);
  assert.ok(rows.every((r) => r.n >= 10));
});
