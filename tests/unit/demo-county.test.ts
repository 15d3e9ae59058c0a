// The demo county generator: deterministic, at least the sizes the product promises,
// and with the structure the analyses rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCounty, incidentValueBatches, DEMO_PARAMS } from '../../scripts/demo-county/index';
import { incidentBatches, type IncidentRow } from '../../scripts/demo-county/incidents';

const county = generateCounty('unit');

function firstIncidents(seed: string, n: number): IncidentRow[] {
  const c = seed === 'unit' ? county : generateCounty(seed);
  const world = { admin: c.admin, frame: c.frame, net: c.net, places: c.places, hazards: c.hazards, end: c.end, years: c.params.incidentYears };
  const batch = incidentBatches(seed, world, n, n).next().value;
  assert.ok(batch);
  return batch;
}

test('the same seed produces the same county', () => {
  const again = generateCounty('unit');
  assert.deepEqual(again.admin.townships.map((t) => [t.code, t.name, t.lonLat]), county.admin.townships.map((t) => [t.code, t.name, t.lonLat]));
  assert.deepEqual(again.register.cameras, county.register.cameras);
  assert.deepEqual(again.net.roads, county.net.roads);
  assert.deepEqual(firstIncidents('unit', 2000), firstIncidents('unit', 2000));
});

test('a different seed produces a different county', () => {
  const other = generateCounty('other');
  assert.notDeepEqual(other.admin.townships.map((t) => t.lonLat), county.admin.townships.map((t) => t.lonLat));
});

test('the default county has at least the promised sizes', () => {
  const { admin, net, places, register, hazards, highRises, patrol } = county;
  assert.ok(admin.townships.length >= 15);
  const villages = admin.townships.flatMap((t) => t.villages);
  assert.ok(villages.length >= 200, `${villages.length} villages`);
  const grids = villages.flatMap((v) => v.grids);
  assert.ok(grids.length >= 400, `${grids.length} grids`);
  assert.ok(grids.every((g) => g.workerName.length >= 2 && /^1[3-9]\d{9}$/.test(g.workerPhone)));
  const km = net.roads.reduce((a, r) => a + r.points.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - r.points[i]![0], p[1] - r.points[i]![1]), 0), 0) / 1000;
  assert.ok(km >= 2000, `${km} km of road`);
  assert.deepEqual(new Set(net.roads.map((r) => r.roadClass)), new Set(['national', 'provincial', 'county', 'township', 'village', 'urban']));
  assert.ok(places.length >= 500);
  assert.equal(register.cameras.length, 2000);
  assert.equal(hazards.filter((h) => ['landslide', 'rockfall', 'debris_flow', 'ground_collapse', 'flash_flood', 'unstable_rock'].includes(h.hazardType)).length, 300);
  assert.ok(hazards.some((h) => h.hazardType === 'fire_key_unit') && hazards.some((h) => h.hazardType === 'forest_fire_zone'));
  assert.equal(highRises.length, 50);
  assert.ok(highRises.every((h) => h.township.isSeat));
  assert.equal(patrol.routes.length, 20);
});

test('geological hazards lie on steep ground', () => {
  const geo = county.hazards.filter((h) => h.at && h.hazardType !== 'fire_key_unit');
  assert.ok(geo.every((h) => county.terrain.slopeDeg(h.at!) >= 18));
  // and steep ground is the exception, not the rule, across the county
  const samples = county.admin.townships.map((t) => county.terrain.slopeDeg(t.centre));
  assert.ok(samples.filter((s) => s >= 18).length < samples.length / 2);
});

test('about 5 % of camera records carry register defects, each recorded in the manifest', () => {
  const { cameras, defects } = county.register;
  assert.ok(Math.abs(defects.length / cameras.length - DEMO_PARAMS.cameraDefectShare) < 0.005);
  assert.equal(new Set(defects.map((d) => d.externalId)).size, defects.length);
  const byId = new Map(cameras.map((c) => [c.externalId, c]));
  for (const d of defects) {
    const cam = byId.get(d.externalId)!;
    if (d.defect === 'missing_azimuth') assert.equal(cam.azimuthDeg, null);
    if (d.defect === 'malformed_id') assert.ok(!/^\d{20}$/.test(cam.gbId));
  }
  const clean = cameras.filter((c) => !defects.some((d) => d.externalId === c.externalId));
  assert.ok(clean.every((c) => /^\d{20}$/.test(c.gbId)));
  assert.ok(clean.every((c) => c.cameraType !== 'fixed' || c.azimuthDeg !== null));
});

test('incidents follow daily, weekly and seasonal rhythms and cluster in hotspots', () => {
  const rows = [...incidentValueBatches('unit', county, 30_000)].flat();
  const incidents = firstIncidents('unit', 30_000);
  assert.equal(rows.length, 30_000);
  const localHour = (d: Date) => (d.getUTCHours() + 8) % 24;
  const fights = incidents.filter((i) => i.categoryCode === 'public_order.fight');
  const nightFights = fights.filter((i) => localHour(i.occurredAt) >= 20 || localHour(i.occurredAt) < 3).length;
  assert.ok(nightFights / fights.length > 0.5, `night share of fights ${nightFights / fights.length}`);
  const petitions = incidents.filter((i) => i.categoryCode.startsWith('petition'));
  const weekend = petitions.filter((i) => [0, 6].includes(new Date(i.occurredAt.getTime() + 8 * 3600e3).getUTCDay())).length;
  assert.ok(weekend / petitions.length < 0.1, 'petitions come on working days');
  const month = (i: { occurredAt: Date }) => new Date(i.occurredAt.getTime() + 8 * 3600e3).getUTCMonth();
  const thefts = incidents.filter((i) => i.categoryCode === 'criminal.theft');
  assert.ok(thefts.filter((i) => month(i) === 6).length > thefts.filter((i) => month(i) === 0).length * 1.2, 'more thefts in July than in January');
  // Hotspots: the busiest 1 % of 500 m cells hold far more than 1 % of incidents.
  const cells = new Map<string, number>();
  for (const i of incidents) {
    const [x, y] = county.frame.toXY(i.lonLat);
    const key = `${Math.floor(x / 500)},${Math.floor(y / 500)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const areaCells = Math.round((Math.PI * (DEMO_PARAMS.radiusKm * 1000) ** 2) / 500 ** 2);
  const top = [...cells.values()].sort((a, b) => b - a).slice(0, Math.round(areaCells * 0.01));
  const share = top.reduce((a, b) => a + b, 0) / incidents.length;
  assert.ok(share > 0.25, `top 1 % of cells hold ${share}`);
});

test('every incident is placed in the county and assigned to the grid that contains it', () => {
  for (const i of firstIncidents('unit', 3000)) {
    const where = county.admin.locate(county.frame.toXY(i.lonLat));
    assert.ok(where);
    assert.equal(where.grid.code, i.gridCode);
    assert.equal(where.township.code, i.townshipCode);
  }
});
