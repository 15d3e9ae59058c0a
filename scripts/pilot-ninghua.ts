// The Ninghua pilot: loads the real county fence (GCJ-02), its townships and villages
// (GCJ-02 points; township areas derived as provisional Voronoi cells and marked
// derived), and the OSM county-town extract (WGS-84 roads and key places), then checks
// the alignment: the county centre must lie within 100 m of OSM's 宁化县人民政府 node.
//   npm run pilot:ninghua [-- --dry-run] [--data ../shared/data]
// Equivalent CLI sequence:
//   npm run cli -- import admin ../shared/data/ninghua/county_350424_fence.gcj02.geojson --mapping geodata/mappings/ninghua-fence.json
//   npm run cli -- import admin ../shared/data/ninghua/adcode_350424.gcj02.csv --mapping geodata/mappings/adcode.json
//   npm run cli -- derive-areas 350424000000
//   npm run cli -- import osm ../shared/data/ninghua/county_town_cuijiang.wgs84.osm
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { closeDatabase, one, sql } from '../server/db/index';
import { withScope, type Tx } from '../server/db/scope';
import { systemActor } from '../server/context';
import { migrate } from '../server/db/migrate';
import { runImport } from '../server/import/pipeline';
import { runOsmImport } from '../server/import/osm';

export const NINGHUA_CODE = '350424000000';
export const ALIGNMENT_LIMIT_M = 100;

export interface PilotResult {
  county: { accepted: number; rejected: number };
  areas: { accepted: number; rejected: number };
  derivedTownships: number;
  osm: { roads: number; places: number };
  centreToGovernmentM: number;
  aligned: boolean;
}

/** Runs the pilot on `client`, inside the caller's transaction. */
export async function runNinghuaPilot(client: Tx, dataDir: string): Promise<PilotResult> {
  const nh = (f: string) => path.join(dataDir, 'ninghua', f);
  const county = await runImport(client, { layer: 'admin', file: nh('county_350424_fence.gcj02.geojson'), mapping: 'geodata/mappings/ninghua-fence.json' });
  const areas = await runImport(client, { layer: 'admin', file: nh('adcode_350424.gcj02.csv'), mapping: 'geodata/mappings/adcode.json' });
  const derived = await client.query(sql('admin/derive-township-areas.sql'), [NINGHUA_CODE]);
  const osm = await runOsmImport(client, { file: nh('county_town_cuijiang.wgs84.osm') });
  const d = await one<{ m: number }>(
    `SELECT ST_Distance(c.centre::geography, p.geom::geography) AS m FROM admin_areas c, places p
     WHERE c.code = $1 AND p.name = '宁化县人民政府' ORDER BY 1 LIMIT 1`,
    [NINGHUA_CODE], 'measuring the county centre against the OSM government node', client,
  );
  return {
    county: { accepted: county.accepted, rejected: county.rejected },
    areas: { accepted: areas.accepted, rejected: areas.rejected },
    derivedTownships: derived.rowCount ?? 0,
    osm: { roads: osm.layers.roads.accepted, places: osm.layers.places.accepted },
    centreToGovernmentM: Math.round(d.m * 10) / 10,
    aligned: d.m < ALIGNMENT_LIMIT_M,
  };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean' }, data: { type: 'string', default: path.resolve('..', 'shared', 'data') } } });
  await migrate();
  try {
    // a dry run rolls back; a misaligned result is reported but rolled back to the savepoint
    const result = await withScope(systemActor('pilot-ninghua'), { attempted: 'running the Ninghua pilot', timeoutMs: 0, readOnly: values['dry-run'] }, async (tx) => {
      await tx.query('SAVEPOINT pilot');
      const r = await runNinghuaPilot(tx, values.data!);
      await tx.query(r.aligned ? 'RELEASE SAVEPOINT pilot' : 'ROLLBACK TO SAVEPOINT pilot');
      return r;
    });
    console.log(JSON.stringify({ ...result, committed: !values['dry-run'] && result.aligned }, null, 2));
    process.exitCode = result.aligned ? 0 : 1;
  } finally {
    await closeDatabase();
  }
}
