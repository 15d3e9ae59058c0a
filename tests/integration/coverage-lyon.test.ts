// The coverage figures against an independent computation: the Lyon–Villeurbanne OSM
// extract (roads and 20 cameras) imported and measured by computeCoverage, and the same
// rules applied by scripts/reference/lyon-coverage.py with GEOS (Debian's shapely) and
// PROJ (pyproj). Camera counts must agree exactly, total and covered road length within
// 0.5 % (the done-criterion). Skipped without the shared data or Debian's Python
// with shapely and pyproj, except in CI (CI=true), where it must run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inRollback } from '../helpers';
import { runOsmImport } from '../../server/import/osm';
import { computeCoverage } from '../../server/services/coverage/figures';

const FILE = path.resolve('..', 'shared', 'data', 'cameras', 'lyon_villeurbanne_roads_and_cameras.wgs84.osm');
const SCRIPT = path.resolve('scripts', 'reference', 'lyon-coverage.py');
const PYTHON = '/usr/bin/python3'; // Debian's: the pyenv python3 on PATH has no shapely
const TOLERANCE = 0.005;

function missingReason(): string | null {
  if (!fs.existsSync(FILE)) return `no ${FILE}`;
  if (!fs.existsSync(PYTHON)) return `no ${PYTHON} (apt-get install python3-shapely python3-pyproj)`;
  const probe = spawnSync(PYTHON, ['-c', 'import shapely, pyproj'], { encoding: 'utf8' });
  if (probe.status !== 0) return `${PYTHON} lacks shapely or pyproj (apt-get install python3-shapely python3-pyproj): ${probe.stderr.trim()}`;
  return null;
}
const missing = missingReason();
const inCi = process.env.CI === 'true';

interface Reference {
  cameras: { total: number; sector: number; circle: number; unknown: number };
  roads: { totalM: number; coveredM: number; byClass: Record<string, { totalM: number; coveredM: number }> };
  bounds: { west: number; south: number; east: number; north: number };
}

function reference(): Reference {
  const r = spawnSync(PYTHON, [SCRIPT, FILE], { encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.equal(r.status, 0, `${SCRIPT} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Reference;
}

/** The file's <bounds> as an EWKT polygon (read here, not from the script's output). */
function boundsEwkt(): string {
  const head = fs.readFileSync(FILE, 'utf8').slice(0, 4000);
  const tag = /<bounds\b[^>]*>/.exec(head)?.[0];
  assert.ok(tag, 'the extract has a <bounds> element');
  const v = (k: string) => Number(new RegExp(`${k}="([-0-9.]+)"`).exec(tag)![1]);
  const [w, s, e, n] = [v('minlon'), v('minlat'), v('maxlon'), v('maxlat')];
  return `SRID=4326;POLYGON((${w} ${s}, ${e} ${s}, ${e} ${n}, ${w} ${n}, ${w} ${s}))`;
}

const relDiff = (a: number, b: number) => (b === 0 ? (a === 0 ? 0 : Infinity) : Math.abs(a - b) / b);
const pct = (x: number) => `${(100 * x).toFixed(4)} %`;

test('Lyon OSM extract: project coverage equals the GEOS reference (shapely) within 0.5 % of covered road length', { skip: inCi ? false : missing ?? false }, async () => {
  if (missing) assert.fail(`CI must run the coverage reference test: ${missing}`);
  const ref = reference();
  const within = boundsEwkt();
  await inRollback(async (c) => {
    const imported = await runOsmImport(c, { file: FILE, allowOutside: true }); // Lyon lies outside the demo county
    assert.equal(imported.layers.cameras.accepted, 20, 'all 20 cameras import');
    const res = await computeCoverage(c, { within, hotspots: false });
    assert.equal(res.method.metricSrid, 32631, 'the study area lies in UTM zone 31N');

    const project = { totalM: res.roads.totalKm * 1000, coveredM: res.roads.coveredKm * 1000 };
    const lines = [
      `# Lyon coverage (nominal, EPSG:32631): project vs GEOS reference`,
      `#   total road   ${project.totalM.toFixed(2)} m vs ${ref.roads.totalM.toFixed(2)} m (${pct(relDiff(project.totalM, ref.roads.totalM))})`,
      `#   covered road ${project.coveredM.toFixed(2)} m vs ${ref.roads.coveredM.toFixed(2)} m (${pct(relDiff(project.coveredM, ref.roads.coveredM))})`,
    ];
    for (const cls of [...new Set([...Object.keys(ref.roads.byClass), ...Object.keys(res.roads.byClass)])].sort()) {
      const p = res.roads.byClass[cls];
      const r = ref.roads.byClass[cls];
      lines.push(`#   ${cls.padEnd(10)} total ${((p?.totalKm ?? 0) * 1000).toFixed(2)} vs ${(r?.totalM ?? 0).toFixed(2)} m, covered ${((p?.coveredKm ?? 0) * 1000).toFixed(2)} vs ${(r?.coveredM ?? 0).toFixed(2)} m`);
    }
    lines.push(`#   cameras project ${JSON.stringify({ total: res.cameras.total, sector: res.cameras.sector, circle: res.cameras.circle, unknown: res.cameras.unknown })} reference ${JSON.stringify(ref.cameras)}`);
    console.log(lines.join('\n'));

    assert.deepEqual(
      { total: res.cameras.total, sector: res.cameras.sector, circle: res.cameras.circle, unknown: res.cameras.unknown },
      ref.cameras,
      'cameras per kind of view',
    );
    assert.ok(ref.roads.coveredM > 0, 'the reference sees some covered road');
    assert.ok(relDiff(project.totalM, ref.roads.totalM) <= TOLERANCE, `total road length: ${project.totalM} m vs ${ref.roads.totalM} m`);
    assert.ok(relDiff(project.coveredM, ref.roads.coveredM) <= TOLERANCE, `covered road length: ${project.coveredM} m vs ${ref.roads.coveredM} m`);
    assert.deepEqual(Object.keys(res.roads.byClass).sort(), Object.keys(ref.roads.byClass).sort(), 'the same road classes');
    // per class as well: 0.5 % or half a metre, whichever is larger (a class may be short)
    for (const [cls, r] of Object.entries(ref.roads.byClass)) {
      const p = res.roads.byClass[cls]!;
      for (const [what, mine, theirs] of [['total', p.totalKm * 1000, r.totalM], ['covered', p.coveredKm * 1000, r.coveredM]] as const) {
        assert.ok(Math.abs(mine - theirs) <= Math.max(TOLERANCE * theirs, 0.5), `${cls} ${what} road length: ${mine} m vs ${theirs} m`);
      }
    }
  });
});
