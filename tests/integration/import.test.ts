// The import pipeline against the real database: one fixture per format and per
// coordinate system, row-level error reports, dry runs, upserts, the error threshold,
// geometry repair and CRS detection. Every test runs inside a transaction that is
// rolled back, so the shared test database is left as it was.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import type pg from 'pg';
import { inRollback } from '../helpers';
import { runImport, type ImportReport } from '../../server/import/pipeline';
import { convertLonLat, fromWgs84, parseCrs, type LonLat } from '../../server/crs';
import { one, many } from '../../server/db/index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-import-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const metres = (a: LonLat, b: LonLat) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);

// Three camera positions inside the demo county (WGS-84), written in each CRS below.
const CAMS: { id: string; name: string; at: LonLat; azimuth: number }[] = [
  { id: 'T-CAM-1', name: '城关路口枪机', at: [117.6012345, 25.7023456], azimuth: 90 },
  { id: 'T-CAM-2', name: '客运站门口球机', at: [117.6054321, 25.6987654], azimuth: 0 },
  { id: 'T-CAM-3', name: '农贸市场枪机', at: [117.5987654, 25.7054321], azimuth: 275.5 },
];

async function camerasAt(c: pg.PoolClient, ids: string[]) {
  const r = await c.query<{ external_id: string; name: string; lon: number; lat: number; azimuth_deg: number | null; source_crs: string }>(
    'SELECT external_id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, azimuth_deg, source_crs FROM cameras WHERE external_id = ANY($1) ORDER BY external_id',
    [ids],
  );
  return r.rows;
}

function assertCamerasLanded(rows: Awaited<ReturnType<typeof camerasAt>>, tolerance: number) {
  assert.equal(rows.length, CAMS.length);
  for (const cam of CAMS) {
    const row = rows.find((r) => r.external_id === cam.id)!;
    assert.equal(row.name, cam.name);
    assert.ok(metres([row.lon, row.lat], cam.at) < tolerance, `${cam.id} off by ${metres([row.lon, row.lat], cam.at)} m`);
  }
}

function csv(crs: string, header = 'id,名称,经度,纬度,方向角,类型') {
  const project = fromWgs84(parseCrs(crs));
  return [header, ...CAMS.map((c) => [c.id, c.name, ...project(...c.at), c.azimuth, '枪机'].join(','))].join('\n') + '\n';
}

for (const crs of ['wgs84', 'gcj02', 'bd09', 'cgcs2000']) {
  test(`a UTF-8 CSV with Chinese headers in ${crs} lands in WGS-84 within 0.1 m, with its source CRS recorded`, async () => {
    await inRollback(async (c) => {
      const report = await runImport(c, { layer: 'cameras', file: write(`cams-${crs}.csv`, csv(crs)), crs });
      assert.equal(report.accepted, 3, JSON.stringify(report.errors));
      assert.equal(report.rejected, 0);
      const rows = await camerasAt(c, CAMS.map((x) => x.id));
      assertCamerasLanded(rows, 0.1);
      assert.equal(rows[0]!.source_crs, report.crs.source);
    });
  });
}

test('a GBK-encoded CSV is decoded (Chinese names intact) and projected CGCS2000 GK x/y are converted', async () => {
  await inRollback(async (c) => {
    const text = csv('EPSG:4548', 'id,名称,X坐标,Y坐标,方向角,类型');
    const report = await runImport(c, { layer: 'cameras', file: write('cams-gbk.csv', iconv.encode(text, 'gbk')), crs: 'EPSG:4548' });
    assert.equal(report.encoding, 'gbk/gb18030');
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
    assertCamerasLanded(await camerasAt(c, CAMS.map((x) => x.id)), 0.1);
  });
});

test('survey tables with X = northing and Y = easting are read the right way round, with a warning', async () => {
  await inRollback(async (c) => {
    const project = fromWgs84(parseCrs('EPSG:4527'));
    const rows = CAMS.map((cam) => {
      const [e, n] = project(...cam.at);
      return [cam.id, cam.name, n, e].join(',');
    });
    const report = await runImport(c, { layer: 'cameras', file: write('cams-xy.csv', ['编号,名称,X,Y', ...rows].join('\n')), crs: 'EPSG:4527' });
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
    assert.ok(report.warnings.some((w) => /X\/Y look swapped/.test(w)));
    assertCamerasLanded(await camerasAt(c, CAMS.map((x) => x.id)), 0.1);
  });
});

