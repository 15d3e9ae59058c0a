// The placement recommender (补点) and the register edits on the demo county (seed 'test'):
// on a small study area (600 m around the county seat) the greedy picks are checked
// against the brute-force optimum of the same instance, and the plain and lazy greedy
// agree through `recommend`; on the whole county every fixed-camera pick's gain is
// recomputed from the instance; and refused inputs (budgets, a candidate outside the
// county, impossible camera values) change nothing, while a valid edit rebuilds that
// camera's view in the same call.
// Each test runs in one rolled-back transaction, and checks inside it that what a refusal
// or an undone edit touched is as it was; the candidate sequence, which a rollback does not
// restore, is put back by its owner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZodError } from 'zod';
import { DbError, many, one } from '../../server/db/index';
import { MAINTENANCE, withScope, type Tx } from '../../server/db/scope';
import { caller, inRollback } from '../helpers';
import { recommend, type RecommendResult } from '../../server/services/coverage/recommend';
import { scopeOf } from '../../server/services/coverage/figures';
import { refreshViews } from '../../server/services/coverage/fov';
import { addCandidate, removeCandidate, updateCamera } from '../../server/services/coverage/cameras';
import { bruteForce, coveredWeight, lazyGreedy, type Instance } from '../../server/services/coverage/greedy';
import { RULES } from '../../server/services/coverage/rules';
import { CoverageInputError } from '../../server/errors';

