// The coordinate-system module against published reference points and round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertLonLat, crsFromPrj, crsLabel, fromWgs84, parseCrs, toWgs84, type LonLat } from '../../server/crs';
import { CrsError } from '../../server/errors';

const metres = (a: LonLat, b: LonLat) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

test('GCJ-02 and BD-09 conversions round-trip to under a millimetre', () => {
  for (let i = 0; i < 200; i++) {
    const p: LonLat = [100 + (i % 20), 20 + i / 10];
    for (const c of ['gcj02', 'bd09'] as const) {
      const back = convertLonLat(convertLonLat(p, 'wgs84', c), c, 'wgs84');
      assert.ok(metres(p, back) < 0.001, `${c} round trip off by ${metres(p, back)} m at ${p}`);
    }
  }
});

test('the GCJ-02 offset in Fujian is several hundred metres, and BD-09 adds Baidu’s further offset', () => {
  const p: LonLat = [116.6497421, 26.26557]; // OSM 宁化县人民政府
  const gcj = convertLonLat(p, 'wgs84', 'gcj02');
  const bd = convertLonLat(p, 'wgs84', 'bd09');
  assert.ok(metres(p, gcj) > 400 && metres(p, gcj) < 800, `${metres(p, gcj)} m`);
  assert.ok(metres(gcj, bd) > 500 && metres(gcj, bd) < 1500, `${metres(gcj, bd)} m`);
});

test('parseCrs accepts the documented names and codes and rejects others with the list of choices', () => {
  assert.equal(crsLabel(parseCrs('wgs84')), 'EPSG:4326');
  assert.equal(crsLabel(parseCrs('GCJ-02')), 'GCJ-02');
  assert.equal(crsLabel(parseCrs('bd09')), 'BD-09');
  assert.equal(crsLabel(parseCrs('CGCS2000')), 'EPSG:4490');
  assert.equal(crsLabel(parseCrs('EPSG:4548')), 'EPSG:4548');
  assert.equal(crsLabel(parseCrs('epsg:4527')), 'EPSG:4527');
  assert.throws(() => parseCrs('EPSG:2000'), (e: unknown) => e instanceof CrsError && /EPSG:4491–4554/.test(e.message));
  assert.throws(() => parseCrs('mars'), CrsError);
});

test('Gauss-Krüger zone definitions: the central meridian maps to the false easting, zone prefixes included', () => {
  // CM 117°E: EPSG:4548 (no prefix) and EPSG:4527 (zone 39 prefix); on the equator northing is 0.
  const [e1, n1] = fromWgs84(parseCrs('EPSG:4548'))(117, 0);
  assert.ok(Math.abs(e1 - 500_000) < 1e-6 && Math.abs(n1) < 1e-6);
  const [e2] = fromWgs84(parseCrs('EPSG:4527'))(117, 0);
  assert.ok(Math.abs(e2 - 39_500_000) < 1e-6);
  // 6° zone 20 (EPSG:4498, CM 117°E) has the prefix 20.
  const [e3] = fromWgs84(parseCrs('EPSG:4498'))(117, 0);
  assert.ok(Math.abs(e3 - 20_500_000) < 1e-6);
  // One degree of latitude along the central meridian is ~110.6 km at 25°N (GRS80 meridian arc).
  const [, nA] = fromWgs84(parseCrs('EPSG:4548'))(117, 25);
  const [, nB] = fromWgs84(parseCrs('EPSG:4548'))(117, 26);
  assert.ok(Math.abs(nB - nA - 110_750) < 200, `${nB - nA} m`);
  // Round trip in every 3° zone.
  for (let epsg = 4534; epsg <= 4554; epsg++) {
    const crs = parseCrs(`EPSG:${epsg}`);
    const cm = 75 + (epsg - 4534) * 3;
    const p: LonLat = [cm + 0.7, 30.5];
    const back = toWgs84(crs)(...fromWgs84(crs)(...p));
    assert.ok(metres(p, back) < 0.001, `EPSG:${epsg}`);
  }
});

test('a shapefile .prj for CGCS2000 3-degree GK CM 117E is read as EPSG:4548', () => {
  const prj = 'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
  assert.equal(crsLabel(crsFromPrj(prj)!), 'EPSG:4548');
  const zoned = prj.replace('CM_117E', 'Zone_39').replace('500000.0', '39500000.0');
  assert.equal(crsLabel(crsFromPrj(zoned)!), 'EPSG:4527');
  assert.equal(crsLabel(crsFromPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]')!), 'EPSG:4326');
  assert.equal(crsFromPrj('PROJCS["Some_Local_Grid",GEOGCS["x"]]'), null);
});
