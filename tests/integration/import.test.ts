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
import { caller, inRollback } from '../helpers';
import { runImport, type ImportReport } from '../../server/import/pipeline';
import { previewImport } from '../../server/import/preview';
import { saveUpload } from '../../server/import/uploads';
import { ImportError } from '../../server/errors';
import { reasonZhOrNull } from '../../app/import/reason-zh';
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
    await assert.rejects(() => runImport(c, { layer: 'cameras', file: write('nocoords.csv', '编号,名称\n1,a\n') }), /Missing column for coordinates/);
    await assert.rejects(() => runImport(c, { layer: 'incidents', file: write('nocat.csv', '经度,纬度,时间\n117.6,25.7,2026-01-01\n') }), /Missing column for category/);
  });
});

// ---------------------------------------------------------------- data officers' real files (issue 12)

const CJK = /[\u3400-\u9fff]/;

/** The ImportError `fn` throws (fails when it throws anything else or nothing). */
async function importError(fn: () => Promise<unknown>): Promise<ImportError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  assert.fail('expected an ImportError');
}

test('a GBK 视频汇聚平台 export with 东经/北纬 and platform column names imports, every column mapped', async () => {
  await inRollback(async (c) => {
    const header = '序号,通道编码,设备编码,通道名称,东经,北纬,安装地址,在线状态,摄像机类型,朝向,所属派出所,建设单位';
    const rows = CAMS.map((cam, i) => [i + 1, `3504240000132000000${i}`, '35042400001180000001', cam.name, ...cam.at, '城关镇东门路', ['在线', '离线', '在线'][i], ['球机', '枪机', '半球'][i], ['东南', '90', '朝北'][i], '城关派出所', '县公安局'].join(','));
    const file = write('platform-gbk.csv', iconv.encode([header, ...rows].join('\r\n'), 'gbk'));
    const report = await runImport(c, { layer: 'cameras', file });
    assert.equal(report.encoding, 'gbk/gb18030');
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
    assert.deepEqual(
      { lon: report.mapping.lon, lat: report.mapping.lat, gbId: report.mapping.gbId, name: report.mapping.name, status: report.mapping.status, cameraType: report.mapping.cameraType, azimuth: report.mapping.azimuth, owner: report.mapping.owner },
      { lon: '东经', lat: '北纬', gbId: '通道编码', name: '通道名称', status: '在线状态', cameraType: '摄像机类型', azimuth: '朝向', owner: '建设单位' },
    );
    const r = await many<{ gb_id: string; camera_type: string; status: string; azimuth_deg: number; owner: string }>(
      `SELECT gb_id, camera_type, status, azimuth_deg, owner FROM cameras WHERE gb_id LIKE '3504240000132000000%' ORDER BY gb_id`, [], 'reading', c,
    );
    assert.deepEqual(r.map((x) => [x.camera_type, x.status, x.azimuth_deg, x.owner]), [['dome', 'online', 135, '县公安局'], ['fixed', 'offline', 90, '县公安局'], ['dome', 'online', 0, '县公安局']]);
  });
});

test('雪亮 registers: X坐标/Y坐标 holding degrees, headers with units and brackets, GPS经度/GPS纬度', async () => {
  await inRollback(async (c) => {
    const variants: [string, string, string][] = [
      ['x-y-degrees', '设备编号,摄像机名称,X坐标,Y坐标,设备状态', 'online'],
      ['units', '点位编号,点位名称,经度(°),纬度（WGS84）,在线状态', 'online'],
      ['gps', '设备编号,设备名称,GPS经度,GPS纬度,设备状态', 'online'],
      ['lng-lat', 'id,名称,lng_wgs84,lat_wgs84,状态', 'online'],
    ];
    for (const [tag, header] of variants) {
      const lines = [header, ...CAMS.map((cam) => [cam.id, cam.name, ...cam.at, '正常'].join(','))];
      const report = await runImport(c, { layer: 'cameras', file: write(`xl-${tag}.csv`, lines.join('\n')) });
      assert.equal(report.accepted, 3, `${tag}: ${JSON.stringify(report.errors)} ${JSON.stringify(report.mapping)}`);
      assertCamerasLanded(await camerasAt(c, CAMS.map((x) => x.id)), 0.1);
    }
  });
});

