// Cell value parsing and CSV sniffing for imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAzimuth, parseBoolean, parseNumber, parseTime } from '../../server/import/values';
import { binaryRefusal, detectEncoding, sniffDelimiter } from '../../server/import/readers';
import { headerKeys, resolveMapping } from '../../server/import/mapping';
import { LAYERS } from '../../server/import/layers';
import { reasonZh, reasonZhOrNull } from '../../app/import/reason-zh';
import { lookupCode } from '../../server/import/dictionaries';
import iconv from 'iconv-lite';

const iso = (v: unknown) => {
  const r = parseTime(v);
  return r.ok ? r.value.toISOString() : `error: ${r.reason}`;
};

test('times without a zone are China time; several written forms are understood', () => {
  assert.equal(iso('2019-01-01 01:30:00'), '2018-12-31T17:30:00.000Z');
  assert.equal(iso('2019/1/1 1:30'), '2018-12-31T17:30:00.000Z');
  assert.equal(iso('2019年1月1日 1时30分'), '2018-12-31T17:30:00.000Z');
  assert.equal(iso('7/19/2017 13:45'), '2017-07-19T05:45:00.000Z');
  assert.equal(iso('2019-01-01T01:30:00Z'), '2019-01-01T01:30:00.000Z');
  assert.equal(iso(43466.0625), '2018-12-31T17:30:00.000Z'); // Excel serial for 2019-01-01 01:30
  assert.match(iso('2019-02-30'), /no such day/);
  assert.match(iso('yesterday'), /not a date/);
});

test('numbers accept units, full-width digits and thousands separators; junk is refused with the value', () => {
  assert.deepEqual(parseNumber('１２０米'), { ok: true, value: 120 });
  assert.deepEqual(parseNumber('1,200'), { ok: true, value: 1200 });
  assert.deepEqual(parseNumber('-87.68'), { ok: true, value: -87.68 });
  assert.deepEqual(parseNumber('东北'), { ok: false, reason: "not a number: '东北'" });
});

test('yes/no in Chinese and English', () => {
  assert.deepEqual(parseBoolean('是'), { ok: true, value: true });
  assert.deepEqual(parseBoolean('否'), { ok: true, value: false });
  assert.equal(parseBoolean('maybe').ok, false);
});

test('dictionary values are found by code, Chinese name and synonym', () => {
  assert.equal(lookupCode('incidentCategory', '盗窃'), 'criminal.theft');
  assert.equal(lookupCode('incidentCategory', '刑事案件/盗窃'), 'criminal.theft');
  assert.equal(lookupCode('roadClass', '国道'), 'national');
  assert.equal(lookupCode('roadClass', 'residential'), 'urban');
  assert.equal(lookupCode('cameraType', '球机'), 'dome');
  assert.equal(lookupCode('placeType', '幼儿园'), 'kindergarten');
  assert.equal(lookupCode('incidentCategory', 'THEFT', { THEFT: 'criminal.theft' }), 'criminal.theft');
  assert.equal(lookupCode('incidentCategory', '外星人入侵'), null);
});

test('GBK bytes are recognised as not UTF-8; UTF-8 with or without BOM is UTF-8', () => {
  assert.equal(detectEncoding(iconv.encode('名称,经度,纬度\n城关路口,117.6,25.7\n', 'gbk')), 'gb18030');
  assert.equal(detectEncoding(Buffer.from('名称,经度,纬度\n', 'utf8')), 'utf-8');
  assert.equal(detectEncoding(Buffer.from('\uFEFFname\n', 'utf8')), 'utf-8');
  // A sample cut inside a multi-byte character is still UTF-8.
  assert.equal(detectEncoding(Buffer.from('名称名称', 'utf8').subarray(0, 7)), 'utf-8');
});

test('the CSV delimiter is the one the header line uses most', () => {
  assert.equal(sniffDelimiter('a,b,c'), ',');
  assert.equal(sniffDelimiter('a\tb\tc'), '\t');
  assert.equal(sniffDelimiter('a;b;c'), ';');
  assert.equal(sniffDelimiter('单列'), ',');
});

test('camera directions as registers write them: degrees, compass words, 朝/向/由…向…', () => {
  const az = (v: string) => {
    const r = parseAzimuth(v);
    return r.ok ? r.value : r.reason;
  };
  assert.deepEqual(['90°', '东', '朝东南', '正北', '东北偏北', '由南向北', '面向西', 'SSW', '西北方向'].map(az), [90, 90, 135, 0, 22.5, 0, 270, 202.5, 315]);
  assert.equal(az('随便'), "not a number: '随便'");
});

