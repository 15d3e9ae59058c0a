// The camera register audit (雪亮工程 台账核查) on the demo county (seed 'test'), against the
// defect manifest its generator stored in dataset_info, and on crafted cameras inserted in
// a rolled-back transaction: each gets exactly the findings it was made to have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { inRollback } from '../helpers';
import { many, one } from '../../server/db/index';
import { convertLonLat, type LonLat } from '../../server/crs';
import {
  AUDIT_RULES, FINDING_CODES, FINDING_LABELS, missingFields, REQUIRED_FIELDS, runAudit, type AuditFinding, type AuditResult, type FindingCode,
} from '../../server/services/coverage/audit';

let demoRun: Promise<AuditResult> | undefined;
const demoAudit = () => (demoRun ??= inRollback(runAudit));

type Defect = 'missing_azimuth' | 'duplicate_id' | 'duplicate_position' | 'gcj02_recorded' | 'bd09_recorded' | 'malformed_id' | 'outside_county' | 'private_place' | 'incomplete_record';

/** The generator's manifest as camera ids per defect. */
async function manifest(): Promise<Map<Defect, number[]>> {
  const rows = await inRollback((c) => many<{ id: number; defect: Defect }>(
    `SELECT c.id, d->>'defect' AS defect
     FROM dataset_info, jsonb_array_elements(value->'cameraDefects') d
     JOIN cameras c ON c.external_id = d->>'externalId'
     WHERE key = 'demo' ORDER BY c.id`,
    [], 'reading the demo defect manifest', c,
  ));
  const out = new Map<Defect, number[]>();
  for (const r of rows) out.set(r.defect, [...(out.get(r.defect) ?? []), r.id]);
  return out;
}

const idsWith = (r: AuditResult, code: FindingCode) => new Set(r.findings.filter((f) => f.code === code).map((f) => f.cameraId));
const sorted = (s: Iterable<number>) => [...s].sort((a, b) => a - b);
const CJK = /[\u4e00-\u9fff]/;

test('the demo register: counts add up, every finding is worded in Chinese, the method states the thresholds', { timeout: 180_000 }, async () => {
  const r = await demoAudit();
  const { n } = await inRollback((c) => one<{ n: number }>('SELECT count(*)::int AS n FROM cameras', [], 'counting cameras', c));
  assert.equal(r.cameras, n);
  assert.equal(r.camerasWithFindings, new Set(r.findings.map((f) => f.cameraId)).size);
  assert.deepEqual(Object.keys(r.byCode).sort(), [...FINDING_CODES].sort());
  for (const code of FINDING_CODES) assert.equal(r.byCode[code], r.findings.filter((f) => f.code === code).length, code);
  // About 5 % of 2,000 records carry a defect; duplicates implicate a second camera each.
  assert.ok(r.camerasWithFindings >= 100 && r.camerasWithFindings <= 250, `${r.camerasWithFindings} cameras with findings`);
  for (const f of r.findings) {
    assert.equal(f.title, FINDING_LABELS[f.code]);
    assert.ok(CJK.test(f.detail) && CJK.test(f.fix), `${f.code} ${f.cameraId}: ${f.detail} / ${f.fix}`);
    // one finding per camera and code
    assert.equal(r.findings.filter((g) => g.cameraId === f.cameraId && g.code === f.code).length, 1);
  }
  const t = r.method.thresholds as Record<string, unknown>;
  assert.equal(t.duplicatePositionM, 1);
  assert.equal(t.privatePlaceM, 10);
  assert.deepEqual(t.rangeMaxM, { fixed: 300, dome: 300, ptz: 1000 });
  assert.deepEqual(t.cameraTypeCodes, ['131', '132']);
  assert.equal((r.method.crsEvidence as unknown[]).length, 4);
  assert.equal(Object.keys(r.method.rules as object).length, FINDING_CODES.length);
});

