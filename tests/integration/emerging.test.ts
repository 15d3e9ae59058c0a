// Emerging hot spots over the demo county: a full space-time cube, counts that add up,
// and the county seat's hotspots classed with a pattern and its Chinese label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inRollback } from '../helpers';
import { one } from '../../server/db/index';
import { runEmerging } from '../../server/services/hotspots/emerging';

test('every cell has a count and a z-score per slice, counts add up, and the seat carries hot-spot patterns', { timeout: 300_000 }, () => inRollback(async (c) => {
  const from = new Date('2024-11-15T00:00:00+08:00');
  const to = new Date('2026-11-15T00:00:00+08:00');
  const r = await runEmerging(c, { shape: 'square', cellM: 1500, neighbours: { kind: 'distance', metres: 3500 }, from, to, slices: 8 });
  assert.ok(r.cells.length > 800);
  assert.ok(r.cells.every((c) => c.counts.length === 8 && c.z.length === 8));
  const total = r.cells.reduce((a, c) => a + c.counts.reduce((x, y) => x + y, 0), 0);
  const expected = await one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [from, to], 'counting', c);
  assert.equal(total, expected.n);
  const hot = r.cells.filter((c) => c.pattern.endsWith('-hot'));
  assert.ok(hot.length > 0, 'the seat is a hotspot in some pattern');
  assert.ok(hot.every((c) => /热点$/.test(c.label)));
  const strongest = hot.sort((a, b) => Math.max(...b.z.map((z) => z ?? 0)) - Math.max(...a.z.map((z) => z ?? 0)))[0]!;
  assert.ok(Math.abs(strongest.lon - 117.6) < 0.05 && Math.abs(strongest.lat - 25.7) < 0.05);
}));