test('every missing column is reported at once, with the columns the file has, in English and Chinese', async () => {
  await inRollback(async (c) => {
    const err = await importError(() => runImport(c, { layer: 'incidents', file: write('nothing.csv', '名称,备注\n甲,乙\n') }));
    for (const field of ['time', 'category', 'coordinates']) assert.match(err.message, new RegExp(`\\b${field}\\b`), err.message);
    assert.match(err.message, /columns \[名称, 备注\]/);
    assert.ok(err.zh && CJK.test(err.zh), 'a Chinese sentence for the page');
    for (const word of ['时间', '类别', '坐标', '名称、备注']) assert.ok(err.zh!.includes(word), `${word} in ${err.zh}`);
    assert.ok(!/--mapping|--crs/.test(err.zh!), `no CLI flag on a Chinese screen: ${err.zh}`);
    // a column the mapping names but the file lacks is reported in the same sentence
    const named = await importError(() => runImport(c, { layer: 'incidents', file: write('named.csv', '名称\n甲\n'), mapping: { fields: { time: '案发日期' } } }));
    assert.match(named.message, /案发日期/);
    assert.match(named.message, /category/);
  });
});

test('a file wholly outside the county is refused (nothing written) unless allowed; the refusal names the CRS that fits', async () => {
  await inRollback(async (c) => {
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c);
    const far = write('far.csv', '编号,名称,经度,纬度\nFAR-1,杭州某路口,120.5,30.1\n');
    const err = await importError(() => runImport(c, { layer: 'cameras', file: far }));
    assert.match(err.message, /lie outside the county/);
    assert.match(err.message, /--allow-outside/);
    assert.match(err.message, /no coordinate system this product knows/);
    assert.ok(err.zh!.includes('允许县外数据'), err.zh);
    assert.equal((await one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting', c)).n, before.n, 'nothing written');
    const allowed = await runImport(c, { layer: 'cameras', file: far, allowOutside: true });
    assert.equal(allowed.accepted, 1);
    assert.ok(allowed.warnings.some((w) => /100 % of sampled positions lie outside/.test(w)), allowed.warnings.join('\n'));

    // CGCS2000 3° x/y (CM 117°E, EPSG:4548) declared as the neighbouring zone (CM 120°E): all outside
    const project = fromWgs84(parseCrs('EPSG:4548'));
    const xy = ['编号,名称,X坐标,Y坐标', ...CAMS.map((cam) => [cam.id, cam.name, ...project(...cam.at)].join(','))].join('\n');
    const zone = await importError(() => runImport(c, { layer: 'cameras', file: write('zone.csv', xy), crs: 'EPSG:4549' }));
    assert.match(zone.message, /read as EPSG:4548 .*100 % of them lie inside: import with --crs EPSG:4548/);
    assert.ok(zone.zh!.includes('EPSG:4548'), zone.zh);
    // the same metres without any --crs: no row is usable, and the report says which system would be
    const prefixed = fromWgs84(parseCrs('EPSG:4527'));
    const metres = ['编号,名称,经度,纬度', ...CAMS.map((cam) => [cam.id, cam.name, ...prefixed(...cam.at)].join(','))].join('\n');
    const none = await runImport(c, { layer: 'cameras', file: write('metres.csv', metres) });
    assert.equal(none.accepted, 0);
    assert.ok(none.warnings.some((w) => /import with --crs EPSG:4527/.test(w)), none.warnings.join('\n'));
  });
});

test('binary and unreadable files are refused with one sentence, never shown as column names', async () => {
  await inRollback(async (c) => {
    let seed = 12;
    const random = Buffer.alloc(4096, 0).map(() => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16);
    const err = await importError(() => runImport(c, { layer: 'cameras', file: write('random.csv', random) }));
    assert.match(err.message, /^random\.csv is not a text table \(it holds binary data\) and cannot be read as CSV: [^\n]*\.$/);
    assert.ok(!err.message.includes('\uFFFD') && !/[\u0000-\u0008]/.test(err.message));
    assert.ok(err.zh?.startsWith('文件 random.csv 不是文本表格'), err.zh);
    const renamed = await importError(() => runImport(c, { layer: 'cameras', file: write('renamed.csv', zipSync({ 'a.txt': strToU8('x') })) }));
    assert.match(renamed.message, /not a CSV text table but a zip archive/);
    // and through the preview: the same refusal, no garbage headers
    await assert.rejects(() => previewImport(path.join(dir, 'random.csv'), 'cameras'), /not a text table/);
    // UTF-16 with a BOM (Excel's "Unicode 文本", tab-separated) is text, not binary
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(['编号\t名称\t经度\t纬度', ...CAMS.map((cam) => [cam.id, cam.name, ...cam.at].join('\t'))].join('\r\n'), 'utf16le')]);
    const report = await runImport(c, { layer: 'cameras', file: write('unicode.txt', utf16) });
    assert.equal(report.accepted, 3, JSON.stringify(report.errors));
  });
});