test('headers with units, brackets and CRS tags find their field; 视频汇聚平台 and 雪亮 names map', () => {
  assert.deepEqual(headerKeys('经度(°)'), ['经度°', '经度']);
  assert.equal(headerKeys('纬度（WGS84）')[1], '纬度');
  assert.equal(headerKeys('X坐标(m)')[1], 'x坐标');
  assert.equal(headerKeys('lng_gcj02')[1], 'lng');
  const m = (headers: string[]) => resolveMapping(headers, LAYERS.cameras, {}).fields;
  assert.deepEqual(pick(m(['东经', '北纬', '设备名称'])), { lon: '东经', lat: '北纬', name: '设备名称' });
  assert.deepEqual(pick(m(['X', 'Y', '点位名称'])), { x: 'X', y: 'Y', name: '点位名称' });
  assert.deepEqual(pick(m(['横坐标', '纵坐标', '摄像机名称'])), { x: '横坐标', y: '纵坐标', name: '摄像机名称' });
  assert.deepEqual(pick(m(['GPS经度', 'GPS纬度', '安装位置'])), { lon: 'GPS经度', lat: 'GPS纬度', name: '安装位置' });
  assert.deepEqual(pick(m(['经度(°)', '纬度(°)', '通道名称'])), { lon: '经度(°)', lat: '纬度(°)', name: '通道名称' });
  const platform = m(['通道编码', '设备编码', '通道名称', '在线状态', '摄像机类型', '朝向', '管辖单位', '经度', '纬度']);
  assert.deepEqual([platform.gbId, platform.status, platform.cameraType, platform.azimuth, platform.owner], ['通道编码', '在线状态', '摄像机类型', '朝向', '管辖单位']);
  const register = m(['设备编号', '国标编码', '设备状态', '设备类型', '方向', '所属派出所', '建设单位', 'X坐标', 'Y坐标', '点位名称']);
  assert.deepEqual([register.externalId, register.gbId, register.status, register.cameraType, register.azimuth, register.owner], ['设备编号', '国标编码', '设备状态', '设备类型', '方向', '建设单位']);
  assert.equal(lookupCode('cameraType', '半球'), 'dome');
  assert.equal(lookupCode('cameraType', '枪型'), 'fixed');
  assert.equal(lookupCode('cameraStatus', '离线'), 'offline');
});

function pick(fields: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([k, v]) => v && ['lon', 'lat', 'x', 'y', 'name'].includes(k))) as Record<string, string>;
}

test('binary CSV samples are refused; GBK, UTF-8 and UTF-16 text is not', () => {
  const text = (s: string, enc: string) => iconv.encode(s, enc);
  assert.equal(binaryRefusal(text('名称,经度\n甲,117.6\n', 'gbk'), 'gb18030', 'a.csv'), null);
  assert.equal(binaryRefusal(text('名称,经度\n甲,117.6\n', 'utf8'), 'utf-8', 'a.csv'), null);
  assert.equal(binaryRefusal(Buffer.from('\uFEFF名称\t经度', 'utf16le'), 'utf-16le', 'a.txt'), null);
  assert.match(binaryRefusal(Buffer.from([0x41, 0x00, 0x42]), 'utf-8', 'n.csv')!.message, /binary data/);
  assert.match(binaryRefusal(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]), 'gb18030', 'old.csv')!.message, /\.xls workbook/);
  // bytes that are neither UTF-8 nor GBK (invalid GB18030 trail bytes), without control characters
  const junk = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 2 ? 0x81 : 0xff)));
  assert.match(binaryRefusal(junk, 'gb18030', 'j.csv')!.message, /neither UTF-8 nor GBK/);
});

test('every row reason the importer writes has a Chinese sentence without CLI flags', () => {
  const reasons = [
    "not a number: 'abc'", 'not a finite number: 1e999', "not a whole number: '1.5'", '400 is above the maximum 360', '-1 is below the minimum 0', 'name is empty',
    "unknown cameraType '激光炮' (known: fixed (枪机), dome (球机) …)", "not a date: 'x'", 'not a date: 5', "not a valid date: '2020-13-01'", "not a time of day: '2020-01-01 xx'",
    'invalid date', "no such day: '2019-02-30'", "not yes/no: 'maybe' (use 是/否, true/false or 1/0)", 'not WKT: Expected geometry type', 'expected a point geometry, got LineString',
    'expected one point, got a MultiPoint of 3', 'a line needs at least two points', 'a polygon ring needs at least four points',
    'coordinate [400, 25.7] is not a valid position in EPSG:4326 (projected metres? give --crs EPSG:<code>)', 'coordinate is not a number: [a, b]',
    'malformed geometry (its coordinates are not nested as the geometry type needs)', 'invalid geometry (Self-intersection[117.6 25.7]) that ST_MakeValid cannot repair into a polygon',
    'no coordinates', 'contains a NUL character (binary data in a text field)', 'parent area 350424100000 is neither in the database nor in this file: import the higher level first',
    "'12' is not a 12-digit statistical code",
  ];
  for (const r of reasons) {
    const zh = reasonZhOrNull(r);
    assert.ok(zh && /[\u3400-\u9fff]/.test(zh) && !/--|EPSG:<code>|ST_MakeValid/.test(zh), `${r} → ${zh}`);
  }
  assert.equal(reasonZhOrNull('something new'), null);
  assert.ok(/[\u3400-\u9fff]/.test(reasonZh('something new')));
});