test('deterministic checks find exactly the manifest’s missing azimuths, malformed ids, private-place cameras and incomplete records', { timeout: 180_000 }, async () => {
  const r = await demoAudit();
  const m = await manifest();
  for (const defect of ['missing_azimuth', 'malformed_id', 'private_place', 'incomplete_record'] as const) {
    const want = m.get(defect) ?? [];
    assert.ok(want.length >= 3, `${defect}: the manifest lists ${want.length}`);
    assert.deepEqual(sorted(idsWith(r, defect)), sorted(want), defect);
  }
  // The facts are in the detail: the demo's incomplete records lack height, owner and date.
  const incomplete = r.findings.find((f) => f.code === 'incomplete_record')!;
  assert.equal(incomplete.detail, '建档信息缺少 3 项必填内容:安装高度、权属单位、安装日期。');
  assert.equal(incomplete.severity, 'warning');
  const privateOne = r.findings.find((f) => f.code === 'private_place')!;
  assert.match(privateOne.detail, /^登记的所属场所为(宾馆客房|集体宿舍|更衣室)“/);
  assert.match(privateOne.fix, /公共安全视频图像信息系统管理条例.*拆除或移至公共区域/);
  assert.equal(privateOne.severity, 'error');
});

test('outside the county: every manifest camera, and exactly the cameras PostGIS places outside the boundary', { timeout: 180_000 }, async () => {
  const r = await demoAudit();
  const m = await manifest();
  const outside = await inRollback((c) => many<{ id: number }>(
    `SELECT c.id FROM cameras c WHERE NOT EXISTS (SELECT 1 FROM admin_areas a WHERE a.level = 'county' AND ST_Covers(a.geom, c.geom)) ORDER BY c.id`,
    [], 'finding cameras outside the county by hand', c,
  ));
  const found = idsWith(r, 'outside_county');
  assert.deepEqual(sorted(found), outside.map((x) => x.id));
  for (const id of m.get('outside_county')!) assert.ok(found.has(id), `manifest camera ${id}`);
  const far = r.findings.find((f) => f.code === 'outside_county' && m.get('outside_county')!.includes(f.cameraId))!;
  assert.match(far.detail, /位于云溪县县界之外,距县界约 \d+ 米。$/);
});

test('duplicate ids and positions: both members of every manifest pair, and exactly the cameras that share an id or lie within 1 m', { timeout: 180_000 }, async () => {
  const r = await demoAudit();
  const m = await manifest();
  await inRollback(async (c) => {
    const shared = await many<{ id: number; others: number[] }>(
      `SELECT a.id, array_agg(b.id ORDER BY b.id) AS others FROM cameras a JOIN cameras b ON b.gb_id = a.gb_id AND b.id <> a.id GROUP BY a.id ORDER BY a.id`,
      [], 'finding shared ids by hand', c,
    );
    const dupIds = idsWith(r, 'duplicate_id');
    assert.deepEqual(sorted(dupIds), shared.map((x) => x.id));
    for (const s of shared) assert.deepEqual(r.findings.find((f) => f.code === 'duplicate_id' && f.cameraId === s.id)!.related, s.others);
    // A manifest entry copied another camera's id; when that camera's id was later corrupted
    // by another defect, the pair no longer exists and the record is rightly not a duplicate.
    const unique = new Set((await many<{ id: number }>(`SELECT id FROM cameras c WHERE NOT EXISTS (SELECT 1 FROM cameras o WHERE o.gb_id = c.gb_id AND o.id <> c.id)`, [], 'unique ids', c)).map((x) => x.id));
    const idManifest = m.get('duplicate_id')!;
    const undone = idManifest.filter((id) => unique.has(id));
    assert.ok(undone.length <= 2, `${undone.length} of ${idManifest.length} duplicate-id entries undone by later defects`);
    for (const id of idManifest) if (!unique.has(id)) assert.ok(dupIds.has(id), `manifest duplicate_id camera ${id}`);
    // Both members: every manifest camera's partners are flagged too.
    for (const id of idManifest.filter((x) => !unique.has(x))) {
      for (const other of shared.find((s) => s.id === id)!.others) assert.ok(dupIds.has(other), `partner ${other} of ${id}`);
    }

    const close = await many<{ a: number; b: number }>(
      `SELECT a.id AS a, b.id AS b FROM cameras a JOIN cameras b ON b.id <> a.id AND b.geom && ST_Expand(a.geom, 0.0002)
       WHERE ST_Distance(a.geom::geography, b.geom::geography) <= 1 ORDER BY a.id, b.id`,
      [], 'finding cameras within 1 m by hand', c,
    );
    const dupPos = idsWith(r, 'duplicate_position');
    assert.deepEqual(sorted(dupPos), [...new Set(close.map((x) => x.a))].sort((a, b) => a - b));
    const posManifest = m.get('duplicate_position')!;
    const alone = posManifest.filter((id) => !close.some((x) => x.a === id));
    assert.ok(alone.length <= 2, `${alone.length} of ${posManifest.length} duplicate-position entries undone by later defects`);
    for (const id of posManifest) {
      if (alone.includes(id)) continue;
      const f = r.findings.find((x) => x.code === 'duplicate_position' && x.cameraId === id)!;
      assert.ok(f, `manifest duplicate_position camera ${id}`);
      assert.equal(f.severity, 'warning');
      assert.deepEqual(f.related, close.filter((x) => x.a === id).map((x) => x.b));
      for (const other of f.related!) assert.ok(dupPos.has(other), `partner ${other} of ${id}`);
      assert.match(f.fix, /同一立杆.*核实.*否则.*更正点位坐标/);
    }
  });
});

