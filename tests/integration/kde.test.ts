// Kernel density surface: the bandwidth follows its stated rule, the density of a cell
// equals the quartic kernel summed by hand over the incidents, an empty window is an
// empty surface with a reason, and bad parameters are BAD_REQUEST.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback } from '../helpers';
import { many } from '../../server/db/index';

const from = new Date('2026-03-01T00:00:00+08:00');
const to = new Date('2026-06-01T00:00:00+08:00');

test('the KDE bandwidth follows the spatial Silverman rule and densities equal the quartic kernel summed by hand', { timeout: 180_000 }, async () => {
  const api = await caller();
  const r = await api.hotspots.kde({ cellM: 500, from, to, categories: ['criminal'] });
  const srid = r.method.metricSrid;
  const pts = await inRollback((c) => many<{ x: number; y: number }>(
    `SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(geom, $1::int) AS g FROM incidents
       WHERE occurred_at >= $2 AND occurred_at < $3 AND category_code LIKE 'criminal.%') p`,
    [srid, from, to], 'reading the incidents', c,
  ));
  assert.equal(r.method.incidents, pts.length);
  const mx = pts.reduce((a, p) => a + p.x, 0) / pts.length;
  const my = pts.reduce((a, p) => a + p.y, 0) / pts.length;
  const d = pts.map((p) => Math.hypot(p.x - mx, p.y - my)).sort((a, b) => a - b);
  const sd = Math.sqrt(d.reduce((a, x) => a + x * x, 0) / d.length);
  const median = d.length % 2 ? d[(d.length - 1) / 2]! : (d[d.length / 2 - 1]! + d[d.length / 2]!) / 2;
  const h = Math.max(500, 0.9 * Math.min(sd, Math.sqrt(1 / Math.LN2) * median) * pts.length ** -0.2);
  assert.equal(r.method.bandwidthM, Math.round(h));

  // The densest cell and a cell on the edge of the surface, recomputed from the points.
  const sorted = [...r.cells].sort((a, b) => b.density - a.density);
  for (const cell of [sorted[0]!, sorted[sorted.length - 1]!]) {
    const [centre] = await inRollback((c) => many<{ x: number; y: number }>('SELECT ST_X(g) AS x, ST_Y(g) AS y FROM (SELECT ST_Transform(ST_Centroid(ST_GeomFromGeoJSON($1)), $2::int) AS g) c', [JSON.stringify(cell.polygon), srid], 'cell centre', c));
    let sum = 0;
    for (const p of pts) {
      const dd = (p.x - centre!.x) ** 2 + (p.y - centre!.y) ** 2;
      if (dd < h * h) sum += (3 / (Math.PI * h * h)) * (1 - dd / (h * h)) ** 2;
    }
    // The page's bandwidth is rounded to the metre; the service uses the exact one.
    assert.ok(Math.abs(cell.density - sum * 1e6) <= 1e-3 * sum * 1e6 + 1e-3, `cell ${cell.id}: ${cell.density} vs ${sum * 1e6}`);
  }
  assert.equal(r.method.breaks.length, 4);
  assert.ok(r.method.breaks.every((b, i) => i === 0 || b >= r.method.breaks[i - 1]!));
});

test('an empty KDE window is an empty surface with a reason; bad parameters are BAD_REQUEST', { timeout: 120_000 }, async () => {
  const api = await caller();
  const none = await api.hotspots.kde({ cellM: 1000, from: new Date('2020-01-01T00:00:00+08:00'), to: new Date('2020-02-01T00:00:00+08:00') });
  assert.equal(none.cells.length, 0);
  assert.match(none.method.note ?? '', /No incidents/);
  const badRequest = (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST';
  await assert.rejects(() => api.hotspots.kde({ cellM: 0 }), badRequest);
  await assert.rejects(() => api.hotspots.kde({ cellM: 500, bandwidthM: 100 }), (e: unknown) => badRequest(e) && /核密度带宽/.test((e as Error).message));
  await assert.rejects(() => api.hotspots.kde({ cellM: 500, from: to, to: from }), (e: unknown) => badRequest(e) && /时间范围为空/.test((e as Error).message));
  await assert.rejects(() => api.hotspots.kde({ cellM: 500, categories: ['不存在的类别'] }), (e: unknown) => badRequest(e) && /未知的案件类别/.test((e as Error).message));
});
