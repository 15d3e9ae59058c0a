// Real third-party files from ../shared/data (when present): the Ninghua pilot's
// alignment check, and the landslide and camera files as real-world format tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { inRollback } from '../helpers';
import { runImport } from '../../server/import/pipeline';
import { runOsmImport } from '../../server/import/osm';
import { runNinghuaPilot } from '../../scripts/pilot-ninghua';

const DATA = path.resolve('..', 'shared', 'data');
const missing = !fs.existsSync(DATA) && `no ${DATA}`;
if (missing && process.env.CI) throw new Error(`Real-data tests need ${DATA} in CI`);

test('Ninghua pilot: after import the county centre lies within 100 m of OSM’s 宁化县人民政府', { skip: missing }, async () => {
  await inRollback(async (c) => {
    const r = await runNinghuaPilot(c, DATA);
    assert.deepEqual(r.county, { accepted: 1, rejected: 0 });
    assert.equal(r.areas.accepted, 244); // county, 16 townships, 227 villages
    assert.equal(r.areas.rejected, 0);
    assert.equal(r.derivedTownships, 14, 'the 14 townships with a centre get a derived area');
    assert.ok(r.osm.roads >= 20 && r.osm.places >= 3);
    assert.ok(r.centreToGovernmentM < 100, `${r.centreToGovernmentM} m`);
    assert.ok(r.centreToGovernmentM > 20, 'about 40 m, as the data README says');
    const derived = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM admin_areas WHERE parent_code = '350424000000' AND derived`);
    assert.equal(derived.rows[0]!.n, 14);
  });
});

test('NASA landslides import as hazards with the shipped mapping; every rejected row is named', { skip: missing }, async () => {
  await inRollback(async (c) => {
    const r = await runImport(c, { layer: 'hazards', file: path.join(DATA, 'hazards', 'nasa_landslides_china.csv'), mapping: 'geodata/mappings/nasa-landslides.json', allowOutside: true });
    assert.equal(r.read, 426);
    assert.equal(r.accepted + r.rejected + r.skipped, 426);
    assert.ok(r.accepted >= 420, `${r.accepted} accepted`);
    assert.ok(r.warnings.some((w) => /outside the county/.test(w)), 'all of China is outside the demo county');
  });
});

test('the Trafford camera CSV and the Lyon OSM cameras import', { skip: missing }, async () => {
  await inRollback(async (c) => {
    const t = await runImport(c, { layer: 'cameras', file: path.join(DATA, 'cameras', 'trafford_cctv_cameras.csv'), allowOutside: true });
    assert.equal(t.accepted, 163);
    assert.equal(t.mapping.gbId, 'camera_id');
    const o = await runOsmImport(c, { file: path.join(DATA, 'cameras', 'lyon_villeurbanne_roads_and_cameras.wgs84.osm'), allowOutside: true });
    assert.equal(o.layers.cameras.accepted, 20);
    assert.ok(o.layers.roads.accepted > 100);
    const dirs = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM cameras WHERE external_id LIKE 'osm-node-%' AND azimuth_deg IS NOT NULL`);
    assert.ok(dirs.rows[0]!.n >= 1, 'camera:direction becomes the azimuth');
  });
});
