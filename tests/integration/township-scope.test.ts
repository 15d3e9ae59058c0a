// A township officer sees only their township's rows, everywhere: the tables read directly,
// the map layers, the exports. Checked by counting rows against what the county scope
// counts for that township. PostgreSQL enforces this through row-level security under the
// application role; on the embedded database the same policies apply after SET LOCAL ROLE
// (PGlite's single superuser session could leave the role: README), and CI runs this file
// on a real PostGIS too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { many, one } from '../../server/db/index';
import type { Actor } from '../../server/context';
import { exportLayer } from '../../server/export/index';
import { caller, inRollback, sqlState } from '../helpers';

const SCOPED = ['incidents', 'incident_status_history', 'grids', 'cameras', 'camera_fov', 'hazards', 'high_rises', 'places', 'patrol_teams', 'patrol_routes', 'patrol_track_points', 'rectification_targets'];

const township = await inRollback((tx) => one<{ code: string }>(`SELECT code FROM admin_areas WHERE level = 'township' ORDER BY (name LIKE '城关%') DESC, code LIMIT 1`, [], 'a township', tx));
const officer: Actor = { kind: 'user', id: 'user:test-officer', displayName: 'test', roles: ['township'], townships: [township.code.trim()] };

async function counts(actor?: Actor): Promise<Record<string, { all: number; mine: number }>> {
  const run = (tx: Parameters<Parameters<typeof inRollback>[0]>[0]) => Promise.all(SCOPED.map(async (t) => {
    const r = await one<{ all: number; mine: number }>(`SELECT count(*)::int AS all, count(*) FILTER (WHERE township_code = $1)::int AS mine FROM ${t}`, [township.code], `counting ${t}`, tx);
    return [t, r] as const;
  })).then(Object.fromEntries);
  return actor ? inRollback(run, actor) : inRollback(run);
}

test('the application role owns no table and can bypass nothing', async () => {
  const r = await inRollback((tx) => one<{ who: string; su: boolean; bypass: boolean; owned: number }>(
    `SELECT current_user AS who, r.rolsuper AS su, r.rolbypassrls AS bypass,
            (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
     FROM pg_roles r WHERE r.rolname = current_user`, [], 'reading the role', tx), officer);
  assert.deepEqual(r, { who: 'pingan_app', su: false, bypass: false, owned: 0 });
});

test('a township officer counts exactly their township\'s rows in every scoped table', async () => {
  const county = await counts();
  const mine = await counts(officer);
  for (const t of SCOPED) {
    assert.equal(mine[t]!.all, county[t]!.mine, `${t}: the officer sees what the county counts for ${township.code}`);
    assert.equal(mine[t]!.mine, mine[t]!.all, `${t}: nothing of another township`);
  }
  for (const t of ['incidents', 'grids', 'cameras', 'hazards', 'places']) {
    assert.ok(county[t]!.mine > 0, `${t}: the demo has rows in the township`);
    assert.ok(county[t]!.all > county[t]!.mine, `${t}: and rows elsewhere`);
  }
});

test('the officer cannot write rows of another township', async () => {
  const state = await inRollback(async (tx) => {
    const other = await one<{ id: number }>(`SELECT id FROM cameras ORDER BY id LIMIT 1`, [], 'a camera', tx); // visible ones only
    const hidden = await sqlState(tx, `UPDATE cameras SET township_code = '000000000000' WHERE id = $1`, [other.id]);
    const updatedElsewhere = await many(`UPDATE cameras SET name = name WHERE township_code <> $1 RETURNING id`, [township.code], 'updating elsewhere', tx);
    return { hidden, updatedElsewhere: updatedElsewhere.length };
  }, officer);
  assert.equal(state.hidden, '42501', 'moving a row out of the township violates the policy');
  assert.equal(state.updatedElsewhere, 0);
});

test('map layers and exports through the officer\'s scope carry only their township', async () => {
  const county = await counts();
  const grids = await (await caller(officer)).basemap.grids();
  assert.equal(grids.features.length, county.grids!.mine);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-scope-'));
  try {
    const out = path.join(dir, 'cameras.csv');
    const r = await inRollback((tx) => exportLayer(tx, { layer: 'cameras', format: 'csv', crs: 'wgs84', out }), officer);
    assert.equal(r.rows, county.cameras!.mine);
    assert.equal(fs.readFileSync(out, 'utf8').replace(/^\ufeff/, '').trim().split('\n').length - 1, county.cameras!.mine);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the 平安指数 an officer reads ranks every township (computed with the county\'s rights)', async () => {
  const all = await inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'township'`, [], 'townships', tx));
  const r = await (await caller(officer)).peaceIndex.compute({ top: 3 });
  assert.equal(r.townships.length, all.n);
});

test('a request that leaves its role or widens its townships fails and hands nothing back', async () => {
  const { withScope } = await import('../../server/db/scope');
  await assert.rejects(
    withScope(officer, { attempted: 'a test', readOnly: true }, async (tx) => {
      await tx.query('RESET ROLE');
      return (await tx.query('SELECT count(*)::int AS n FROM incidents')).rows;
    }),
    /left its scope/,
  );
  await assert.rejects(
    withScope(officer, { attempted: 'a test', readOnly: true }, async (tx) => {
      await tx.query(`SELECT set_config('app.townships', '*', true)`);
      return (await tx.query('SELECT count(*)::int AS n FROM incidents')).rows;
    }),
    /left its scope/,
  );
});
