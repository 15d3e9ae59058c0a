// Gi* against R spdep::localG (fixtures made by scripts/reference/gistar-fixtures.R):
// z-scores, p-values and Benjamini–Hochberg adjusted p-values to 1e-6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { inRollback } from '../helpers';
import { giStar, hotspotClass, type Neighbours } from '../../server/services/hotspots/gistar';

interface Fixture {
  name: string;
  weights: Neighbours;
  x: number[];
  y: number[];
  counts: number[];
  gstar: number[];
  p: number[];
  pBH: number[];
}

const DIR = path.resolve('tests/fixtures/hotspots');

for (const file of fs.readdirSync(DIR).filter((f) => f.startsWith('gistar-'))) {
  const fx = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Fixture;
  test(`Gi* equals spdep::localG to 1e-6: ${fx.name} (${fx.weights.kind === 'knn' ? `k = ${fx.weights.k}` : `${fx.weights.metres} m band`}, ${fx.counts.length} cells)`, async () => {
    await inRollback(async (c) => {
      await c.query('CREATE TEMP TABLE hotspot_cells (id bigint PRIMARY KEY, i integer, j integer, pt geometry, n float8) ON COMMIT DROP');
      await c.query(
        'INSERT INTO hotspot_cells (id, pt, n) SELECT k, ST_MakePoint(x, y), n FROM unnest($1::float8[], $2::float8[], $3::float8[]) WITH ORDINALITY AS u(x, y, n, k)',
        [fx.x, fx.y, fx.counts],
      );
      await c.query('CREATE INDEX ON hotspot_cells USING gist (pt)');
      await check(await giStar(c, fx.weights));
      if (fx.name === 'fishnet-distance') {
        // The same fishnet through the square-cell stencil: i, j from the 250 m centroids.
        await c.query('UPDATE hotspot_cells SET i = round(ST_X(pt) / 250 - 0.5), j = round(ST_Y(pt) / 250 - 0.5)');
        await check(await giStar(c, fx.weights, 250));
      }
    });
  });
  async function check(rows: Awaited<ReturnType<typeof giStar>>) {
    {
      assert.equal(rows.length, fx.counts.length);
      let worstZ = 0;
      let worstP = 0;
      let worstQ = 0;
      for (const r of rows) {
        const i = r.id - 1;
        worstZ = Math.max(worstZ, Math.abs(r.z! - fx.gstar[i]!));
        worstP = Math.max(worstP, Math.abs(r.p! - fx.p[i]!));
        worstQ = Math.max(worstQ, Math.abs(r.pFdr! - fx.pBH[i]!));
      }
      assert.ok(worstZ < 1e-6, `worst z difference ${worstZ}`);
      assert.ok(worstP < 1e-6, `worst p difference ${worstP}`);
      assert.ok(worstQ < 1e-6, `worst BH-adjusted p difference ${worstQ}`);
      assert.ok(rows.some((r) => hotspotClass(r.z, r.pFdr).startsWith('hot')), 'the planted hotspot is found');
    }
  }
}

test('classes follow the ArcGIS confidence bins on the adjusted p-value', () => {
  assert.equal(hotspotClass(3.1, 0.002), 'hot-99');
  assert.equal(hotspotClass(2.2, 0.03), 'hot-95');
  assert.equal(hotspotClass(-1.8, 0.07), 'cold-90');
  assert.equal(hotspotClass(1.7, 0.2), 'none');
  assert.equal(hotspotClass(null, null), 'none');
});
