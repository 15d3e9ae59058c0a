// COPY text encoding used by the bulk loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyLine, lineEwkt, pointEwkt } from '../../server/db/bulk';

test('copyLine escapes tabs, newlines and backslashes and writes nulls as \\N', () => {
  assert.equal(copyLine(['a\tb', 'c\nd', 'e\\f', null, 3, true]), 'a\\tb\tc\\nd\te\\\\f\t\\N\t3\ttrue\n');
});

test('copyLine writes dates as ISO timestamps', () => {
  assert.equal(copyLine([new Date('2026-01-02T03:04:05Z')]), '2026-01-02T03:04:05.000Z\n');
});

test('EWKT helpers write WGS-84 geometries', () => {
  assert.equal(pointEwkt(117.5, 25.5), 'SRID=4326;POINT(117.5 25.5)');
  assert.equal(lineEwkt([[1, 2], [3, 4]]), 'SRID=4326;LINESTRING(1 2,3 4)');
});
