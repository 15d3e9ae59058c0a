// The coverage figures on a hand-made study area whose answers are known: one road, three
// cameras (a fixed one online, a dome offline, a fixed one without azimuth), key places
// covered by their entrance, by their footprint or not at all, a private place, two grids,
// hazard points and a hazard zone. Laid out in UTM zone 50N metres east of the demo county
// (nothing of the demo lies there); the views are geodesic, so lengths and areas are
// compared within 0.3 % (UTM scale factor and the 2° arc chords).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { inRollback } from '../helpers';
import { computeCoverage } from '../../server/services/coverage/figures';

const X0 = 530_000; // UTM 50N easting of the origin (about 118.3° E, outside the demo county)
const Y0 = 2_843_000; // northing (about 25.7° N)
const pt = (dx: number, dy: number) => `ST_Transform(ST_SetSRID(ST_MakePoint(${X0 + dx}, ${Y0 + dy}), 32650), 4326)`;
const box = (x1: number, y1: number, x2: number, y2: number) =>
  `ST_Multi(ST_Transform(ST_MakeEnvelope(${X0 + x1}, ${Y0 + y1}, ${X0 + x2}, ${Y0 + y2}, 32650), 4326))`;

function near(actual: number | null | undefined, expected: number, what: string, rel = 0.003): void {
  assert.ok(actual !== null && actual !== undefined, `${what}: no value`);
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-9, `${what}: ${actual} vs expected ${expected}`);
}

/** Area of the polygon the views are drawn as: n arc vertices every 2°. */
const sectorArea = (r: number, fovDeg: number) => 0.5 * r * r * (fovDeg / 2) * Math.sin((2 * Math.PI) / 180);

async function build(c: pg.PoolClient): Promise<string> {
  const cam = (key: string, at: string, type: string, azimuth: number | null, fov: number, range: number, status: string) =>
    c.query(`INSERT INTO cameras (external_id, name, geom, azimuth_deg, fov_deg, range_m, camera_type, status) VALUES ($1, $1, ${at}, $2, $3, $4, $5, $6)`, [key, azimuth, fov, range, type, status]);
  await c.query(`INSERT INTO roads (name, road_class, geom) VALUES ('测试路', 'urban', ST_MakeLine(${pt(-300, 0)}, ${pt(300, 0)}))`);
  await cam('fig-a', pt(0, 0), 'fixed', 90, 90, 100, 'online'); //   sector east, 100 m
  await cam('fig-b', pt(-200, 0), 'dome', null, 360, 100, 'offline'); // circle of 50 m, not effective
  await cam('fig-c', pt(200, 0), 'fixed', null, 60, 100, 'online'); //  no azimuth: unknown view
  const place = (name: string, type: string, entrance: string, footprint: string | null) =>
    c.query(`INSERT INTO places (name, place_type, geom, entrance, footprint) VALUES ($1, $2, ${entrance}, ${entrance}, ${footprint ?? 'NULL'})`, [name, type]);
  await place('入口可见的学校', 'school', pt(50, 10), null); //                  entrance in A
  await place('整体可见的学校', 'school', pt(60, -80), box(40, -20, 80, 20)); // entrance outside, footprint all in A
  await place('少部分可见的学校', 'school', pt(-30, -40), box(-30, -20, 10, 20)); // ~6 % of the footprint in A
  await place('离线球机下的医院', 'hospital', pt(-200, 30), null); //           entrance in B only
  await place('看不到的市场', 'market', pt(0, 200), null);
  await place('宾馆客房', 'hotel_room', pt(50, 0), null); //                      private: not a key place
  await c.query(`INSERT INTO grids (code, name, geom) VALUES ('fig-g1', '测试网格一', ${box(0, -100, 200, 100)}), ('fig-g2', '测试网格二', ${box(-300, -100, -100, 100)})`);
  await c.query(
    `INSERT INTO hazards (hazard_type, name, geom) VALUES
       ('landslide', '离线球机下的滑坡', ${pt(-210, 10)}),
       ('fire_key_unit', '可见的消防重点单位', ${pt(30, 0)}),
       ('forest_fire_zone', '测试防火区', ST_Transform(ST_MakeEnvelope(${X0}, ${Y0}, ${X0 + 100}, ${Y0 + 100}, 32650), 4326))`,
  );
  const r = await c.query<{ ewkt: string }>(`SELECT ST_AsEWKT(ST_Transform(ST_MakeEnvelope(${X0 - 400}, ${Y0 - 300}, ${X0 + 400}, ${Y0 + 300}, 32650), 4326)) AS ewkt`);
  return r.rows[0]!.ewkt;
}

