// Configuration parsing and coordinate conversion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, readEnv } from '../../server/env';
import { convertLonLat } from '../../server/crs';

test('an unset environment gives the embedded defaults', () => {
  const env = readEnv({});
  assert.equal(env.DATABASE_URL, undefined);
  assert.equal(env.PGLITE_DIR, '.data/pglite');
  assert.equal(env.PORT, 3000);
});

test('a bad PORT or DATABASE_URL is one clear sentence naming the variable', () => {
  assert.throws(() => readEnv({ PORT: 'eighty' }), (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message));
  assert.throws(() => readEnv({ DATABASE_URL: 'mysql://x' }), (e: unknown) => e instanceof ConfigError && /DATABASE_URL must start with postgres/.test(e.message));
});

test('GCJ-02 to WGS-84 puts the Ninghua county centre within 100 m of the OSM government node', () => {
  // ../shared/data/README.md: adcode centre (GCJ-02) vs OSM 宁化县人民政府 (WGS-84), ~40 m apart once converted.
  const [lon, lat] = convertLonLat([116.654365, 26.261754], 'gcj02', 'wgs84');
  const metres = (a: [number, number], b: [number, number]) =>
    Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);
  const osm: [number, number] = [116.6497421, 26.26557];
  assert.ok(metres([lon, lat], osm) < 100, `${metres([lon, lat], osm)} m`);
  assert.ok(metres([116.654365, 26.261754], osm) > 500, 'unconverted it is ~630 m away');
});