test('GCJ-02 and BD-09 positions: high recall, few false positives, the converted position suggested', { timeout: 180_000 }, async () => {
  const r = await demoAudit();
  const m = await manifest();
  const gcj = m.get('gcj02_recorded')!;
  const bd = m.get('bd09_recorded')!;
  const foundGcj = idsWith(r, 'gcj02_recorded');
  const foundBd = idsWith(r, 'bd09_recorded');
  const hitGcj = gcj.filter((id) => foundGcj.has(id)).length;
  const hitBd = bd.filter((id) => foundBd.has(id)).length;
  // Measured on seed 'test': GCJ-02 15 of 15, BD-09 4 of 5 (one BD-09 camera's recorded
  // position lands 13 m from a road: no evidence tells it apart), no false positives.
  assert.ok(hitGcj / gcj.length >= 0.9, `GCJ-02 recall ${hitGcj}/${gcj.length}`);
  assert.ok(hitBd / bd.length >= 0.75, `BD-09 recall ${hitBd}/${bd.length}`);
  assert.ok((hitGcj + hitBd) / (gcj.length + bd.length) >= 0.9, `combined recall ${hitGcj + hitBd}/${gcj.length + bd.length}`);
  const falseGcj = [...foundGcj].filter((id) => !gcj.includes(id));
  const falseBd = [...foundBd].filter((id) => !bd.includes(id));
  assert.ok(falseGcj.length + falseBd.length <= 2, `false positives: GCJ-02 ${falseGcj.join(',')} BD-09 ${falseBd.join(',')}`);
  assert.equal([...foundGcj].filter((id) => bd.includes(id)).length + [...foundBd].filter((id) => gcj.includes(id)).length, 0, 'no reading mistaken for the other');

  await inRollback(async (c) => {
    for (const f of r.findings.filter((x) => x.code === 'gcj02_recorded' || x.code === 'bd09_recorded')) {
      assert.equal(f.severity, 'warning');
      assert.ok(f.suggested);
      // The suggestion is the recorded coordinates converted from the suspected system.
      const back = convertLonLat([f.suggested.lon, f.suggested.lat], 'wgs84', f.code === 'gcj02_recorded' ? 'gcj02' : 'bd09');
      assert.ok(Math.abs(back[0] - f.lon) < 2e-7 && Math.abs(back[1] - f.lat) < 2e-7, `${f.cameraId}: ${back} vs ${f.lon},${f.lat}`);
      const shift = await one<{ m: number }>('SELECT ST_Distance(ST_MakePoint($1, $2)::geography, ST_MakePoint($3, $4)::geography) AS m', [f.lon, f.lat, f.suggested.lon, f.suggested.lat], 'measuring the shift', c);
      assert.ok(f.code === 'gcj02_recorded' ? shift.m > 400 && shift.m < 800 : shift.m > 900 && shift.m < 1500, `${f.code} shift ${shift.m}`);
      assert.ok(f.fix.includes(`(${f.suggested.lon.toFixed(6)}, ${f.suggested.lat.toFixed(6)})`), f.fix);
      assert.match(f.detail, /若按 (GCJ-02|BD-09) 坐标纠偏到 WGS-84,则.*仅/);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Crafted cameras

interface Spec {
  at: LonLat;
  gbId?: string | null;
  type?: 'fixed' | 'dome' | 'ptz';
  azimuth?: number | null;
  fov?: number | null;
  range?: number | null;
  height?: number | null;
  owner?: string | null;
  installedOn?: string | null;
  township?: string | null;
  placeId?: number | null;
}

/** Road midpoints away from cameras, places and the county edge, at least 1.5 km apart. */
async function quietRoadPoints(c: pg.PoolClient, n: number): Promise<LonLat[]> {
  const rows = await many<{ lon: number; lat: number }>(
    `WITH county AS (SELECT ST_Union(geom) AS geom FROM admin_areas WHERE level = 'county'),
     pts AS (SELECT id, ST_LineInterpolatePoint(geom, 0.5) AS p FROM roads WHERE road_class IN ('county', 'township', 'village'))
     SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM pts, county
     WHERE NOT EXISTS (SELECT 1 FROM cameras k WHERE k.geom && ST_Expand(pts.p, 0.01) AND ST_DWithin(k.geom::geography, pts.p::geography, 400))
       AND NOT EXISTS (SELECT 1 FROM places k WHERE k.geom && ST_Expand(pts.p, 0.01) AND ST_DWithin(k.geom::geography, pts.p::geography, 400))
       AND ST_Distance(ST_Boundary(county.geom)::geography, pts.p::geography) > 3000
     ORDER BY pts.id`,
    [], 'finding quiet road points', c,
  );
  const picked: LonLat[] = [];
  const metres = (a: LonLat, b: LonLat) => Math.hypot((a[0] - b[0]) * 100_000, (a[1] - b[1]) * 110_600);
  for (const r of rows) {
    const p: LonLat = [r.lon, r.lat];
    if (picked.every((q) => metres(p, q) > 1500)) picked.push(p);
    if (picked.length === n) break;
  }
  assert.equal(picked.length, n, 'enough quiet road points in the demo county');
  return picked;
}

/** Among `points`, one whose position recorded in `crs` lies at least 150 m from every road and camera. */
async function shiftable(c: pg.PoolClient, points: LonLat[], crs: 'gcj02' | 'bd09'): Promise<{ truth: LonLat; recorded: LonLat }> {
  for (const truth of points) {
    const recorded = convertLonLat(truth, 'wgs84', crs);
    const d = await one<{ road: number; camera: number }>(
      `SELECT (SELECT min(ST_Distance(r.geom::geography, p::geography)) FROM (SELECT geom FROM roads ORDER BY geom <-> p LIMIT 5) r) AS road,
              coalesce((SELECT min(ST_Distance(k.geom::geography, p::geography)) FROM (SELECT geom FROM cameras ORDER BY geom <-> p LIMIT 5) k), 1e9) AS camera
       FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS p) x`,
      [recorded[0], recorded[1]], 'measuring a shifted position', c,
    );
    if (d.road >= 150 && d.camera >= 150) return { truth, recorded };
  }
  throw new Error(`no quiet road point whose ${crs} position is off the roads`);
}

async function offset(c: pg.PoolClient, p: LonLat, metres: number, azimuthDeg: number): Promise<LonLat> {
  const r = await one<{ lon: number; lat: number }>(
    `SELECT ST_X(q) AS lon, ST_Y(q) AS lat FROM (SELECT ST_Project(ST_MakePoint($1, $2)::geography, $3::float8, radians($4::float8))::geometry AS q) x`,
    [p[0], p[1], metres, azimuthDeg], 'offsetting a point', c,
  );
  return [r.lon, r.lat];
}

test('crafted cameras each get exactly the findings they were made to have; a clean one gets none', { timeout: 180_000 }, async () => {
  await inRollback(async (c) => {
    const county = await one<{ code: string; xmax: number; ymid: number }>(
      `SELECT code::text AS code, ST_XMax(geom) AS xmax, (ST_YMin(geom) + ST_YMax(geom)) / 2 AS ymid FROM admin_areas WHERE level = 'county' ORDER BY code LIMIT 1`,
      [], 'reading the county', c,
    );
    const points = await quietRoadPoints(c, 24);
    let serial = 990_000;
    const gb = (type = '132', network = '0', prefix = county.code.slice(0, 6)) => `${prefix}01${'00'}${type}${network}${String(serial++).padStart(6, '0')}`;
    const township = async (p: LonLat) =>
      (await one<{ code: string }>(`SELECT code::text AS code FROM admin_areas WHERE level = 'township' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) LIMIT 1`, [p[0], p[1]], 'finding the township', c)).code;
    const ids = new Map<string, number>();
    const add = async (key: string, s: Spec) => {
      const r = await one<{ id: number }>(
        `INSERT INTO cameras (external_id, gb_id, name, geom, mount_height_m, azimuth_deg, fov_deg, range_m, camera_type, status, owner, township_code, place_id, installed_on)
         VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8, $9, $10, 'online', $11, $12, $13, $14) RETURNING id`,
        [
          `audit-${key}`, s.gbId === undefined ? gb() : s.gbId, `测试点位${key}`, s.at[0], s.at[1], s.height === undefined ? 6 : s.height,
          s.azimuth === undefined ? 90 : s.azimuth, s.fov === undefined ? 80 : s.fov, s.range === undefined ? 80 : s.range, s.type ?? 'fixed',
          s.owner === undefined ? '县公安局' : s.owner, s.township === undefined ? await township(s.at) : s.township, s.placeId ?? null,
          s.installedOn === undefined ? '2024-05-01' : s.installedOn,
        ],
        `adding the crafted camera ${key}`, c,
      );
      ids.set(key, r.id);
    };
    const expected: Record<string, FindingCode[]> = {};
    const next = () => points.shift()!;

    const gcjSite = await shiftable(c, points.slice(0, 8), 'gcj02');
    points.splice(points.indexOf(gcjSite.truth), 1);
    const bdSite = await shiftable(c, points.slice(0, 8), 'bd09');
    points.splice(points.indexOf(bdSite.truth), 1);

    await add('clean', { at: next() }); expected.clean = [];
    await add('clean-dome', { at: next(), type: 'dome', azimuth: null, fov: 360, range: 50 }); expected['clean-dome'] = [];
    await add('no-azimuth', { at: next(), azimuth: null }); expected['no-azimuth'] = ['missing_azimuth'];
    await add('fov-200', { at: next(), fov: 200 }); expected['fov-200'] = ['implausible_fov'];
    await add('fov-2', { at: next(), fov: 2 }); expected['fov-2'] = ['implausible_fov'];
    await add('range-800', { at: next(), range: 800 }); expected['range-800'] = ['implausible_range'];
    await add('ptz-800', { at: next(), type: 'ptz', azimuth: null, fov: 360, range: 800 }); expected['ptz-800'] = [];
    await add('no-range', { at: next(), range: null }); expected['no-range'] = ['missing_range'];
    await add('dome-no-fov', { at: next(), type: 'dome', azimuth: null, fov: null, range: 50 }); expected['dome-no-fov'] = ['missing_fov'];
    await add('id-19', { at: next(), gbId: gb().slice(0, 19) }); expected['id-19'] = ['malformed_id'];
    await add('id-letters', { at: next(), gbId: `${gb().slice(0, 10)}AB${'2000123'}${'0'}` }); expected['id-letters'] = ['malformed_id'];
    await add('id-county', { at: next(), gbId: gb('132', '0', '110105') }); expected['id-county'] = ['malformed_id'];
    await add('id-type-111', { at: next(), gbId: gb('111') }); expected['id-type-111'] = ['malformed_id'];
    await add('id-network-9', { at: next(), gbId: gb('131', '9') }); expected['id-network-9'] = ['malformed_id'];
    const shared = gb();
    await add('dup-id-a', { at: next(), gbId: shared }); expected['dup-id-a'] = ['duplicate_id'];
    await add('dup-id-b', { at: next(), gbId: shared }); expected['dup-id-b'] = ['duplicate_id'];
    const pole = next();
    await add('pole-a', { at: pole, azimuth: 0 }); expected['pole-a'] = ['duplicate_position'];
    await add('pole-b', { at: await offset(c, pole, 0.4, 90), azimuth: 180 }); expected['pole-b'] = ['duplicate_position'];
    await add('pole-c', { at: await offset(c, pole, 3, 270), azimuth: 270 }); expected['pole-c'] = [];
    await add('outside', { at: [county.xmax + 0.1, county.ymid], township: null, owner: '县公安局' }); expected.outside = ['outside_county', 'incomplete_record'];
    await add('gcj02', { at: gcjSite.recorded }); expected.gcj02 = ['gcj02_recorded'];
    await add('bd09', { at: bdSite.recorded }); expected.bd09 = ['bd09_recorded'];
    await add('incomplete', { at: next(), owner: null, installedOn: null }); expected.incomplete = ['incomplete_record'];
    await add('no-gb-id', { at: next(), gbId: null }); expected['no-gb-id'] = ['incomplete_record'];
    // A dormitory (a private place) 40 m off a quiet road; one camera registered to it, one
    // beside it without a place, one 30 m away (allowed).
    const road = next();
    const dormAt = await offset(c, road, 40, 0);
    const dorm = await one<{ id: number }>(
      `INSERT INTO places (external_id, name, place_type, geom) VALUES ('audit-dorm', '测试学校学生宿舍', 'dormitory', ST_SetSRID(ST_MakePoint($1, $2), 4326)) RETURNING id`,
      [dormAt[0], dormAt[1]], 'adding a dormitory', c,
    );
    await add('private-own', { at: await offset(c, dormAt, 3, 90), placeId: dorm.id }); expected['private-own'] = ['private_place'];
    await add('private-near', { at: await offset(c, dormAt, 6, 270) }); expected['private-near'] = ['private_place'];
    await add('private-far', { at: await offset(c, dormAt, 30, 180) }); expected['private-far'] = [];

    const r = await runAudit(c);
    const byCamera = new Map<number, AuditFinding[]>();
    for (const f of r.findings) byCamera.set(f.cameraId, [...(byCamera.get(f.cameraId) ?? []), f]);
    const of = (key: string) => byCamera.get(ids.get(key)!) ?? [];
    for (const [key, codes] of Object.entries(expected)) {
      assert.deepEqual(of(key).map((f) => f.code).sort(), [...codes].sort(), `${key}: ${of(key).map((f) => `${f.code} ${f.detail}`).join(' | ')}`);
    }
    const findingOf = (key: string, code: FindingCode) => of(key).find((f) => f.code === code)!;

    // The facts in the wording.
    assert.equal(findingOf('id-19', 'malformed_id').detail, `国标编码“${of('id-19')[0]!.gbId}”:国标编码应为 20 位数字,实为 19 位。`);
    assert.match(findingOf('id-letters', 'malformed_id').detail, /第 11 位为“A”、第 12 位为“B”/);
    assert.match(findingOf('id-county', 'malformed_id').detail, new RegExp(`中心编码前 6 位 110105 不是本县行政区划代码 ${county.code.slice(0, 6)}`));
    assert.ok(findingOf('id-type-111', 'malformed_id').detail.includes('类型编码 111(DVR)不是摄像机,应为 131(摄像机)或132(网络摄像机(IPC))。'));
    assert.match(findingOf('id-network-9', 'malformed_id').detail, /网络标识 9 为标准预留值/);
    assert.match(findingOf('fov-200', 'implausible_fov').detail, /视场角为 200°,超过 180°/);
    assert.match(findingOf('range-800', 'implausible_range').detail, /监控距离为 800 米,超过该类型的合理上限 300 米/);
    assert.equal(findingOf('dome-no-fov', 'missing_fov').severity, 'warning');
    assert.equal(findingOf('no-range', 'missing_range').severity, 'error');
    assert.equal(findingOf('no-azimuth', 'missing_azimuth').severity, 'error');
    assert.deepEqual(findingOf('dup-id-a', 'duplicate_id').related, [ids.get('dup-id-b')]);
    assert.deepEqual(findingOf('dup-id-b', 'duplicate_id').related, [ids.get('dup-id-a')]);
    assert.match(findingOf('dup-id-a', 'duplicate_id').detail, new RegExp(`${shared}.*测试点位dup-id-b`));
    assert.deepEqual(findingOf('pole-a', 'duplicate_position').related, [ids.get('pole-b')]);
    assert.match(findingOf('pole-a', 'duplicate_position').detail, /相距 0\.40 米,方向角 180°.*本机:方向角 0°/);
    assert.match(findingOf('outside', 'outside_county').detail, /距县界约 \d+ 米/);
    assert.equal(findingOf('outside', 'incomplete_record').detail, '建档信息缺少 1 项必填内容:所属乡镇。');
    assert.equal(findingOf('no-gb-id', 'incomplete_record').severity, 'error');
    assert.match(findingOf('private-own', 'private_place').detail, /^登记的所属场所为集体宿舍“测试学校学生宿舍”/);
    assert.match(findingOf('private-near', 'private_place').detail, /^距集体宿舍“测试学校学生宿舍”仅 6\.0 米/);

    // The shifted cameras: the suggestion is the true position on the road (within 0.5 m).
    for (const [key, site] of [['gcj02', gcjSite], ['bd09', bdSite]] as const) {
      const f = findingOf(key, key === 'gcj02' ? 'gcj02_recorded' : 'bd09_recorded');
      const miss = await one<{ m: number }>('SELECT ST_Distance(ST_MakePoint($1, $2)::geography, ST_MakePoint($3, $4)::geography) AS m', [f.suggested!.lon, f.suggested!.lat, site.truth[0], site.truth[1]], 'measuring the suggestion', c);
      assert.ok(miss.m < 0.5, `${key}: suggestion ${miss.m} m from the true position`);
      assert.match(f.detail, /登记坐标距最近道路 \d+ 米,若按 (GCJ-02|BD-09) 坐标纠偏到 WGS-84,则距“[^”]+”仅 \d/);
    }

    // 建档: the per-camera missing fields the KPI reuses.
    const missing = await missingFields(c);
    assert.equal(missing.size, r.cameras);
    assert.deepEqual(missing.get(ids.get('incomplete')!), ['owner', 'installed_on']);
    assert.deepEqual(missing.get(ids.get('no-gb-id')!), ['gb_id']);
    assert.deepEqual(missing.get(ids.get('no-azimuth')!), ['azimuth_deg']);
    assert.deepEqual(missing.get(ids.get('clean-dome')!), []);
    assert.deepEqual(missing.get(ids.get('clean')!), []);
    assert.deepEqual(REQUIRED_FIELDS.map((f) => f.code), ['gb_id', 'name', 'mount_height_m', 'azimuth_deg', 'fov_deg', 'range_m', 'owner', 'installed_on', 'township_code']);
    assert.equal(AUDIT_RULES.duplicatePositionM, 1);
  });
});
