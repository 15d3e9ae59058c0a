// GET /api/tiles/<file>.pmtiles (app/api/tiles/[file]/route.ts), called in-process as Next.js
// would: a PMTiles archive written here by hand (spec v3: header, root directory, metadata,
// three PNG tiles) is read back through the route by pmtiles' own reader, in byte ranges;
// ranges answer 206/416 as RFC 9110 says; only *.pmtiles files directly in PMTILES_DIR are
// served (no traversal, no links out, no folders, no other files); only for map.read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PMTiles, TileType, zxyToTileId, type RangeResponse, type Source } from 'pmtiles';
import '../helpers';
import { MAINTENANCE, withScope } from '../../server/db/scope';
import { addUser, signIn } from '../../server/auth/accounts';
import { GET, HEAD } from '../../app/api/tiles/[file]/route';
import { parseRange, fileFromPath } from '../../app/api/tiles/pmtiles-file';

const ADDRESS = `pmtiles-route-${process.pid}`;
const BASE = 'http://127.0.0.1:3999/api/tiles/';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-pmtiles-'));
const dir = path.join(root, 'tiles');
const previousDir = process.env.PMTILES_DIR;

// ---------------------------------------------------------------- a PMTiles v3 archive by hand

function varint(n: number, out: number[]): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

const TILES: { z: number; x: number; y: number; bytes: Buffer }[] = [
  { z: 0, x: 0, y: 0, bytes: Buffer.from('tile 0/0/0: the whole world') },
  { z: 1, x: 0, y: 0, bytes: Buffer.from('tile 1/0/0: north-west quarter') },
  { z: 1, x: 1, y: 1, bytes: crypto.randomBytes(20_000) }, // larger than pmtiles' first 16 KB read
];

function pmtilesArchive(): Buffer {
  const entries = TILES.map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), bytes: t.bytes })).sort((a, b) => a.id - b.id);
  const dirBytes: number[] = [];
  varint(entries.length, dirBytes);
  let last = 0;
  for (const e of entries) { varint(e.id - last, dirBytes); last = e.id; }
  for (const _ of entries) varint(1, dirBytes); // run lengths
  for (const e of entries) varint(e.bytes.length, dirBytes);
  for (const [i] of entries.entries()) varint(i === 0 ? 1 : 0, dirBytes); // offset+1 for the first, 0: right after the previous
  const rootDir = Buffer.from(dirBytes);
  const metadata = Buffer.from(JSON.stringify({ name: '测试底图', attribution: '云溪县' }));
  const data = Buffer.concat(entries.map((e) => e.bytes));
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'latin1');
  h.writeUInt8(3, 7);
  const u64 = (off: number, v: number) => h.writeBigUInt64LE(BigInt(v), off);
  const rootOff = 127;
  const metaOff = rootOff + rootDir.length;
  const dataOff = metaOff + metadata.length;
  u64(8, rootOff); u64(16, rootDir.length);
  u64(24, metaOff); u64(32, metadata.length);
  u64(40, dataOff); u64(48, 0); // no leaf directories
  u64(56, dataOff); u64(64, data.length);
  u64(72, entries.length); u64(80, entries.length); u64(88, entries.length);
  h.writeUInt8(1, 96); // clustered
  h.writeUInt8(1, 97); // internal compression: none
  h.writeUInt8(1, 98); // tile compression: none
  h.writeUInt8(TileType.Png, 99);
  h.writeUInt8(0, 100); h.writeUInt8(1, 101);
  h.writeInt32LE(Math.round(117.3 * 1e7), 102); h.writeInt32LE(Math.round(25.4 * 1e7), 106);
  h.writeInt32LE(Math.round(117.9 * 1e7), 110); h.writeInt32LE(Math.round(26.0 * 1e7), 114);
  h.writeUInt8(1, 118); h.writeInt32LE(Math.round(117.6 * 1e7), 119); h.writeInt32LE(Math.round(25.7 * 1e7), 123);
  return Buffer.concat([h, rootDir, metadata, data]);
}

let archive: Buffer;
let cookie = '';
let mustChange = '';

async function session(mustChangePassword: boolean): Promise<string> {
  const username = `pmtiles-${crypto.randomBytes(3).toString('hex')}`;
  const password = `Tiles-${crypto.randomBytes(6).toString('hex')}-42`;
  await withScope(MAINTENANCE, { attempted: 'adding the test user' }, (tx) => addUser(tx, { username, displayName: '底图测试', password, roles: ['commander'], mustChangePassword }));
  const r = await signIn(username, password, ADDRESS);
  assert.ok(r.ok, 'the test user signs in');
  return `pingan_session=${r.token}`;
}

before(async () => {
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  archive = pmtilesArchive();
  fs.writeFileSync(path.join(dir, 'county.pmtiles'), archive);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a tile archive');
  fs.writeFileSync(path.join(dir, 'sub', 'inner.pmtiles'), archive);
  fs.mkdirSync(path.join(dir, 'folder.pmtiles'));
  fs.writeFileSync(path.join(root, 'outside.pmtiles'), 'outside the folder');
  fs.symlinkSync(path.join(root, 'outside.pmtiles'), path.join(dir, 'link.pmtiles'));
  fs.writeFileSync(path.join(dir, 'empty.pmtiles'), '');
  process.env.PMTILES_DIR = dir;
  cookie = await session(false);
  mustChange = await session(true);
});

