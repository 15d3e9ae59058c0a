// Cell value parsing and CSV sniffing for imports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBoolean, parseNumber, parseTime } from '../../server/import/values';
import { detectEncoding, sniffDelimiter } from '../../server/import/readers';
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