test('figures on a hand-made study area: road length, key places, grids, hazards, nominal and effective', { timeout: 120_000 }, async () => {
  await inRollback(async (c) => {
    const within = await build(c);
    const res = await computeCoverage(c, { within, hotspots: false });

    assert.equal(res.method.metricSrid, 32650);
    assert.deepEqual({ total: res.cameras.total, sector: res.cameras.sector, circle: res.cameras.circle, unknown: res.cameras.unknown }, { total: 3, sector: 1, circle: 1, unknown: 1 });

    // road: 600 m; A sees 100 m east of itself (the arc chord on the axis is at 100·cos 1°),
    // B 100 m around itself (offline: nominal only); C sees nothing
    const aRoad = 100 * Math.cos(Math.PI / 180);
    near(res.roads.totalKm, 0.6, 'road total km');
    near(res.roads.coveredKm, (aRoad + 100) / 1000, 'road covered km (nominal)');
    near(res.roads.effectiveKm, aRoad / 1000, 'road covered km (effective)');
    near(res.roads.lostKm, 0.1, 'road km lost to the offline dome');
    near(res.roads.nominal, (aRoad + 100) / 600, 'road share nominal');
    near(res.roads.effective, aRoad / 600, 'road share effective');
    assert.deepEqual(Object.keys(res.roads.byClass), ['urban']);
    near(res.roads.byClass.urban!.effectiveKm, aRoad / 1000, 'urban road effective km');

    // key places: by entrance, by footprint (≥ 50 %), not by 6 % of a footprint; private places left out
    const counts = (k: string) => res.places[k] && { total: res.places[k].total, nominal: res.places[k].nominalCount, effective: res.places[k].effectiveCount };
    assert.deepEqual(counts('school'), { total: 3, nominal: 2, effective: 2 });
    assert.deepEqual(counts('hospital'), { total: 1, nominal: 1, effective: 0 });
    assert.deepEqual(counts('market'), { total: 1, nominal: 0, effective: 0 });
    assert.equal(res.places.hotel_room, undefined, 'private places are not key places');
    assert.deepEqual({ total: res.placesAll.total, nominal: res.placesAll.nominalCount, effective: res.placesAll.effectiveCount }, { total: 5, nominal: 3, effective: 2 });

    // grids of 200 m × 200 m: g1 holds A's whole sector and 200 m of road (A covers half);
    // g2 holds B's whole circle (offline) and 200 m of road (B covers half, nominally)
    const g1 = res.gridCells.find((g) => g.code === 'fig-g1');
    const g2 = res.gridCells.find((g) => g.code === 'fig-g2');
    assert.ok(g1 && g2, 'both grids are measured');
    near(g1.areaShareNominal, sectorArea(100, 90) / 40_000, 'g1 area share nominal');
    near(g1.areaShareEffective, sectorArea(100, 90) / 40_000, 'g1 area share effective');
    near(g1.roadKm, 0.2, 'g1 road km');
    near(g1.roadShareEffective, aRoad / 200, 'g1 road share effective');
    near(g2.areaShareNominal, sectorArea(50, 360) / 40_000, 'g2 area share nominal');
    assert.equal(g2.areaShareEffective, 0);
    near(g2.roadShareNominal, 0.5, 'g2 road share nominal');
    assert.equal(g2.roadShareEffective, 0);
    assert.equal(res.grids.total, 2);
    assert.equal(res.grids.withoutCoverage, 1, 'g2 has no effective coverage');
    near(res.grids.areaShareNominal, (sectorArea(100, 90) + sectorArea(50, 360)) / 80_000, 'grids area share nominal');

    // hazards: the landslide under the offline dome is watched only nominally; the fire unit
    // in A's sector is watched; the zone (100 m square east-north-east of A) is in view where
    // y ≤ x within 100 m: an eighth of the circle
    assert.deepEqual({ total: res.hazards.points.landslide?.total, nominal: res.hazards.points.landslide?.nominalCount, effective: res.hazards.points.landslide?.effectiveCount }, { total: 1, nominal: 1, effective: 0 });
    assert.deepEqual({ total: res.hazards.points.fire_key_unit?.total, nominal: res.hazards.points.fire_key_unit?.nominalCount, effective: res.hazards.points.fire_key_unit?.effectiveCount }, { total: 1, nominal: 1, effective: 1 });
    assert.equal(res.hazards.zones.total, 1);
    near(res.hazards.zones.areaShareEffective, sectorArea(100, 45) / 10_000, 'hazard zone area share', 0.005);

    assert.equal(res.hotspots, null, 'hotspots were not asked for');
    assert.deepEqual(res.townships, [], 'the area lies in no township of the county');
  });
});