after(() => {
  if (previousDir === undefined) delete process.env.PMTILES_DIR;
  else process.env.PMTILES_DIR = previousDir;
  fs.rmSync(root, { recursive: true, force: true });
});

function call(name: string, headers: Record<string, string> = {}, opts: { auth?: string | null; method?: 'GET' | 'HEAD' } = {}): Promise<Response> {
  const auth = opts.auth === undefined ? cookie : opts.auth;
  const req = new Request(`${BASE}${name}`, { method: opts.method ?? 'GET', headers: { 'x-forwarded-for': ADDRESS, ...(auth ? { cookie: auth } : {}), ...headers } });
  return (opts.method === 'HEAD' ? HEAD : GET)(req);
}

/** pmtiles' reader, fetching through the route. */
class RouteSource implements Source {
  requests: string[] = [];
  getKey() {
    return 'route:county.pmtiles';
  }
  async getBytes(offset: number, length: number, _signal?: AbortSignal, etag?: string): Promise<RangeResponse> {
    const range = `bytes=${offset}-${offset + length - 1}`;
    this.requests.push(range);
    const res = await call('county.pmtiles', { range });
    assert.equal(res.status, 206, `${range}: ${res.status}`);
    const got = res.headers.get('etag') ?? undefined;
    if (etag) assert.equal(got, etag, 'the same strong ETag on every range');
    return { data: await res.arrayBuffer(), etag: got, cacheControl: res.headers.get('cache-control') ?? undefined };
  }
}

test("pmtiles' reader reads the archive through the route: header, metadata and every tile byte for byte", async () => {
  const source = new RouteSource();
  const p = new PMTiles(source);
  const h = await p.getHeader();
  assert.deepEqual([h.specVersion, h.tileType, h.minZoom, h.maxZoom, h.numAddressedTiles, h.centerLon, h.centerLat], [3, TileType.Png, 0, 1, 3, 117.6, 25.7]);
  assert.deepEqual(await p.getMetadata(), { name: '测试底图', attribution: '云溪县' });
  for (const t of TILES) {
    const r = await p.getZxy(t.z, t.x, t.y);
    assert.ok(r, `tile ${t.z}/${t.x}/${t.y}`);
    assert.ok(Buffer.from(r.data).equals(t.bytes), `tile ${t.z}/${t.x}/${t.y} byte for byte`);
  }
  assert.equal(await p.getZxy(1, 1, 0), undefined, 'a tile the archive does not have');
  assert.equal(source.requests[0], 'bytes=0-16383', "the reader's first read is 16 KB, past this file's end: answered with what there is");
});

test('Range: 206 with Content-Range for a range, an open end and a suffix; 416 past the end or for several ranges; 200 without', async () => {
  const size = archive.length;
  const r1 = await call('county.pmtiles', { range: 'bytes=0-126' });
  assert.equal(r1.status, 206);
  assert.equal(r1.headers.get('content-range'), `bytes 0-126/${size}`);
  assert.equal(r1.headers.get('content-length'), '127');
  assert.equal(r1.headers.get('accept-ranges'), 'bytes');
  assert.equal(r1.headers.get('content-type'), 'application/vnd.pmtiles');
  assert.ok(Buffer.from(await r1.arrayBuffer()).equals(archive.subarray(0, 127)));

  const open = await call('county.pmtiles', { range: `bytes=${size - 10}-` });
  assert.deepEqual([open.status, open.headers.get('content-range')], [206, `bytes ${size - 10}-${size - 1}/${size}`]);
  assert.ok(Buffer.from(await open.arrayBuffer()).equals(archive.subarray(size - 10)));

  const suffix = await call('county.pmtiles', { range: 'bytes=-5' });
  assert.deepEqual([suffix.status, suffix.headers.get('content-range')], [206, `bytes ${size - 5}-${size - 1}/${size}`]);
  assert.ok(Buffer.from(await suffix.arrayBuffer()).equals(archive.subarray(size - 5)));

  const clamped = await call('county.pmtiles', { range: `bytes=100-${size + 5000}` });
  assert.deepEqual([clamped.status, clamped.headers.get('content-range'), clamped.headers.get('content-length')], [206, `bytes 100-${size - 1}/${size}`, String(size - 100)]);
  await clamped.body?.cancel();

  for (const range of [`bytes=${size}-`, `bytes=${size + 1}-${size + 10}`, 'bytes=-0', 'bytes=99999999999999999999-']) {
    const r = await call('county.pmtiles', { range });
    assert.equal(r.status, 416, range);
    assert.equal(r.headers.get('content-range'), `bytes */${size}`, range);
    assert.match(await r.text(), /^无法读取底图文件 county\.pmtiles:请求的字节区间超出了文件大小/);
  }
  const several = await call('county.pmtiles', { range: 'bytes=0-1,5-6' });
  assert.equal(several.status, 416);
  assert.match(await several.text(), /一次只能请求一个字节区间/);

  const whole = await call('county.pmtiles');
  assert.deepEqual([whole.status, whole.headers.get('content-length'), whole.headers.get('content-range')], [200, String(size), null]);
  assert.ok(Buffer.from(await whole.arrayBuffer()).equals(archive));
  // a header that does not parse is ignored (RFC 9110): the whole file
  const odd = await call('county.pmtiles', { range: 'bytes=9-3' });
  assert.equal(odd.status, 200);
  await odd.body?.cancel();
  // If-Range with another validator: the file changed, so the whole of it
  const stale = await call('county.pmtiles', { range: 'bytes=0-9', 'if-range': '"old"' });
  assert.equal(stale.status, 200);
  await stale.body?.cancel();
  const fresh = await call('county.pmtiles', { range: 'bytes=0-9', 'if-range': whole.headers.get('etag')! });
  assert.equal(fresh.status, 206);
  await fresh.body?.cancel();

  const head = await call('county.pmtiles', { range: 'bytes=0-9' }, { method: 'HEAD' });
  assert.deepEqual([head.status, head.headers.get('content-length'), head.headers.get('content-range'), head.body], [206, '10', `bytes 0-9/${size}`, null]);
  const empty = await call('empty.pmtiles');
  assert.deepEqual([empty.status, empty.headers.get('content-length')], [200, '0']);
  assert.equal((await call('empty.pmtiles', { range: 'bytes=0-9' })).status, 416);
});

