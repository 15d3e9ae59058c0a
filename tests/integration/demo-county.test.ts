// The demo county as loaded into the database: counts, consistent geometry, and the
// base-map and stats procedures reading it through tRPC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback } from '../helpers';
import { many, one } from '../../server/db/index';

test('stats after the default seed shows at least the promised counts', async () => {
  const stats = await (await caller()).stats.counts();
  const minimums = { townships: 15, villages: 200, grids: 400, gridWorkers: 400, roadKm: 2000, places: 500, cameras: 2000, geologicalHazards: 300, highRises: 50, patrolRoutes: 20, incidents: 50_000 };
  for (const [key, min] of Object.entries(minimums)) {
    assert.ok(stats[key as keyof typeof stats] >= min, `${key} = ${stats[key as keyof typeof stats]}, expected at least ${min}`);
  }
  assert.ok(stats.fireKeyUnits > 0 && stats.forestFireZones > 0 && stats.trackPoints > 50_000);
});

test('every administrative area and grid has a valid polygon, and the grids tile the county', () => inRollback(async (c) => {
  const bad = await one<{ n: number }>(
    `SELECT (SELECT count(*) FROM admin_areas WHERE geom IS NULL OR NOT ST_IsValid(geom) OR ST_IsEmpty(geom))
          + (SELECT count(*) FROM grids WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)) AS n`,
    [], 'checking polygons', c,
  );
  assert.equal(bad.n, 0);
  const area = await one<{ county: number; townships: number; grids: number }>(
    `SELECT (SELECT ST_Area(geom::geography) FROM admin_areas WHERE level = 'county') AS county,
            (SELECT sum(ST_Area(geom::geography)) FROM admin_areas WHERE level = 'township') AS townships,
            (SELECT sum(ST_Area(geom::geography)) FROM grids) AS grids`,
    [], 'comparing areas', c,
  );
  assert.ok(Math.abs(area.county / 1e6 - 2000) < 100, `county area ${area.county / 1e6} km²`);
  assert.ok(Math.abs(area.townships / area.county - 1) < 0.001);
  assert.ok(Math.abs(area.grids / area.county - 1) < 0.001);
}));

test('every incident lies in the grid cell and township it names', () => inRollback(async (c) => {
  const r = await one<{ total: number; inside: number }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE ST_Intersects(g.geom, i.geom) AND g.township_code = i.township_code) AS inside
     FROM incidents i JOIN grids g ON g.code = i.grid_code`,
    [], 'matching incidents to grids', c,
  );
  const total = await one<{ n: number }>('SELECT count(*) AS n FROM incidents', [], 'counting incidents', c);
  assert.equal(r.total, total.n, 'every incident names an existing grid');
  assert.ok(r.inside / r.total > 0.999, `${r.inside} of ${r.total} inside their grid`);
}));

test('every incident has a handling history that starts with 受理 and ends in its current status', () => inRollback(async (c) => {
  const r = await one<{ without: number; mismatched: number }>(
    `WITH last AS (
       SELECT DISTINCT ON (incident_id) incident_id, status FROM incident_status_history ORDER BY incident_id, changed_at DESC
     )
     SELECT (SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_status_history h WHERE h.incident_id = i.id AND h.status = 'received')) AS without,
            (SELECT count(*) FROM incidents i JOIN last l ON l.incident_id = i.id WHERE l.status <> i.status) AS mismatched`,
    [], 'checking status histories', c,
  );
  assert.equal(r.without, 0);
  assert.equal(r.mismatched, 0);
}));

test('the base-map procedures return the county, townships, grids and roads as GeoJSON', async () => {
  const api = await caller();
  const county = await api.basemap.county();
  assert.equal(county.features.length, 1);
  assert.match(county.features[0]!.geometry.type, /^(Multi)?Polygon$/);
  const townships = await api.basemap.adminAreas({ level: 'township' });
  assert.ok(townships.features.length >= 15);
  assert.ok(townships.features.every((f) => /[镇乡街道]$/.test(f.properties.name) && f.properties.areaKm2 > 0));
  const grids = await api.basemap.grids();
  assert.ok(grids.features.length >= 400);
  const roads = await api.basemap.roads();
  assert.deepEqual(new Set(roads.features.map((f) => f.properties.roadClass)), new Set(['national', 'provincial', 'county', 'township', 'village', 'urban']));
  const dataset = await api.basemap.dataset();
  assert.equal(dataset.demo, true);
  assert.equal(dataset.label, '示例数据');
});

test('bad procedure input is rejected with the field that is wrong', async () => {
  const api = await caller();
  await assert.rejects(
    () => api.basemap.adminAreas({ level: 'province' as 'township' }),
    (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && /行政区划级别/.test(e.message),
  );
});

test('camera register defects from the manifest are present in the cameras table', () => inRollback(async (c) => {
  const info = await one<{ value: { cameraDefects: { externalId: string; defect: string }[] } }>(`SELECT value FROM dataset_info WHERE key = 'demo'`, [], 'reading the manifest', c);
  const missing = info.value.cameraDefects.filter((d) => d.defect === 'missing_azimuth').map((d) => d.externalId);
  const rows = await many<{ external_id: string }>('SELECT external_id FROM cameras WHERE azimuth_deg IS NULL AND camera_type = $1', ['fixed'], 'finding cameras without azimuth', c);
  assert.deepEqual(new Set(rows.map((r) => r.external_id)), new Set(missing));
  const dupIds = await one<{ n: number }>('SELECT count(*) AS n FROM (SELECT gb_id FROM cameras GROUP BY gb_id HAVING count(*) > 1) d', [], 'finding duplicate ids', c);
  assert.ok(dupIds.n > 0);
}));
