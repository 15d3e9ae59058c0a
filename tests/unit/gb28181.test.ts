// GB/T 28181 device ids: the fields of a valid id, and each way a camera's id can be wrong,
// reported once, in Chinese, with the value found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGbId, parseGbId, splitGbId, typeCodeName } from '../../server/services/coverage/gb28181';

const COUNTY = '359901000000';
const VALID = '35990101001320000075'; // 云溪县, unit 01, 社会治安路面接入, IPC, 专网, serial 75

test('a valid id splits into centre (province, city, county, unit), industry, type, network and serial', () => {
  assert.deepEqual(parseGbId(VALID), {
    centre: '35990101', province: '35', city: '99', county: '01', unit: '01', industry: '00', type: '132', network: '0', serial: '000075',
  });
  assert.deepEqual(checkGbId(VALID, COUNTY), []);
  // 131 (摄像机) and the social-resource network (8) are accepted too; so is any county when none is given.
  assert.deepEqual(checkGbId('35990108001318000012', COUNTY), []);
  assert.deepEqual(checkGbId('11010500001310000001'), []);
  // Several counties: any of their prefixes is accepted.
  assert.deepEqual(checkGbId('11010500001310000001', ['359901000000', '110105000000']), []);
});

test('not 20 characters: one length problem saying how many, no positional checks', () => {
  const p = checkGbId(VALID.slice(0, 19), COUNTY);
  assert.deepEqual(p.map((x) => x.code), ['length']);
  assert.equal(p[0]!.message, '国标编码应为 20 位数字,实为 19 位。');
  assert.equal(parseGbId(VALID.slice(0, 19)), null);
  assert.deepEqual(checkGbId(`${VALID}1`, COUNTY).map((x) => x.code), ['length']);
  assert.deepEqual(checkGbId('', COUNTY).map((x) => x.code), ['length']);
});

test('non-digits are listed by position; the field they fall in is not checked again', () => {
  // As the demo generator corrupts ids: letters over the type code.
  const id = `${VALID.slice(0, 10)}ZZ${VALID.slice(12)}`;
  const p = checkGbId(id, COUNTY);
  assert.deepEqual(p.map((x) => x.code), ['non_digit']);
  assert.equal(p[0]!.message, '国标编码只能由数字组成,第 11 位为“Z”、第 12 位为“Z”。');
  assert.equal(parseGbId(id), null);
  assert.equal(splitGbId(id)!.type, 'ZZ2');
  // A blank inside, and a 19-character id with a letter: both problems.
  assert.match(checkGbId(`${VALID.slice(0, 5)} ${VALID.slice(6)}`, COUNTY)[0]!.message, /第 6 位为空格/);
  assert.deepEqual(checkGbId(`A${VALID.slice(2)}`, COUNTY).map((x) => x.code), ['length', 'non_digit']);
});

test('a centre code outside the county is named with the expected prefix', () => {
  const p = checkGbId(`110105${VALID.slice(6)}`, COUNTY);
  assert.deepEqual(p.map((x) => x.code), ['county']);
  assert.equal(p[0]!.message, '中心编码前 6 位 110105 不是本县行政区划代码 359901。');
  // The neighbouring county of the same city is still another county.
  assert.deepEqual(checkGbId(`359902${VALID.slice(6)}`, COUNTY).map((x) => x.code), ['county']);
});

test('a type code that is not a camera names what it is and the accepted set', () => {
  const dvr = checkGbId(`${VALID.slice(0, 10)}111${VALID.slice(13)}`, COUNTY);
  assert.deepEqual(dvr.map((x) => x.code), ['type']);
  assert.equal(dvr[0]!.message, '类型编码 111(DVR)不是摄像机,应为 131(摄像机)或132(网络摄像机(IPC))。');
  assert.ok(checkGbId(`${VALID.slice(0, 10)}118${VALID.slice(13)}`, COUNTY)[0]!.message.startsWith('类型编码 118(网络视频录像机(NVR))不是摄像机'));
  assert.match(checkGbId(`${VALID.slice(0, 10)}200${VALID.slice(13)}`, COUNTY)[0]!.message, /中心信令控制服务器/);
  assert.equal(typeCodeName('150'), '前端外围设备');
  assert.equal(typeCodeName('700'), '扩展类型');
  assert.equal(typeCodeName('050'), '未定义类型');
});

test('network digit 9 is reserved; 0–8 are defined', () => {
  const p = checkGbId(`${VALID.slice(0, 13)}9${VALID.slice(14)}`, COUNTY);
  assert.deepEqual(p.map((x) => x.code), ['network']);
  assert.match(p[0]!.message, /^网络标识 9 为标准预留值/);
  for (const d of '012345678') assert.deepEqual(checkGbId(`${VALID.slice(0, 13)}${d}${VALID.slice(14)}`, COUNTY), [], `network ${d}`);
});

test('several problems at once are all reported, in field order', () => {
  const p = checkGbId('11010500001119000001', COUNTY);
  assert.deepEqual(p.map((x) => x.code), ['county', 'type', 'network']);
});
