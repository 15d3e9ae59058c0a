// The health check reports the engine and PostGIS version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../helpers';
import { checkHealth } from '../../server/services/health/check';

test('health is ok and names the database engine and PostGIS version', async () => {
  const health = await checkHealth();
  assert.equal(health.ok, true);
  if (!health.ok) return;
  assert.equal(health.database, process.env.DATABASE_URL ? 'postgres' : 'embedded');
  assert.match(health.postgis, /^3\.\d+/);
  const [major, minor] = health.postgis.split('.').map(Number) as [number, number];
  assert.ok(major > 3 || minor >= 3, 'PostGIS 3.3 or newer');
});