const BOUND = 1 - 1 / Math.E;
const STUDY_RADIUS_M = 600;
const CJK = /[\u4e00-\u9fff]/;
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} vs ${b}`);

/** A circle of 600 m radius around the county seat (the county's recorded centre, which is the seat's). */
async function studyArea(c: Tx): Promise<string> {
  const r = await one<{ ewkt: string | null; inside: boolean }>(
    `SELECT ST_AsEWKT(ST_Buffer(centre::geography, $1, 8)::geometry) AS ewkt, ST_Intersects(geom, centre) AS inside
     FROM admin_areas WHERE level = 'county'`,
    [STUDY_RADIUS_M], 'finding the county seat', c,
  );
  assert.ok(r.ewkt && r.inside, 'the demo county records its seat as a centre inside it');
  return r.ewkt;
}

type Instanced = Required<Pick<RecommendResult, 'instance'>>['instance'];

/** The option index of each pick in the returned instance (site and direction). */
function optionsOf(res: RecommendResult): number[] {
  const inst = res.instance!;
  return res.picks.map((p) => {
    const matches = inst.optionSite.flatMap((s, o) => (s === p.siteId && inst.optionAzimuth[o] === p.azimuthDeg ? [o] : []));
    assert.equal(matches.length, 1, `pick ${p.rank} (site ${p.siteId}, ${p.azimuthDeg}°) is exactly one option of the instance`);
    return matches[0]!;
  });
}

/** The instance restricted to options that cover something (the optimum is the same). */
function nonEmpty(inst: Instanced): { reduced: Instance; original: number[] } {
  const original = inst.sets.flatMap((s, o) => (s.length > 0 ? [o] : []));
  return { reduced: { weights: inst.weights, sets: original.map((o) => inst.sets[o]!) }, original };
}

/** What a refusal must leave alone: the cameras, their cached views and the candidate sites. */
async function registerFingerprint(c: Tx): Promise<{ cameras: string; views: string; candidates: string; candidateCount: number }> {
  return one(
    `SELECT (SELECT md5(string_agg(to_jsonb(c)::text, '|' ORDER BY c.id)) FROM cameras c) AS cameras,
            (SELECT md5(string_agg(to_jsonb(f)::text, '|' ORDER BY f.camera_id)) FROM camera_fov f) AS views,
            (SELECT coalesce(md5(string_agg(to_jsonb(k)::text, '|' ORDER BY k.id)), '') FROM camera_candidates k) AS candidates,
            (SELECT count(*)::int FROM camera_candidates) AS "candidateCount"`,
    [], 'fingerprinting the register', c,
  );
}

/** One camera's row and its cached view row, as text, to compare before and after. */
async function cameraRows(c: Tx, id: number): Promise<{ camera: string; view: string | null }> {
  return one(
    `SELECT to_jsonb(c)::text AS camera, (SELECT to_jsonb(f)::text FROM camera_fov f WHERE f.camera_id = c.id) AS view FROM cameras c WHERE c.id = $1`,
    [id], 'reading a camera and its view', c,
  );
}

/** Makes the cached views current, as what changes cameras does. */
async function freshViews(c: Tx): Promise<void> {
  const { srid } = await scopeOf(c);
  await refreshViews(c, srid);
}

async function refusal(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  assert.fail('the call was expected to be refused');
}

let smallRun: Promise<RecommendResult> | undefined;
const smallArea = () => (smallRun ??= inRollback(async (c) => recommend(c, { budget: 3, within: await studyArea(c), withInstance: true })));

test('a study area of 600 m around the county seat, budget 3: greedy within 1 − 1/e of the brute-force optimum; plain and lazy greedy agree', { timeout: 300_000 }, async () => {
  const lazy = await smallArea();
  const naive = await inRollback(async (c) => recommend(c, { budget: 3, within: await studyArea(c), withInstance: true, algorithm: 'naive' }));
  const inst = lazy.instance!;
  assert.equal(lazy.method.type, 'dome');
  assert.equal(lazy.candidates.options, inst.sets.length);
  assert.equal(lazy.demand.units, inst.weights.length);
  assert.ok(lazy.candidates.sites >= 3, `${lazy.candidates.sites} candidate sites`);
  assert.equal(lazy.picks.length, 3);

  // the picks are the greedy on the returned instance, gain for gain
  const options = optionsOf(lazy);
  const again = lazyGreedy(inst, 3);
  assert.deepEqual(options, again.map((p) => p.option));
  lazy.picks.forEach((p, i) => close(p.gain, again[i]!.gain, `pick ${p.rank} gain`));
  const greedy = coveredWeight(inst, options);
  close(greedy, lazy.total.weight, 'the total is the weight the picks cover together');

  const { reduced, original } = nonEmpty(inst);
  assert.ok(reduced.sets.length <= 80, `${reduced.sets.length} useful options: small enough to enumerate`);
  const opt = bruteForce(reduced, 3);
  close(coveredWeight(inst, opt.options.map((o) => original[o]!)), opt.value, 'the optimum re-measured on the full instance');
  assert.ok(opt.value >= greedy - 1e-9, `brute force ${opt.value} ≥ greedy ${greedy}`);
  assert.ok(greedy >= BOUND * opt.value - 1e-9, `greedy ${greedy} ≥ (1 − 1/e) × ${opt.value}`);
  console.log(JSON.stringify({
    studyArea: `${STUDY_RADIUS_M} m radius around the county seat`, sites: lazy.candidates, demandUnits: lazy.demand.units,
    greedy: Number(greedy.toFixed(3)), optimum: Number(opt.value.toFixed(3)), ratio: Number((greedy / opt.value).toFixed(4)),
    greedySites: lazy.picks.map((p) => p.siteId), optimumSites: opt.options.map((o) => inst.optionSite[original[o]!]),
  }));

  // plain greedy through recommend: the same picks, gains and totals
  assert.equal(naive.method.algorithm, 'greedy, every gain recomputed at every step');
  assert.deepEqual(naive.picks.map((p) => [p.siteId, p.azimuthDeg, p.gain]), lazy.picks.map((p) => [p.siteId, p.azimuthDeg, p.gain]));
  assert.equal(naive.total.weight, lazy.total.weight);
  assert.deepEqual(naive.instance!.optionSite, inst.optionSite);
  assert.deepEqual([...naive.instance!.weights], [...inst.weights]);
});

test('the county, 5 fixed cameras: gains recomputed from the instance, non-increasing, views hold their site and face one of 8 directions, total ≥ baseline', { timeout: 300_000 }, async () => {
  await inRollback(async (c) => {
    const res = await recommend(c, { budget: 5, type: 'fixed', withInstance: true });
    const inst = res.instance!;
    const dirs = RULES.recommend.cameraTypes.fixed.directions ?? 8;
    assert.equal(res.method.type, 'fixed');
    assert.equal(res.method.directions, dirs);
    assert.equal(res.candidates.options, res.candidates.sites * dirs);
    assert.equal(res.picks.length, 5);

    const options = optionsOf(res);
    let before = 0;
    let cumulative = 0;
    res.picks.forEach((p, i) => {
      const upTo = coveredWeight(inst, options.slice(0, i + 1));
      close(p.gain, upTo - before, `pick ${p.rank}: the marginal gain recomputed from the instance`);
      before = upTo;
      cumulative += p.gain;
      close(p.cumulative, cumulative, `pick ${p.rank}: cumulative`);
      assert.equal(p.rank, i + 1);
      if (i > 0) assert.ok(p.gain <= res.picks[i - 1]!.gain, `gain ${p.gain} of pick ${p.rank} exceeds the one before (${res.picks[i - 1]!.gain})`);
      assert.ok(p.gain > 0);
      assert.ok(p.azimuthDeg !== null && Array.from({ length: dirs }, (_, k) => (360 * k) / dirs).includes(p.azimuthDeg), `pick ${p.rank} faces ${p.azimuthDeg}°, one of the ${dirs} directions`);
  });
  close(res.total.weight, before, 'the total is what the picks cover together');
  // no option twice (two fixed cameras on one pole facing different ways are allowed)
  assert.equal(new Set(options).size, 5, 'no option is picked twice');

  // each drawn view: holds its site (the apex), opens around its azimuth, has the sector's area
  const range = RULES.recommend.cameraTypes.fixed.rangeM * RULES.view.rangeFactor.fixed;
  const checks = await many<{ covers: boolean; offM: number; ahead: boolean; behind: boolean; areaM2: number }>(
    `SELECT ST_Covers(v, p) OR ST_Distance(v::geography, p::geography) < 0.05 AS covers, ST_Distance(v::geography, p::geography) AS "offM",
            ST_Intersects(v, ST_Project(p::geography, $5::float8 / 2, radians(x.az))::geometry) AS ahead,
            ST_Intersects(v, ST_Project(p::geography, $5::float8 / 2, radians(x.az + 180))::geometry) AS behind,
            ST_Area(v::geography) AS "areaM2"
     FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[]) WITH ORDINALITY AS x(view, lon, lat, az, n)
     CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(x.view), 4326) AS v, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS p) g
     ORDER BY x.n`,
    [res.picks.map((p) => JSON.stringify(p.view)), res.picks.map((p) => p.lon), res.picks.map((p) => p.lat), res.picks.map((p) => p.azimuthDeg), range],
    'checking the recommended views', c,
  );
  const sector = (Math.PI * range ** 2 * RULES.recommend.cameraTypes.fixed.fovDeg) / 360;
  checks.forEach((c, i) => {
    // the view travels as GeoJSON with 7 decimals (~1 cm): the apex may sit that far off
    assert.ok(c.covers, `pick ${i + 1}: the view contains its site (${c.offM} m off)`);
    assert.ok(c.ahead && !c.behind, `pick ${i + 1}: the view opens towards its azimuth`);
    assert.ok(Math.abs(c.areaM2 - sector) <= 0.01 * sector, `pick ${i + 1}: view area ${c.areaM2} vs sector ${sector}`);
  });

  assert.ok(res.baseline.picks.length > 0 && res.baseline.picks.length <= 5);
  assert.ok(res.total.weight >= res.baseline.weight, `greedy ${res.total.weight} ≥ baseline ${res.baseline.weight}`);
  console.log(JSON.stringify({
    county: { sites: res.candidates, demandUnits: res.demand.units, demandWeight: Number(res.demand.totalWeight.toFixed(1)) },
    greedy: Number(res.total.weight.toFixed(3)), baseline: Number(res.baseline.weight.toFixed(3)), ratioToBaseline: res.ratioToBaseline && Number(res.ratioToBaseline.toFixed(3)),
    gains: res.picks.map((p) => Number(p.gain.toFixed(2))), sites: res.picks.map((p) => p.siteId), azimuths: res.picks.map((p) => p.azimuthDeg), timingsMs: res.timings,
  }));
  });
});

test('refused budgets and a candidate outside the county change nothing; the budget limit names the site count', { timeout: 300_000 }, async () => {
  const small = await smallArea();
  await inRollback(async (c) => {
    const within = await studyArea(c);
    await freshViews(c);
    const before = await registerFingerprint(c);

    for (const budget of [0, 1.5, -2, Number.NaN]) {
      const err = await refusal(() => recommend(c, { budget, within }));
      assert.ok(err instanceof CoverageInputError, `budget ${budget}: ${String(err)}`);
      assert.match(err.message, /whole number/);
    }
    const sites = small.candidates.sites;
    const over = await refusal(() => recommend(c, { budget: sites + 1, within }));
    assert.ok(over instanceof CoverageInputError, String(over));
    assert.ok(over.message.includes(`${sites} candidate sites`), `the refusal names the ${sites} sites: ${over.message}`);
    assert.ok(over.message.includes(`${sites + 1} cameras`), over.message);

    // a candidate far outside the county (zod accepts the coordinates; the county check refuses)
    const outside = await refusal(() => addCandidate(c, { name: '县外测试点', lon: 116.0, lat: 24.0 }));
    assert.ok(outside instanceof CoverageInputError, String(outside));
    assert.match(outside.message, /lies outside the county/);
    assert.ok(CJK.test(outside.zh ?? '') && outside.zh!.includes('不在县域范围内'), outside.zh);
    const bad = await refusal(() => addCandidate(c, { name: '', lon: 200, lat: 25 }));
    assert.ok(bad instanceof ZodError, String(bad));
    const messages = bad.issues.map((i) => i.message);
    assert.ok(messages.includes('请填写候选点名称') && messages.some((m) => m.startsWith('经度')), messages.join(' / '));

    const after = await registerFingerprint(c);
    assert.deepEqual(after, before, 'the cameras, views and candidate sites are unchanged');
  });
});

test('refusals surface to the router as CoverageInputError (BAD_REQUEST), not wrapped in a DbError', async () => {
  const outside = await refusal(() => inRollback((c) => addCandidate(c, { name: '县外测试点', lon: 116.0, lat: 24.0 })));
  assert.ok(!(outside instanceof DbError), `got ${String(outside)}`);
  assert.ok(outside instanceof CoverageInputError);
  const api = await caller();
  await assert.rejects(() => api.coverage.addCandidate({ name: '县外测试点', lon: 116.0, lat: 24.0 }), (e: { code?: string; message: string }) => e.code === 'BAD_REQUEST' && /不在县域范围内/.test(e.message));
  await assert.rejects(() => api.coverage.updateCamera({ id: 1, fovDeg: 0 }), (e: { code?: string; message: string }) => e.code === 'BAD_REQUEST' && /视场角/.test(e.message));
  await assert.rejects(() => api.coverage.recommend({ budget: 0 }), (e: { code?: string; message: string }) => e.code === 'BAD_REQUEST' && /至少为 1/.test(e.message));
});

test('impossible camera values are refused with the field named in Chinese and change nothing; a valid edit rebuilds the view in the same call', { timeout: 300_000 }, async () => {
  await inRollback(async (c) => {
    await freshViews(c);
    const cam = await one<{ id: number; azimuth: number; fov: number; range: number; type: string }>(
      `SELECT c.id, c.azimuth_deg AS azimuth, c.fov_deg AS fov, c.range_m AS range, c.camera_type AS type
       FROM cameras c JOIN camera_fov f ON f.camera_id = c.id
       WHERE c.camera_type = 'fixed' AND f.kind = 'sector' AND c.azimuth_deg = round(c.azimuth_deg) AND c.fov_deg < 360
       ORDER BY c.id LIMIT 1`,
      [], 'choosing a fixed camera', c,
    );
    const before = await cameraRows(c, cam.id);
    const all = await registerFingerprint(c);

    const cases: [Record<string, unknown>, string, string][] = [
      [{ azimuthDeg: 400 }, 'azimuthDeg', '方位角'],
      [{ fovDeg: 0 }, 'fovDeg', '视场角'],
      [{ rangeM: -5 }, 'rangeM', '可视距离'],
      [{ cameraType: 'bullet' }, 'cameraType', '类型'],
    ];
    for (const [edit, field, label] of cases) {
      const err = await refusal(() => updateCamera(c, { id: cam.id, ...edit }));
      assert.ok(err instanceof ZodError, `${field}: ${String(err)}`);
      const issue = err.issues.find((i) => i.path[0] === field);
      assert.ok(issue, `${field}: an issue on the field (${err.issues.map((i) => i.path.join('.')).join(', ')})`);
      assert.ok(issue.message.includes(label) && CJK.test(issue.message), `${field}: "${issue.message}" names ${label}`);
      assert.deepEqual(await cameraRows(c, cam.id), before, `${field}: the camera and its view are unchanged`);
    }
    assert.deepEqual(await registerFingerprint(c), all, 'no camera or view changed');

    // a valid edit: the view follows in the same call; then everything is put back
    const fresh = (cam.azimuth + 90) % 360;
    const builtAt = await one<{ t: string }>('SELECT built_at::text AS t FROM camera_fov WHERE camera_id = $1', [cam.id], 'reading built_at', c);
    try {
      const shown = await updateCamera(c, { id: cam.id, azimuthDeg: fresh });
      assert.equal(shown.azimuthDeg, fresh);
      assert.equal(shown.kind, 'sector');
      const v = await one<{ src: number; ahead: boolean }>(
        `SELECT f.src_azimuth_deg AS src,
                ST_Intersects(f.geom, ST_Project(c.geom::geography, f.effective_range_m / 2, radians($2::float8))::geometry) AS ahead
         FROM camera_fov f JOIN cameras c ON c.id = f.camera_id WHERE f.camera_id = $1`,
        [cam.id, fresh], 'reading the rebuilt view', c,
      );
      assert.equal(v.src, fresh, 'camera_fov was rebuilt with the new azimuth by updateCamera itself');
      assert.ok(v.ahead, 'the rebuilt view opens towards the new azimuth');
    } finally {
      await updateCamera(c, { id: cam.id, azimuthDeg: cam.azimuth });
      // the rebuilt view is the same geometry; its build time is put back too
      await c.query('UPDATE camera_fov SET built_at = $2::timestamptz WHERE camera_id = $1', [cam.id, builtAt.t]);
    }
    assert.deepEqual(await cameraRows(c, cam.id), before, 'the camera and its view are as they were');
  });
});

test('a drawn candidate inside the study area becomes a site (drawn sites first); it is removed afterwards', { timeout: 300_000 }, async () => {
  // the sequence is not rolled back with the transaction, and only its owner may read or set it
  const seq = await withScope(MAINTENANCE, { attempted: 'reading the sequence', readOnly: true }, (tx) =>
    one<{ last: string; called: boolean }>(`SELECT last_value::text AS last, is_called AS called FROM camera_candidates_id_seq`, [], 'reading the sequence', tx));
  try {
    await inRollback(async (c) => {
      const within = await studyArea(c);
      await freshViews(c);
      const before = await registerFingerprint(c);
      const centre = await one<{ lon: number; lat: number }>(`SELECT ST_X(ST_Project(centre::geography, 150, radians(30))::geometry) AS lon, ST_Y(ST_Project(centre::geography, 150, radians(30))::geometry) AS lat FROM admin_areas WHERE level = 'county'`, [], 'placing a candidate', c);
      const added = await addCandidate(c, { name: '测试候选点', lon: centre.lon, lat: centre.lat, note: '集成测试' });
      try {
        assert.equal(added.name, '测试候选点');
        const res = await recommend(c, { budget: 1, within });
        assert.equal(res.candidates.drawn, 1);
      } finally {
        await removeCandidate(c, added.id);
      }
      assert.deepEqual(await registerFingerprint(c), before);
      const err = await refusal(() => removeCandidate(c, added.id));
      assert.ok(err instanceof CoverageInputError && /does not exist/.test(err.message) && err.zh?.includes('不存在'), String(err));
    });
  } finally {
    await withScope(MAINTENANCE, { attempted: 'restoring the candidate sequence' }, (tx) => tx.query(`SELECT setval('camera_candidates_id_seq', $1::bigint, $2)`, [seq.last, seq.called]));
  }
});