test('an XLSX register imports with its header row and typed cells', async () => {
  await inRollback(async (c) => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('摄像机');
    ws.addRow(['设备编号', '设备名称', '经度', '纬度', '方向角', '视场角', '安装日期', '是否智能', '状态']);
    for (const cam of CAMS) ws.addRow([cam.id, cam.name, cam.at[0], cam.at[1], cam.azimuth, 60, new Date(Date.UTC(2020, 5, 1)), '是', '在线']);
    const file = path.join(dir, 'cams.xlsx');
    await wb.xlsx.writeFile(file);
    const report = await runImport(c, { layer: 'cameras', file });
    assert.equal(report.format, 'xlsx');
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
    const r = await one<{ smart: boolean; status: string; installed_on: string; fov_deg: number }>(
      `SELECT smart, status, installed_on::text, fov_deg FROM cameras WHERE external_id = 'T-CAM-1'`, [], 'reading', c,
    );
    assert.deepEqual(r, { smart: true, status: 'online', installed_on: '2020-06-01', fov_deg: 60 });
  });
});

test('GeoJSON, KML, KMZ and GPX (routes and track fixes) import their geometries and properties', async () => {
  await inRollback(async (c) => {
    const gj = { type: 'FeatureCollection', features: CAMS.map((cam) => ({ type: 'Feature', properties: { id: cam.id, 名称: cam.name, 方向角: cam.azimuth }, geometry: { type: 'Point', coordinates: cam.at } })) };
    let report = await runImport(c, { layer: 'cameras', file: write('cams.geojson', JSON.stringify(gj)) });
    assert.equal(report.accepted, 3);
    assertCamerasLanded(await camerasAt(c, CAMS.map((x) => x.id)), 0.1);

    const kml = `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${CAMS.map(
      (cam) => `<Placemark><name>${cam.name}</name><ExtendedData><Data name="编号"><value>${cam.id}-K</value></Data><Data name="类型"><value>学校</value></Data></ExtendedData><Point><coordinates>${cam.at[0]},${cam.at[1]},0</coordinates></Point></Placemark>`,
    ).join('')}</Document></kml>`;
    report = await runImport(c, { layer: 'places', file: write('places.kml', kml) });
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
    report = await runImport(c, { layer: 'places', file: write('places.kmz', zipSync({ 'doc.kml': strToU8(kml.replaceAll('-K<', '-Z<')) })) });
    assert.equal(report.format, 'kmz');
    assert.equal(report.accepted, 3);
    const places = await many<{ n: number }>(`SELECT count(*)::int AS n FROM places WHERE external_id LIKE 'T-CAM-%' AND place_type = 'school'`, [], 'counting', c);
    assert.equal(places[0]!.n, 6);

    const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>PT-TEST</name><trkseg>${[0, 1, 2, 3].map(
      (i) => `<trkpt lat="${25.70 + i * 0.001}" lon="${117.60 + i * 0.001}"><time>2026-11-01T12:0${i}:00Z</time></trkpt>`,
    ).join('')}</trkseg></trk></gpx>`;
    report = await runImport(c, { layer: 'patrol-routes', file: write('route.gpx', gpx) });
    assert.equal(report.accepted, 1, JSON.stringify(report.errors));
    const route = await one<{ n: number }>(`SELECT ST_NPoints(geom) AS n FROM patrol_routes WHERE name = 'PT-TEST'`, [], 'reading route', c);
    assert.equal(route.n, 4);
    // The same GPX as patrol tracks: one row per fix, with its time and the track as device.
    report = await runImport(c, { layer: 'patrol-tracks', file: path.join(dir, 'route.gpx') });
    assert.equal(report.accepted, 4, JSON.stringify(report.errors));
    const fixes = await many<{ t: string }>(`SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'HH24:MI') AS t FROM patrol_track_points WHERE device_id = 'PT-TEST' ORDER BY recorded_at`, [], 'reading fixes', c);
    assert.deepEqual(fixes.map((f) => f.t), ['12:00', '12:01', '12:02', '12:03']);
  });
});

test('a zipped Shapefile with a GBK .dbf and a CGCS2000 GK .prj is read in the right encoding and CRS', async () => {
  await inRollback(async (c) => {
    const report = await runImport(c, { layer: 'grids', file: path.resolve('tests/fixtures/import/grids-gbk-cgcs2000.zip') });
    assert.equal(report.crs.source, 'EPSG:4548');
    assert.match(report.crs.from, /\.prj/);
    assert.equal(report.accepted, 2, JSON.stringify(report.errors));
    const rows = await many<{ name: string; worker_name: string; minx: number; miny: number }>(
      `SELECT name, worker_name, ST_XMin(geom) AS minx, ST_YMin(geom) AS miny FROM grids WHERE code IN ('SHP-001', 'SHP-002') ORDER BY code`, [], 'reading grids', c,
    );
    assert.deepEqual(rows.map((r) => [r.name, r.worker_name]), [['城关第一网格', '张伟'], ['城关第二网格', '李娜']]);
    assert.ok(metres([rows[0]!.minx, rows[0]!.miny], [117.6, 25.7]) < 0.1, 'GDAL wrote these from 117.60, 25.70');
  });
});

test('bad rows are listed with row, field and reason, and nothing of them is written', async () => {
  await inRollback(async (c) => {
    const file = write('bad.csv', [
      '编号,名称,经度,纬度,方向角,视场角,类型',
      'B-1,好的,117.60,25.70,90,60,枪机',
      'B-2,坏经度,abc,25.70,90,60,枪机',
      'B-3,方向角超界,117.60,25.70,400,60,枪机',
      'B-4,未知类型,117.60,25.70,90,60,激光炮',
      'B-5,,117.60,25.70,90,60,枪机',
      'B-6,纬度越界,117.60,95,90,60,枪机',
    ].join('\n'));
    const report = await runImport(c, { layer: 'cameras', file });
    assert.equal(report.accepted, 1);
    assert.equal(report.rejected, 5);
    const byRow = Object.fromEntries(report.errors.map((e) => [e.row, e]));
    assert.deepEqual([byRow[3]!.field, byRow[3]!.reason], ['lon', "not a number: 'abc'"]);
    assert.deepEqual([byRow[4]!.field, byRow[4]!.reason], ['azimuth', '400 is above the maximum 360']);
    assert.equal(byRow[5]!.field, 'cameraType');
    assert.match(byRow[5]!.reason, /unknown cameraType '激光炮'/);
    assert.deepEqual([byRow[6]!.field, byRow[6]!.reason], ['name', 'name is empty']);
    assert.equal(byRow[7]!.field, 'geometry');
    const written = await many<{ external_id: string }>(`SELECT external_id FROM cameras WHERE external_id LIKE 'B-%'`, [], 'reading', c);
    assert.deepEqual(written.map((r) => r.external_id), ['B-1']);
  });
});

test('a dry run reports everything and writes nothing', async () => {
  await inRollback(async (c) => {
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c);
    const report = await runImport(c, { layer: 'cameras', file: write('dry.csv', csv('wgs84')), dryRun: true });
    assert.equal(report.accepted, 3);
    assert.equal(report.inserted, 3);
    assert.equal(report.committed, false);
    const after = await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c);
    assert.equal(after.n, before.n);
  });
});

test('importing the same file twice updates the rows instead of adding duplicates', async () => {
  await inRollback(async (c) => {
    const file = write('twice.csv', csv('wgs84'));
    const first = await runImport(c, { layer: 'cameras', file });
    const second = await runImport(c, { layer: 'cameras', file });
    assert.deepEqual([first.inserted, first.updated], [3, 0]);
    assert.deepEqual([second.inserted, second.updated], [0, 3]);
    const n = await one<{ n: number }>(`SELECT count(*)::int AS n FROM cameras WHERE external_id LIKE 'T-CAM-%'`, [], 'counting', c);
    assert.equal(n.n, 3);
    // Incidents without an id column get a content hash: still no duplicates.
    const inc = write('inc.csv', '发生时间,类别,经度,纬度\n2026-11-01 20:00,盗窃,117.60,25.70\n2026-11-01 21:00,诈骗,117.61,25.71\n');
    await runImport(c, { layer: 'incidents', file: inc });
    const again = await runImport(c, { layer: 'incidents', file: inc });
    assert.deepEqual([again.inserted, again.updated], [0, 2]);
  });
});

test('--max-errors aborts the import cleanly: nothing is written', async () => {
  await inRollback(async (c) => {
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c);
    const lines = ['编号,名称,经度,纬度'];
    for (let i = 0; i < 50; i++) lines.push(`M-${i},点${i},${i % 5 === 0 ? 'x' : 117.6},25.7`);
    const report = await runImport(c, { layer: 'cameras', file: write('max.csv', lines.join('\n')), maxErrors: 3 });
    assert.match(report.aborted ?? '', /more than 3 rows were rejected/);
    assert.equal(report.committed, false);
    const after = await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c);
    assert.equal(after.n, before.n);
  });
});

test('an invalid polygon is repaired with ST_MakeValid and reported; one that cannot be repaired is rejected', async () => {
  await inRollback(async (c) => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'BOW-1', name: '自相交网格' }, geometry: { type: 'Polygon', coordinates: [[[117.6, 25.7], [117.61, 25.71], [117.61, 25.7], [117.6, 25.71], [117.6, 25.7]]] } },
        { type: 'Feature', properties: { code: 'FLAT-1', name: '退化网格' }, geometry: { type: 'Polygon', coordinates: [[[117.6, 25.7], [117.61, 25.7], [117.62, 25.7], [117.6, 25.7]]] } },
      ],
    };
    const report = await runImport(c, { layer: 'grids', file: write('bow.geojson', JSON.stringify(fc)) });
    assert.equal(report.repaired, 1);
    assert.ok(report.warnings.some((w) => /Row 1: invalid geometry \(Self-intersection/.test(w)), report.warnings.join('\n'));
    assert.equal(report.rejected, 1);
    assert.equal(report.errors[0]!.row, 2);
    assert.equal(report.errors[0]!.field, 'geometry');
    const g = await one<{ valid: boolean; type: string }>(`SELECT ST_IsValid(geom) AS valid, GeometryType(geom) AS type FROM grids WHERE code = 'BOW-1'`, [], 'reading', c);
    assert.deepEqual(g, { valid: true, type: 'MULTIPOLYGON' });
  });
});

test('cameras recorded in GCJ-02 but declared WGS-84 are detected: the report says which CRS fits', async () => {
  await inRollback(async (c) => {
    // Real positions on the demo county's roads, written as GCJ-02 would record them.
    const onRoads = await many<{ lon: number; lat: number }>(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_LineInterpolatePoint(geom, 0.5) AS p FROM roads WHERE road_class IN ('urban', 'county') ORDER BY id LIMIT 60) s`,
      [], 'sampling roads', c,
    );
    const lines = ['编号,名称,经度,纬度', ...onRoads.map((p, i) => {
      const [lon, lat] = convertLonLat([p.lon, p.lat], 'wgs84', 'gcj02');
      return `G-${i},路口${i},${lon},${lat}`;
    })];
    const report: ImportReport = await runImport(c, { layer: 'cameras', file: write('gcj.csv', lines.join('\n')), crs: 'wgs84' });
    assert.ok(report.warnings.some((w) => /probably gcj02; import with --crs gcj02/.test(w)), report.warnings.join('\n'));
    const right = await runImport(c, { layer: 'cameras', file: write('gcj2.csv', lines.join('\n')), crs: 'gcj02' });
    assert.ok(!right.warnings.some((w) => /probably/.test(w)), right.warnings.join('\n'));
  });
});

test('a file that is not what its extension says is a clear error, not a crash', async () => {
  await inRollback(async (c) => {
    await assert.rejects(() => runImport(c, { layer: 'cameras', file: write('junk.geojson', '{"hello": 1}') }), /not GeoJSON/);
    await assert.rejects(() => runImport(c, { layer: 'cameras', file: write('junk.zip', 'not a zip') }), /not a readable zip/);
    await assert.rejects(() => runImport(c, { layer: 'cameras', file: write('junk.kml', '<kml><Placemark>') }), /not well-formed XML/);
    await assert.rejects(() => runImport(c, { layer: 'cameras', file: write('nocoords.csv', '编号,名称\n1,a\n') }), /No coordinate columns/);
    await assert.rejects(() => runImport(c, { layer: 'incidents', file: write('nocat.csv', '经度,纬度,时间\n117.6,25.7,2026-01-01\n') }), /No column for category/);
  });
});
