// What row-level security costs each analysis: the same call run as the application role
// (pingan_app, policies in force, as every request runs) and as the table owner (the
// maintenance actor, which on a superuser connection bypasses the policies), alternating,
// in the same process against the same data. PostGIS's spatial operators are not
// LEAKPROOF, so under a policy the planner may not use a spatial index on a protected
// table ahead of the policy's filter: a join that probed such an index becomes a scan.
// Prints seconds per call and the ratio app role ÷ owner (best of `--runs`, default 2).
import { parseArgs } from 'node:util';
import { MAINTENANCE, withScope, type Tx } from '../server/db/scope';
import { systemActor } from '../server/context';
import { runHotspots } from '../server/services/hotspots/hotspots';
import { runKde } from '../server/services/hotspots/kde';
import { rankTargets } from '../server/services/hotspots/targets';
import { computeCoverage } from '../server/services/coverage/figures';
import { recommend } from '../server/services/coverage/recommend';
import { runAudit } from '../server/services/coverage/audit';
import { computePeaceIndex } from '../server/services/peace-index/index';
import { gridLayer } from '../server/services/basemap/layers';
import { lap, r3 } from './lap';

const CASES: Record<string, (tx: Tx) => Promise<unknown>> = {
  grids: (tx) => gridLayer(tx),
  gistar: (tx) => runHotspots(tx, { shape: 'square', cellM: 500, neighbours: { kind: 'distance', metres: 1000 }, fdr: true }),
  kde: (tx) => runKde(tx, { cellM: 500 }),
  targets: (tx) => rankTargets(tx, { top: 20, cellM: 500 }),
  coverage: (tx) => computeCoverage(tx, { hotspots: true, gaps: true }),
  recommend: (tx) => recommend(tx, { budget: 20, type: 'dome' }),
  audit: (tx) => runAudit(tx),
  peaceIndex: (tx) => computePeaceIndex(tx, { top: 3 }),
};

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string', default: '2' }, only: { type: 'string', multiple: true } }, strict: true });
  const app = systemActor('bench scope-overhead');
  const results: Record<string, { appRoleS: number; ownerS: number; ratio: number }> = {};
  for (const [name, fn] of Object.entries(CASES)) {
    if (values.only && !values.only.includes(name)) continue;
    let best = { app: Infinity, owner: Infinity };
    for (let i = 0; i < Number(values.runs); i++) {
      const [, owner] = await lap(() => withScope(MAINTENANCE, { attempted: name, readOnly: true, timeoutMs: 0 }, fn));
      const [, asApp] = await lap(() => withScope(app, { attempted: name, readOnly: true, timeoutMs: 0 }, fn));
      best = { app: Math.min(best.app, asApp), owner: Math.min(best.owner, owner) };
    }
    results[name] = { appRoleS: r3(best.app), ownerS: r3(best.owner), ratio: r3(best.app / best.owner) };
    console.error(`${name}: app role ${r3(best.app)} s, owner ${r3(best.owner)} s`);
  }
  return { note: 'seconds per call, best of runs; ratio = application role (RLS in force) / table owner (RLS bypassed)', results };
}