test('only *.pmtiles files directly in PMTILES_DIR: no traversal, no links out, no folders, no other files', async () => {
  const refused = [
    '..%2Foutside.pmtiles',
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2foutside.pmtiles',
    'sub%2Finner.pmtiles',
    'sub/inner.pmtiles',
    'notes.txt',
    'link.pmtiles',
    'folder.pmtiles',
    'missing.pmtiles',
    '.pmtiles',
    'county.pmtiles%00.txt',
    '%E0%A4%A.pmtiles',
    `${'a'.repeat(200)}.pmtiles`,
  ];
  for (const name of refused) {
    const r = await call(name, { range: 'bytes=0-99' });
    assert.equal(r.status, 404, `${name}: ${r.status}`);
    const text = await r.text();
    assert.match(text, /[\u3400-\u9fff]/, `${name}: a Chinese sentence`);
    assert.ok(!text.includes(root), `${name}: the folder is not shown`);
  }
  assert.equal(fileFromPath('/api/tiles/county.pmtiles'), 'county.pmtiles');
  assert.equal(fileFromPath('/api/tiles/a%2Fb.pmtiles'), null);
  // the URL parser removes dot segments before the route sees them: nothing under /api/tiles/ is left
  assert.equal(new URL(`${BASE}../../secret.pmtiles`).pathname, '/secret.pmtiles');
  assert.equal(new URL(`${BASE}%2e%2e/secret.pmtiles`).pathname, '/api/secret.pmtiles');

  const saved = process.env.PMTILES_DIR;
  delete process.env.PMTILES_DIR;
  try {
    const r = await call('county.pmtiles');
    assert.equal(r.status, 404);
    assert.equal(await r.text(), '未配置 PMTiles 底图目录(PMTILES_DIR),无法提供底图文件。');
  } finally {
    process.env.PMTILES_DIR = saved;
  }
});

test('map.read: no session is 401, a person who must first change the password is 403, both with a Chinese sentence', async () => {
  const anon = await call('county.pmtiles', { range: 'bytes=0-9' }, { auth: null });
  assert.equal(anon.status, 401);
  assert.match(await anon.text(), /未登录或登录已过期/);
  const forged = await call('county.pmtiles', { range: 'bytes=0-9' }, { auth: 'pingan_session=not-a-session' });
  assert.equal(forged.status, 401);
  await forged.body?.cancel();
  const first = await call('county.pmtiles', { range: 'bytes=0-9' }, { auth: mustChange });
  assert.equal(first.status, 403);
  assert.match(await first.text(), /请先修改初始密码/);
});

test('parseRange reads RFC 9110 single ranges', () => {
  assert.deepEqual(parseRange(null, 100), { kind: 'full' });
  assert.deepEqual(parseRange('bytes=0-0', 100), { kind: 'partial', start: 0, end: 0 });
  assert.deepEqual(parseRange('BYTES = 10 - 19', 100), { kind: 'partial', start: 10, end: 19 });
  assert.deepEqual(parseRange('bytes=-200', 100), { kind: 'partial', start: 0, end: 99 });
  assert.deepEqual(parseRange('items=0-5', 100), { kind: 'full' });
  assert.deepEqual(parseRange('bytes=abc', 100), { kind: 'full' });
  assert.deepEqual(parseRange('bytes=-', 100), { kind: 'full' });
  assert.deepEqual(parseRange('bytes=100-', 100), { kind: 'unsatisfiable' });
  assert.deepEqual(parseRange('bytes=0-1, 3-4', 100), { kind: 'multiple' });
});