test('the preview counts data rows exactly (header, trailing newline, CRLF, quoted newlines, XLSX, GeoJSON)', async () => {
  const cases: [string, string, number][] = [
    ['lf-trailing.csv', '编号,名称,经度,纬度\nA,甲,117.6,25.7\nB,乙,117.6,25.7\nC,丙,117.6,25.7\n', 3],
    ['crlf-no-trailing.csv', '编号,名称,经度,纬度\r\nA,甲,117.6,25.7\r\nB,乙,117.6,25.7', 2],
    ['quoted-newline.csv', '编号,名称,经度,纬度\nA,"第一行\n第二行",117.6,25.7\nB,乙,117.6,25.7\n\n', 2],
    ['one.csv', '编号,名称,经度,纬度\nA,甲,117.6,25.7\n', 1],
  ];
  for (const [name, text, rows] of cases) {
    const p = await previewImport(write(name, text), 'cameras');
    assert.deepEqual([p.rowCount, p.rowCountExact], [rows, true], name);
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('s');
  ws.addRow(['编号', '名称', '经度', '纬度']);
  for (let i = 0; i < 12; i++) ws.addRow([`X-${i}`, '点', 117.6, 25.7]);
  await wb.xlsx.writeFile(path.join(dir, 'count.xlsx'));
  const x = await previewImport(path.join(dir, 'count.xlsx'), 'cameras');
  assert.deepEqual([x.rowCount, x.rowCountExact, x.rows.length], [12, true, 10]);
  const gj = { type: 'FeatureCollection', features: CAMS.map((cam) => ({ type: 'Feature', properties: { 名称: cam.name }, geometry: { type: 'Point', coordinates: cam.at } })) };
  const g = await previewImport(write('count.geojson', JSON.stringify(gj)), 'cameras');
  assert.equal(g.rowCount, 3);
  assert.equal(g.crs.fromZh, 'GeoJSON 默认(RFC 7946:WGS-84)');
  const d = await previewImport(path.join(dir, 'one.csv'), 'cameras');
  assert.ok(CJK.test(d.crs.fromZh) && !/default|file/.test(d.crs.fromZh), d.crs.fromZh);
});

test('what the import page shows is Chinese: warnings, CRS source, row reasons, refusals through the job', async () => {
  await inRollback(async (c) => {
    const report = await runImport(c, { layer: 'cameras', file: write('zh.csv', ['编号,名称,经度,纬度,方向角,类型,安装日期,是否智能', 'Z-1,好,117.6,25.7,90,枪机,2020-01-01,是', 'Z-1,重复,117.6,25.7,90,枪机,2020-01-01,是', 'Z-2,,abc,25.7,400,激光炮,2020-02-30,也许', 'Z-3,坏,117.6,95,90,枪机,昨天,否'].join('\n')) });
    assert.equal(report.warningsZh.length, report.warnings.length);
    assert.ok(report.warnings.length >= 1);
    for (const w of report.warningsZh) assert.ok(CJK.test(w) && !/--\w/.test(w), w);
    assert.ok(CJK.test(report.crs.fromZh) && !/default/.test(report.crs.fromZh), report.crs.fromZh);
    assert.ok(report.errors.length >= 6);
    for (const e of report.errors) {
      const zh = reasonZhOrNull(e.reason);
      assert.ok(zh && CJK.test(zh) && !/--\w|EPSG:<code>/.test(zh), `${e.reason} → ${zh}`);
    }
  });
  // a refused file through the import page's job: the stored sentence is Chinese, the English kept as detail
  const api = await caller();
  const buf = fs.readFileSync(write('far-job.csv', '编号,名称,经度,纬度\nFARJ-1,远处,120.5,30.1\n'));
  const upload = await saveUpload(new File([buf], 'far-job.csv'));
  const refused = await waitForJob(api, (await api.imports.start({ uploadId: upload.id, layer: 'cameras', dryRun: true })).jobId);
  assert.equal(refused.status, 'failed');
  const body = refused.report as { error: string; detail: string };
  assert.ok(body.error.includes('允许县外数据') && !/--allow-outside/.test(body.error), body.error);
  assert.match(body.detail, /--allow-outside/);
  const allowed = await waitForJob(api, (await api.imports.start({ uploadId: upload.id, layer: 'cameras', dryRun: true, allowOutside: true })).jobId);
  assert.equal(allowed.status, 'dry_run');
  assert.equal((allowed.report as ImportReport).accepted, 1);
});

async function waitForJob(api: Awaited<ReturnType<typeof caller>>, id: number) {
  for (;;) {
    const job = await api.imports.job({ id });
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
