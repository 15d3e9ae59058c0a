// The command line: `npm run cli -- <command> [options]`. Each command connects the same
// way the app does (DATABASE_URL, else the embedded database, through the running app's
// server when there is one), prints its result, and exits non-zero with one clear
// sentence on failure.
import { addIncidents } from '../server/live/changes';
import { BUCKET_MS, loadModel, runUntil, SIMULATOR_ACTOR, type StepResult } from '../server/live/simulator';
import { parseArgs } from 'node:util';
import { ConfigError } from '../server/env';
import { closeDatabase, DbError, many, sql } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { countRows } from '../server/services/stats/counts';
import { seedDemoCounty } from './demo-county/index';
import type { ImportReport } from '../server/import/pipeline';
import type { OsmReport } from '../server/import/osm';
import { importAudited } from '../server/import/jobs';
import { isLayerName, LAYER_NAMES } from '../server/import/layers';
import { binaryToTerminal, exportLayer, OutputClosed, type ExportFormat } from '../server/export/index';
import { runHotspots, type CellShape } from '../server/services/hotspots/hotspots';
import { runBacktest } from '../server/services/hotspots/backtest';
import { runEmerging } from '../server/services/hotspots/emerging';
import { runKde } from '../server/services/hotspots/kde';
import { evaluateAndStore } from '../server/services/hotspots/target-evaluation';
import { FACTORS, rankTargets, WeightsSchema } from '../server/services/hotspots/targets';
import { INDICATOR_IDS, type PeaceIndexResult } from '../server/services/peace-index/index';
import { peaceIndexIn } from '../server/services/peace-index/published';
import { readMappingFile } from '../server/import/mapping';
import { computeCoverage, type CoverageResult } from '../server/services/coverage/figures';
import { recommend, type RecommendResult } from '../server/services/coverage/recommend';
import { runAudit, type AuditResult } from '../server/services/coverage/audit';
import { KPI_LABELS, KPI_NAMES } from '../server/services/coverage/kpis';
import { RULES } from '../server/services/coverage/rules';
import { parseTime } from '../server/import/values';
import { mapError } from '../server/errors';
import { backupDatabase, restoreDatabase, type TableRows } from '../server/db/backup';
import { withScope, type Tx } from '../server/db/scope';
import { systemActor, type Actor, type Capability } from '../server/context';
import { requireCapability } from '../server/auth/request';
import { addDisplay, addFeed, addUser, listDisplays, listFeeds, listUsers, revokeDisplay, revokeFeed, setDisabled, setPassword, setRoles } from '../server/auth/accounts';
import { platformConfig, pollPlatform } from '../server/live/platform';
import { patrolCommand, PATROL_USAGE } from './cli-patrol';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                          apply pending schema migrations (idempotent)
  seed [--seed S] [--scale N]      replace all data with the demo county (示例数据);
                                   --scale multiplies the 50,000 incidents
  stats [--json]                   row counts of the domain tables
  import <layer> <file> [--crs C] [--mapping file.json] [--dry-run] [--json]
                        [--max-errors N] [--encoding E] [--allow-outside]
                                   load a file into a layer, all rows or none; layers:
                                   admin grids roads places cameras hazards patrol-routes
                                   patrol-tracks incidents, and osm (roads+places+cameras);
                                   a file whose positions all lie outside the county is
                                   refused unless --allow-outside
  derive-areas <county code>       provisional township areas (Voronoi of township centres
                                   clipped to the county), marked derived
  hotspots [--input file] --cell <m> (--distance <m> | --k <n>) [--shape square|hex|grid]
           [--from date] [--to date] [--category c …] [--mapping m.json] [--no-fdr] [--json]
                                   Getis-Ord Gi* hotspots with FDR-corrected classes
  emerging --cell <m> --distance <m> --from date --to date [--slices N] [--json]
                                   emerging hot spots: Gi* per time slice + Mann-Kendall trend
  kde [--cell <m>] [--bandwidth <m>] [--from date] [--to date] [--category c …] [--json]
                                   kernel density surface (quartic kernel, spatial Silverman bandwidth)
  evaluate <target id> [--as-of date] [--ring <m>] [--comparisons N] [--json]
                                   before/after evaluation of a 挂牌整治 target (DiD, displacement ring)
  targets [--top N] [--cell <m>] [--weights density=0.3,trend=0.15,…] [--json]
                                   rectification targets ranked by an explainable composite score
  peace-index [--from date] [--to date] [--top N] [--weights criminalRate=0.2,…] [--json]
                                   平安指数 per township with the 红黑榜 (default: the 12 months
                                   up to the latest incident; indicators in geodata/peace-index.json)
  backtest --input file [--train-start date] --train-end date --test-end date --cell <m> [--study-area touch|centre] [--scores out.csv] [--mapping m.json] [--json]
                                   hit rate and PAI at 1/5/10 % of the area per prediction method
  coverage [--within WKT] [--no-hotspots] [--json]
                                   camera coverage (雪亮工程): roads by class, key places, grids,
                                   hazards, hotspots; nominal and effective; register KPIs
  coverage recommend --budget N [--type dome|fixed|ptz] [--within WKT] [--json]
                                   补点: greedy risk-weighted placement of N new cameras, with
                                   the marginal gain of each and a busiest-intersection baseline
  coverage audit [--json]          register quality findings (ids, positions, CRS, private places…)
  export <layer> [--format geojson|csv|xlsx] [--crs wgs84|gcj02|bd09|cgcs2000] [--out file]
  user add <name> --role R [--township code] [--name 姓名] | user passwd <name> | user roles <name> --role R [--township code]
  user disable|enable <name> | user list [--json]
                                   accounts (password from PINGAN_PASSWORD or a hidden prompt)
  display add <name> [--township code] | display revoke <name> | display list
                                   wall display tokens (shown once when issued)
  feed add <name> [--topic camera-status|hazard-alert …] [--township code] | feed revoke <name> | feed list
                                   tokens of systems pushing to /api/ingest (shown once when issued)
  platform poll [--json]           read the video platform's channel list once (VIDEO_PLATFORM_URL,
                                   VIDEO_PLATFORM_MAPPING) and write the status changes
  simulate [--rate N] [--minutes M] [--json]
                                   the living demo by hand: back-fill to now, then a step every
                                   10 s at N times the county's own event rate (Ctrl-C stops)
  simulate --incident [--at lon,lat] [--category code] [--major] [--json]
                                   one new incident now (受理), seen on the wall within seconds
${PATROL_USAGE}
  backup <file> [--json]           a consistent copy of the whole database, also while the app
                                   serves: pg_dump custom format on PostgreSQL, the embedded
                                   database's own dump (gzip) on PGlite; prints the row counts
  restore <file> [--json]          load a backup into an EMPTY database (a new PGLITE_DIR, or a
                                   database made with createdb), then apply newer migrations

Every command runs as the system actor "system:cli" (written to the audit log), or as an
account with --as <user> (its roles and townships apply, as on the web).
`;

class UsageError extends Error {}

/**
 * Who the command runs as: `--as <user>` (that account's roles and townships), else the
 * explicit system actor `system:cli`, which is what the audit log records.
 */
let ACTOR: Actor = systemActor('cli');
const read = <T>(fn: (tx: Tx) => Promise<T>) => withScope(ACTOR, { attempted: 'running the command', readOnly: true }, fn);
const write = <T>(fn: (tx: Tx) => Promise<T>) => withScope(ACTOR, { attempted: 'running the command' }, fn);

async function actorNamed(username: string): Promise<Actor> {
  const u = await withScope(systemActor('cli --as'), { attempted: 'reading the user', readOnly: true }, async (tx) => (await listUsers(tx)).find((x) => x.username === username.toLowerCase()));
  if (!u) throw new UsageError(`--as: no user "${username}" (npm run cli -- user list).`);
  if (u.disabled) throw new UsageError(`--as: user "${username}" is disabled.`);
  return { kind: 'user', id: `user:${u.username}`, userId: u.id, displayName: u.display_name, roles: u.roles, townships: u.townships, address: 'cli' };
}

/** Reads a password from the PINGAN_PASSWORD variable or, on a terminal, from a hidden prompt. */
async function readPassword(prompt: string): Promise<string> {
  if (process.env.PINGAN_PASSWORD) return process.env.PINGAN_PASSWORD;
  if (!process.stdin.isTTY) throw new UsageError('Give the password in PINGAN_PASSWORD, or run on a terminal to be asked for it.');
  const rl = (await import('node:readline')).createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  out._writeToOutput = (str: string) => { if (str.includes(prompt)) out.output.write(str); };
  const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}

/** What an account given with --as needs for each command (the same capabilities as on the web). */
const CLI_CAPABILITIES: Record<string, Capability> = {
  stats: 'map.read', import: 'import.write', hotspots: 'data.read', emerging: 'data.read', kde: 'data.read', targets: 'data.read', evaluate: 'targets.write',
  coverage: 'data.read', 'peace-index': 'data.read', backtest: 'data.read', 'derive-areas': 'import.write', export: 'export', user: 'users.admin', display: 'users.admin',
  simulate: 'import.write', feed: 'users.admin', platform: 'import.write', patrol: 'data.read',
};

// Each command returns its exit code (0 when it returns nothing).
const COMMANDS: Record<string, (args: string[]) => Promise<number | void>> = {
  patrol: (args) => patrolCommand(args, read, write, (msg) => new UsageError(msg)),

  async user(args) {
    const [sub, ...rest] = args;
    if (sub === 'list') {
      const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' } } });
      const users = await read((tx) => listUsers(tx));
      if (values.json) console.log(JSON.stringify(users));
      else for (const u of users) console.log(`${u.username.padEnd(16)} ${u.roles.join(',').padEnd(20)} ${(u.townships?.join(',') ?? 'county').padEnd(14)} ${u.disabled ? 'disabled' : u.locked_until && u.locked_until > new Date() ? 'locked' : 'active'}${u.must_change_password ? ' (must change password)' : ''}  ${u.display_name}`);
      return;
    }
    if (sub === 'add') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { role: { type: 'string', multiple: true }, township: { type: 'string', multiple: true }, name: { type: 'string' } } });
      const [username] = positionals;
      if (!username || !values.role?.length) throw new UsageError('user add <username> --role admin|commander|analyst|township|auditor [--township <12-digit code>] [--name 姓名]');
      const password = await readPassword(`Initial password for ${username}: `);
      const u = await write((tx) => addUser(tx, { username, displayName: values.name ?? username, password, roles: values.role as never, townships: values.township?.length ? values.township : null, mustChangePassword: true }));
      console.log(`Added ${u.username} (${u.roles.join(', ')}); the initial password must be changed at the first sign-in.`);
      return;
    }
    if (sub === 'passwd') {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: {} });
      if (positionals.length !== 1) throw new UsageError('user passwd <username>');
      const password = await readPassword(`New password for ${positionals[0]}: `);
      await write((tx) => setPassword(tx, positionals[0]!, password));
      console.log(`Password of ${positionals[0]} set; it must be changed at the next sign-in, and the user's sessions were ended.`);
      return;
    }
    if (sub === 'roles') {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { role: { type: 'string', multiple: true }, township: { type: 'string', multiple: true } } });
      if (positionals.length !== 1 || !values.role?.length) throw new UsageError('user roles <username> --role R [--role R2] [--township code]');
      await write((tx) => setRoles(tx, positionals[0]!, values.role!, values.township?.length ? values.township : null));
      console.log(`Roles of ${positionals[0]} set to ${values.role.join(', ')}${values.township?.length ? ` (townships ${values.township.join(', ')})` : ' (the whole county)'}; their sessions were ended.`);
      return;
    }
    if (sub === 'disable' || sub === 'enable') {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: {} });
      if (positionals.length !== 1) throw new UsageError(`user ${sub} <username>`);
      await write((tx) => setDisabled(tx, positionals[0]!, sub === 'disable'));
      console.log(`${positionals[0]} ${sub}d.`);
      return;
    }
    throw new UsageError('user add|passwd|roles|disable|enable|list');
  },

  async display(args) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { township: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
    if (sub === 'add' && positionals.length === 1) {
      const d = await write((tx) => addDisplay(tx, positionals[0]!, values.township?.length ? values.township : null));
      console.log(`Display token for ${d.name} (shown once; revoke with display revoke ${d.name}):\n${d.token}`);
      return;
    }
    if (sub === 'revoke' && positionals.length === 1) {
      await write((tx) => revokeDisplay(tx, positionals[0]!));
      console.log(`Display token of ${positionals[0]} revoked.`);
      return;
    }
    if (sub === 'list') {
      const rows = await read((tx) => listDisplays(tx));
      if (values.json) console.log(JSON.stringify(rows));
      else for (const d of rows) console.log(`${d.name.padEnd(20)} ${d.revoked_at ? 'revoked' : 'active'}  ${d.townships?.join(',') ?? 'county'}  last seen ${d.last_seen_at?.toISOString() ?? 'never'}`);
      return;
    }
    throw new UsageError('display add <name> [--township code] | display revoke <name> | display list');
  },

  async feed(args) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { topic: { type: 'string', multiple: true }, township: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
    if (sub === 'add' && positionals.length === 1) {
      const f = await write((tx) => addFeed(tx, positionals[0]!, values.topic ?? [], values.township?.length ? values.township : null));
      console.log(`Feed token for ${f.name} (${f.topics.join(', ')}; shown once; revoke with feed revoke ${f.name}):\n${f.token}`);
      return;
    }
    if (sub === 'revoke' && positionals.length === 1) {
      await write((tx) => revokeFeed(tx, positionals[0]!));
      console.log(`Feed token of ${positionals[0]} revoked.`);
      return;
    }
    if (sub === 'list') {
      const rows = await read((tx) => listFeeds(tx));
      if (values.json) console.log(JSON.stringify(rows));
      else for (const f of rows) console.log(`${f.name.padEnd(20)} ${f.revoked_at ? 'revoked' : 'active'}  ${f.topics.join(',')}  ${f.townships?.join(',') ?? 'county'}  last used ${f.last_used_at?.toISOString() ?? 'never'}`);
      return;
    }
    throw new UsageError('feed add <name> [--topic camera-status|hazard-alert …] [--township code] | feed revoke <name> | feed list');
  },

  async platform(args) {
    const [sub, ...rest] = args;
    const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' } } });
    if (sub !== 'poll') throw new UsageError('platform poll [--json]');
    const cfg = platformConfig();
    if (!cfg) throw new UsageError('platform poll needs VIDEO_PLATFORM_URL (and VIDEO_PLATFORM_MAPPING unless the default mapping fits; see docs/INGEST.md).');
    const r = await pollPlatform(cfg);
    if (values.json) console.log(JSON.stringify(r));
    else {
      console.log(`${r.pages} page(s), ${r.channels} channels, ${r.matched} matched to the register: ${r.written} status changes, ${r.unchanged} unchanged, ${r.stale} stale.`);
      if (r.unknown.count) console.log(`${r.unknown.count} channel id(s) not in the register, e.g. ${r.unknown.examples.join(', ')}`);
      if (r.unmapped.count) console.log(`${r.unmapped.count} channel(s) with a status the mapping does not name, e.g. ${r.unmapped.examples.map((e) => `${e.gbId}=${e.value}`).join(', ')}`);
      if (r.noId) console.log(`${r.noId} channel(s) without an id.`);
    }
  },

  async simulate(args) {
    const { values } = parseArgs({ args, strict: true, options: { rate: { type: 'string' }, minutes: { type: 'string' }, incident: { type: 'boolean' }, at: { type: 'string' }, category: { type: 'string' }, major: { type: 'boolean' }, json: { type: 'boolean' } } });
    if (values.incident) {
      const at = values.at?.split(',').map(Number);
      if (values.at && (at!.length !== 2 || !at!.every(Number.isFinite))) throw new UsageError('--at takes lon,lat in WGS-84 degrees, e.g. --at 110.42,32.99');
      const added = await withScope(SIMULATOR_ACTOR, { attempted: 'adding an incident' }, async (tx) => {
        const model = await loadModel(tx);
        if (!model) throw new UsageError('simulate --incident needs incidents to resample from (load the demo county or import incidents first).');
        const now = new Date();
        const tpl = model.all[Math.floor(Math.random() * model.all.length)]!;
        return addIncidents(tx, [{
          externalId: `sim-cli-${now.getTime()}`, occurredAt: now, categoryCode: values.category ?? tpl.category, source: '110', severity: values.major ? 'major' : 'ordinary',
          summary: tpl.summary, lon: at ? at[0]! : tpl.lon, lat: at ? at[1]! : tpl.lat, townshipCode: tpl.township, gridCode: tpl.grid,
        }]);
      });
      const a = added[0];
      if (!a) throw new UsageError('The incident was not added (an incident with the same id and time exists).');
      if (values.json) console.log(JSON.stringify({ id: a.id, occurredAt: a.occurred_at.toISOString(), category: a.category_code, township: a.township_name, lon: a.lon, lat: a.lat }));
      else console.log(`Incident ${a.id} (${a.category_name}, ${a.township_name ?? '—'}) at ${a.lon.toFixed(5)},${a.lat.toFixed(5)}, ${a.occurred_at.toISOString()}`);
      return;
    }
    const rate = values.rate === undefined ? 1 : Number(values.rate);
    if (!Number.isFinite(rate) || rate < 0.1 || rate > 1000) throw new UsageError('--rate is a multiple of the county\'s own event rate between 0.1 and 1000.');
    const minutes = values.minutes === undefined ? Infinity : Number(values.minutes);
    if (!(minutes > 0)) throw new UsageError('--minutes must be a positive number.');
    const until = Date.now() + minutes * 60_000;
    const print = (r: StepResult) => console.log(values.json ? JSON.stringify(r) : `${r.from.toISOString()} → ${r.to.toISOString()}: ${r.incidents} incidents, ${r.steps} handling steps, ${r.cameras} camera changes, ${r.alerts} alert changes, ${r.fixes} patrol fixes`);
    let stop = false;
    process.once('SIGINT', () => { stop = true; });
    while (!stop && Date.now() < until) {
      await runUntil(Date.now(), rate, print);
      await new Promise((r) => setTimeout(r, BUCKET_MS));
    }
  },

  async backup(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('backup takes the file to write: npm run cli -- backup pingan-2026-05-01.backup');
    const r = await backupDatabase(positionals[0]!, ACTOR);
    if (values.json) console.log(JSON.stringify(r));
    else {
      printTableRows(r.tables);
      console.log(`Backed up ${r.totalRows} rows of ${r.tables.length} tables (${r.database}, ${r.format}) to ${r.file}: ${(r.bytes / 1048576).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s.`);
    }
  },

  async restore(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('restore takes the backup file: npm run cli -- restore pingan-2026-05-01.backup');
    const r = await restoreDatabase(positionals[0]!, ACTOR);
    if (values.json) console.log(JSON.stringify(r));
    else {
      printTableRows(r.tables);
      console.log(`Restored ${r.totalRows} rows of ${r.tables.length} tables (${r.format}) into the ${r.database} database in ${(r.ms / 1000).toFixed(1)} s${r.migrationsApplied.length ? `; then applied ${r.migrationsApplied.join(', ')}` : ''}.`);
    }
  },

  async migrate(args) {
    parseArgs({ args, options: {}, strict: true });
    const result = await migrate();
    console.log(result.applied.length ? `Applied ${result.applied.join(', ')}.` : `Database schema is up to date (${result.alreadyApplied} migrations).`);
  },

  async seed(args) {
    const { values } = parseArgs({ args, options: { seed: { type: 'string' }, scale: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
    const scale = values.scale === undefined ? 1 : Number(values.scale);
    if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) throw new UsageError(`--scale must be a number above 0 and at most 1000, got "${values.scale}".`);
    await migrate();
    const summary = await seedDemoCounty({ seed: values.seed ?? '1', scale, onProgress: (s) => !values.json && console.error(`  ${s}`) });
    if (values.json) console.log(JSON.stringify(summary));
    else console.log(`Seeded the demo county (seed ${summary.seed}): ${summary.incidents} incidents, ${summary.trackPoints} track points.`);
  },

  async stats(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
    const stats = await read((tx) => countRows(tx));
    if (values.json) console.log(JSON.stringify(stats));
    else for (const [k, v] of Object.entries(stats)) console.log(`${k.padEnd(24)} ${v}`);
  },

  async import(args) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { crs: { type: 'string' }, mapping: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'max-errors': { type: 'string' }, encoding: { type: 'string' }, 'allow-outside': { type: 'boolean' } },
    });
    const [layer, file] = positionals;
    if (!layer || !file || positionals.length > 2) throw new UsageError('import takes a layer and a file.');
    if (layer !== 'osm' && !isLayerName(layer)) throw new UsageError(`Unknown layer "${layer}": use one of ${LAYER_NAMES.join(', ')} or osm.`);
    const maxErrors = values['max-errors'] === undefined ? undefined : Number(values['max-errors']);
    if (maxErrors !== undefined && (!Number.isInteger(maxErrors) || maxErrors < 0)) throw new UsageError(`--max-errors must be a whole number of at least 0, got "${values['max-errors']}".`);
    await migrate();
    let progressShown = false;
    const common = { file, crs: values.crs, mapping: values.mapping, dryRun: values['dry-run'], maxErrors, encoding: values.encoding, allowOutside: values['allow-outside'], onProgress: values.json ? undefined : (n: number) => { progressShown = true; process.stderr.write(`\r  ${n} rows read`); } };
    let report: ImportReport | OsmReport;
    try {
      report = await importAudited(ACTOR, layer, common);
    } finally {
      if (progressShown) process.stderr.write('\n'); // end the progress line, also before a refusal
    }
    if (values.json) console.log(JSON.stringify({ ...report, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
    else printImportReport(report);
    const aborted = 'aborted' in report ? report.aborted : report.warnings.some((w) => /--max-errors/.test(w));
    return report.accepted === 0 || aborted ? 1 : 0;
  },

  async hotspots(args) {
    const { values } = parseArgs({
      args, strict: true,
      options: {
        input: { type: 'string' }, cell: { type: 'string' }, distance: { type: 'string' }, k: { type: 'string' }, shape: { type: 'string', default: 'square' },
        from: { type: 'string' }, to: { type: 'string' }, category: { type: 'string', multiple: true }, mapping: { type: 'string' }, 'no-fdr': { type: 'boolean' }, json: { type: 'boolean' },
      },
    });
    const shape = values.shape as CellShape;
    if (!['square', 'hex', 'grid'].includes(shape)) throw new UsageError(`--shape must be square, hex or grid, got "${values.shape}".`);
    if (shape !== 'grid' && values.cell === undefined) throw new UsageError('--cell <metres> is needed for square and hex cells.');
    if ((values.distance === undefined) === (values.k === undefined)) throw new UsageError('Give either --distance <metres> (fixed distance band) or --k <n> (nearest neighbours).');
    // with a file, dates are read in its UTC offset (the mapping's utcOffsetHours), else China time
    const offset = values.mapping ? (readMappingFile(values.mapping).utcOffsetHours ?? 8) : 8;
    const date = (v: string | undefined, flag: string) => {
      if (v === undefined) return undefined;
      const t = parseTime(v, offset);
      if (!t.ok) throw new UsageError(`${flag}: ${t.reason}`);
      return t.value;
    };
    const result = await read((tx) => runHotspots(tx, {
      shape,
      cellM: Number(values.cell ?? 0),
      neighbours: values.k !== undefined ? { kind: 'knn', k: Number(values.k) } : { kind: 'distance', metres: Number(values.distance) },
      from: date(values.from, '--from'),
      to: date(values.to, '--to'),
      categories: values.category,
      input: values.input,
      mapping: values.mapping ? readMappingFile(values.mapping) : undefined,
      fdr: !values['no-fdr'],
    }));
    if (values.json) {
      console.log(JSON.stringify({ method: result.method, cells: result.cells.map((x) => ({ id: x.id, lon: x.lon, lat: x.lat, count: x.count, z: x.z, p: x.p, pFdr: x.pFdr, class: x.class, ...(x.code ? { code: x.code } : {}), ...(x.ratePer1000 !== null ? { ratePer1000: x.ratePer1000 } : {}) })) }));
    } else {
      const m = result.method;
      console.log(`${m.cells} cells, ${m.incidents} incidents (${m.source})${m.note ? ` — ${m.note}` : ''}`);
      const counts = new Map<string, number>();
      for (const x of result.cells) counts.set(x.class, (counts.get(x.class) ?? 0) + 1);
      for (const [k, v] of [...counts].sort()) console.log(`  ${k.padEnd(8)} ${v}`);
      for (const x of result.cells.filter((c) => c.class === 'hot-99').sort((a, b) => b.z! - a.z!).slice(0, 10)) console.log(`  hot-99 cell ${x.id} at ${x.lon}, ${x.lat}: ${x.count} incidents, z = ${x.z!.toFixed(2)}`);
    }
  },

  async emerging(args) {
    const { values } = parseArgs({
      args, strict: true,
      options: { cell: { type: 'string', default: '1000' }, distance: { type: 'string' }, k: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, slices: { type: 'string', default: '12' }, shape: { type: 'string', default: 'square' }, json: { type: 'boolean' } },
    });
    if (!values.from || !values.to) throw new UsageError('emerging needs --from and --to.');
    if ((values.distance === undefined) === (values.k === undefined)) throw new UsageError('Give either --distance <metres> or --k <n>.');
    const from = parseTime(values.from);
    const to = parseTime(values.to);
    if (!from.ok || !to.ok) throw new UsageError(`--from/--to: ${!from.ok ? from.reason : !to.ok ? to.reason : ''}`);
    const r = await read((tx) => runEmerging(tx, {
      shape: values.shape as CellShape, cellM: Number(values.cell), from: from.value, to: to.value, slices: Number(values.slices),
      neighbours: values.k !== undefined ? { kind: 'knn', k: Number(values.k) } : { kind: 'distance', metres: Number(values.distance) },
    }));
    if (values.json) console.log(JSON.stringify(r));
    else {
      console.log(String(r.method.cube));
      const tally = new Map<string, number>();
      for (const x of r.cells) tally.set(x.label, (tally.get(x.label) ?? 0) + 1);
      for (const [k, v] of [...tally].sort((a, b) => b[1] - a[1])) console.log(`  ${k}\t${v}`);
    }
  },

  async targets(args) {
    const { values } = parseArgs({ args, strict: true, options: { top: { type: 'string', default: '20' }, cell: { type: 'string', default: '500' }, weights: { type: 'string' }, json: { type: 'boolean' } } });
    const weights: Record<string, number> = {};
    for (const pair of values.weights?.split(',').filter(Boolean) ?? []) {
      const [k, v] = pair.split('=');
      if (!k || !(FACTORS as readonly string[]).includes(k) || !Number.isFinite(Number(v))) throw new UsageError(`--weights takes factor=number pairs, factors: ${FACTORS.join(', ')}; got "${pair}".`);
      weights[k] = Number(v);
    }
    const r = await read((tx) => rankTargets(tx, { top: Number(values.top), cellM: Number(values.cell), weights: WeightsSchema.parse(weights) }));
    if (values.json) console.log(JSON.stringify(r));
    else for (const t of r.targets) console.log(`${String(t.rank).padStart(3)}. ${t.lon}, ${t.lat}  score ${t.score}  ${t.reason}`);
  },

  async kde(args) {
    const { values } = parseArgs({ args, strict: true, options: { cell: { type: 'string', default: '500' }, bandwidth: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, category: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
    const from = values.from ? parseTime(values.from) : null;
    const to = values.to ? parseTime(values.to) : null;
    if ((from && !from.ok) || (to && !to.ok)) throw new UsageError(`--from/--to: ${from && !from.ok ? from.reason : to && !to.ok ? to.reason : ''}`);
    const r = await read((tx) => runKde(tx, {
      cellM: Number(values.cell), bandwidthM: values.bandwidth === undefined ? undefined : Number(values.bandwidth),
      from: from?.ok ? from.value : undefined, to: to?.ok ? to.value : undefined, categories: values.category,
    }));
    if (values.json) console.log(JSON.stringify({ method: r.method, cells: r.cells.map(({ polygon: _p, ...c }) => c) }));
    else console.log(`Kernel density: ${r.method.incidents} incidents, bandwidth ${r.method.bandwidthM ?? '—'} m (${r.method.bandwidthRule}), ${r.cells.length} of ${r.method.cells} cells above 0; class breaks ${r.method.breaks.join(', ')} ${r.method.units}.${r.method.note ? ` ${r.method.note}` : ''}`);
  },

  async evaluate(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: { 'as-of': { type: 'string' }, ring: { type: 'string', default: '500' }, comparisons: { type: 'string', default: '10' }, json: { type: 'boolean' } } });
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError('evaluate needs the id of a rectification target: npm run cli -- evaluate <id>.');
    const e = await write((tx) => evaluateAndStore(tx, id, { asOf: values['as-of'], ringM: Number(values.ring), comparisons: Number(values.comparisons) }));
    if (values.json) console.log(JSON.stringify({ ...e, geometry: undefined, comparison: { ...e.comparison, list: e.comparison.list.map(({ polygon: _p, ...c }) => c) } }));
    else console.log(e.verdict);
  },

  async coverage(args) {
    const sub = args[0] && !args[0].startsWith('-') ? args[0] : null;
    const rest = sub ? args.slice(1) : args;
    if (sub === 'recommend') {
      const { values } = parseArgs({ args: rest, strict: true, options: { budget: { type: 'string' }, type: { type: 'string', default: 'dome' }, within: { type: 'string' }, json: { type: 'boolean' } } });
      if (values.budget === undefined) throw new UsageError('coverage recommend needs --budget <number of cameras>.');
      const budget = Number(values.budget);
      if (!['dome', 'fixed', 'ptz'].includes(values.type!)) throw new UsageError(`--type must be dome, fixed or ptz, got "${values.type}".`);
      const r = await read((tx) => recommend(tx, { budget, type: values.type as 'dome', within: values.within }));
      if (values.json) console.log(JSON.stringify(r));
      else printRecommendation(r);
      return;
    }
    if (sub === 'audit') {
      const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' } } });
      const r = await read((tx) => runAudit(tx));
      if (values.json) console.log(JSON.stringify(r));
      else printAudit(r);
      return;
    }
    if (sub) throw new UsageError(`Unknown coverage subcommand "${sub}": use coverage, coverage recommend or coverage audit.`);
    const { values } = parseArgs({ args: rest, strict: true, options: { within: { type: 'string' }, 'no-hotspots': { type: 'boolean' }, json: { type: 'boolean' } } });
    const r = await read((tx) => computeCoverage(tx, { within: values.within, hotspots: !values['no-hotspots'] }));
    if (values.json) console.log(JSON.stringify({ ...r, hotspotCells: r.hotspotCells.map(({ geometry: _g, ...x }) => x) }));
    else printCoverage(r);
  },

  async 'peace-index'(args) {
    const { values } = parseArgs({ args, strict: true, options: { from: { type: 'string' }, to: { type: 'string' }, top: { type: 'string', default: '3' }, weights: { type: 'string' }, json: { type: 'boolean' } } });
    const weights: Record<string, number> = {};
    for (const pair of values.weights?.split(',').filter(Boolean) ?? []) {
      const [k, v] = pair.split('=');
      if (!k || v === undefined || v.trim() === '' || !Number.isFinite(Number(v))) throw new UsageError(`--weights takes indicator=number pairs, indicators: ${INDICATOR_IDS.join(', ')}; got "${pair}".`);
      weights[k] = Number(v);
    }
    const top = Number(values.top);
    if (!Number.isInteger(top)) throw new UsageError(`--top must be a whole number, got "${values.top}".`);
    const r = await read((tx) => peaceIndexIn(tx, { from: values.from, to: values.to, top, weights: values.weights ? weights : undefined }));
    if (values.json) console.log(JSON.stringify(r));
    else printPeaceIndex(r);
  },

  async backtest(args) {
    const { values } = parseArgs({
      args, strict: true,
      options: { input: { type: 'string' }, 'train-start': { type: 'string' }, 'train-end': { type: 'string' }, 'test-end': { type: 'string' }, cell: { type: 'string' }, 'study-area': { type: 'string', default: 'touch' }, scores: { type: 'string' }, mapping: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (!values.input || !values['train-end'] || !values['test-end'] || !values.cell) throw new UsageError('backtest needs --input, --train-end, --test-end and --cell.');
    if (values['study-area'] !== 'touch' && values['study-area'] !== 'centre') throw new UsageError(`--study-area must be touch or centre, got "${values['study-area']}".`);
    const mapping = values.mapping ? readMappingFile(values.mapping) : undefined;
    // dates are read in the data's UTC offset (the mapping's utcOffsetHours, else China time), as the file's times are
    const offset = mapping?.utcOffsetHours ?? 8;
    const date = (v: string, flag: string) => {
      const t = parseTime(v, offset);
      if (!t.ok) throw new UsageError(`${flag}: ${t.reason}`);
      return t.value;
    };
    const input = values.input;
    const result = await read((tx) => runBacktest(tx, {
      input, mapping, trainStart: values['train-start'] ? date(values['train-start'], '--train-start') : undefined,
      trainEnd: date(values['train-end']!, '--train-end'), testEnd: date(values['test-end']!, '--test-end'), cellM: Number(values.cell),
      studyArea: values['study-area'] as 'touch' | 'centre', scoresFile: values.scores,
    }));
    if (values.json) console.log(JSON.stringify(result));
    else {
      const m = result.method;
      console.log(`${m.cells} cells of ${m.cellM} m, ${m.trainIncidents} training (${m.trainStart} – ${m.trainEnd}) and ${m.testIncidents} test incidents (until ${m.testEnd})`);
      console.log(`study area: ${m.studyArea}`);
      console.log('method          PAI@1   PAI@5   PAI@10  hit@1   hit@5   hit@10  valid@5 chosen');
      for (const x of result.methods) console.log(`${x.name.padEnd(15)} ${[x.pai[1], x.pai[5], x.pai[10], x.hitRate[1], x.hitRate[5], x.hitRate[10], x.validationPai ?? '—'].map((v) => String(v).padEnd(7)).join(' ')} ${x.params ? JSON.stringify(x.params) : ''}`);
      if (result.best) console.log(`best: ${result.best.method}. ${result.best.reason}`);
    }
  },

  async 'derive-areas'(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
    const [code] = positionals;
    if (!code || !/^\d{12}$/.test(code)) throw new UsageError('derive-areas takes the 12-digit code of a county.');
    const rows = await write((tx) => many<{ code: string }>(sql('admin/derive-township-areas.sql'), [code], 'deriving provisional township areas', tx));
    console.log(`Derived provisional areas for ${rows.length} townships of ${code} (marked derived).`);
  },

  async export(args) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { format: { type: 'string', default: 'geojson' }, crs: { type: 'string', default: 'wgs84' }, out: { type: 'string' } },
    });
    const [layer] = positionals;
    if (!layer || !isLayerName(layer) || positionals.length > 1) throw new UsageError(`export takes one layer: ${LAYER_NAMES.join(', ')}.`);
    if (!['geojson', 'csv', 'xlsx'].includes(values.format)) throw new UsageError(`--format must be geojson, csv or xlsx, got "${values.format}".`);
    if (values.format === 'xlsx' && !values.out && process.stdout.isTTY) throw binaryToTerminal();
    let result: { rows: number; crs: string };
    try {
      result = await write((tx) => exportLayer(tx, { layer, format: values.format as ExportFormat, crs: values.crs, out: values.out }));
    } catch (err) {
      if (err instanceof OutputClosed) return 0; // the reader has what it wanted (`| head`)
      throw err;
    }
    if (values.out) console.error(`Exported ${result.rows} rows of ${layer} to ${values.out} (${result.crs}).`);
  },
};

function printImportReport(r: ImportReport | OsmReport): void {
  const verb = r.dryRun ? 'Dry run (nothing written)' : r.committed ? 'Imported' : 'Nothing imported';
  console.log(`${verb}: ${r.accepted} rows accepted, ${r.rejected} rejected.`);
  if ('crs' in r) console.log(`Format ${r.format}${r.encoding ? ` (${r.encoding})` : ''}, coordinates ${r.crs.source} (${r.crs.from}); ${r.inserted} new, ${r.updated} updated, ${r.repaired} geometries repaired.`);
  if ('mapping' in r) console.log(`Columns: ${Object.entries(r.mapping).filter(([, h]) => h).map(([f, h]) => `${f} ← ${h}`).join(', ')}`);
  for (const w of r.warnings) console.log(`warning: ${w}`);
  for (const e of r.errors.slice(0, 30)) console.log(`row ${e.row}, ${e.field}: ${e.reason}`);
  if (r.errors.length > 30) console.log(`… ${r.errors.length - 30} more rejected rows (use --json for all).`);
}

/** The ranked table of the 平安指数 with the 红黑榜, for a terminal (CJK characters are two columns wide). */
function printPeaceIndex(r: PeaceIndexResult): void {
  const m = r.method;
  const width = (s: string) => [...s].reduce((a, ch) => a + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
  const num = (v: number | null, d = 1) => (v === null ? '—' : v.toFixed(d));
  console.log(`${m.title} ${m.period.label}(上期 ${m.previousPeriod.label}),${m.townships} 个乡镇,本期案事件 ${m.incidents.current} 起`);
  const nameWidth = Math.max(6, ...r.townships.map((t) => width(t.name)));
  console.log(`${pad('排名', 6)}${pad('乡镇', nameWidth + 2)}${pad('指数', 8)}${pad('上期', 6)}${pad('变化', 6)}${pad('榜单', 6)}短板(得分最低的指标)`);
  for (const t of r.townships) {
    const change = t.rankChange === null ? '—' : t.rankChange > 0 ? `↑${t.rankChange}` : t.rankChange < 0 ? `↓${-t.rankChange}` : '=';
    const weakest = t.indicators.filter((i) => i.score !== null && i.score < 100 && i.weight > 0).sort((a, b) => a.score! - b.score!)[0];
    const weak = weakest ? `${weakest.name} ${num(weakest.value)}${weakest.unit}(${num(weakest.score, 0)} 分)` : '—';
    const list = t.list === 'red' ? '红榜' : t.list === 'black' ? '黑榜' : '';
    console.log(`${pad(String(t.rank), 6)}${pad(t.name, nameWidth + 2)}${pad(num(t.score), 8)}${pad(t.previousRank === null ? '—' : String(t.previousRank), 6)}${pad(change, 6)}${pad(list, 6)}${weak}`);
  }
  const names = (list: 'red' | 'black') => r.townships.filter((t) => t.list === list).map((t) => t.name).join('、') || '—';
  console.log(`红榜:${names('red')}`);
  console.log(`黑榜:${names('black')}`);
  for (const n of m.notes) console.log(`注:${n}`);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

function printCoverage(r: CoverageResult): void {
  const m = r.method;
  console.log(`视频监控覆盖(${m.area === 'the county' ? '全县' : '研究区'}):摄像机 ${r.cameras.total} 台(扇区 ${r.cameras.sector},圆形 ${r.cameras.circle},方向不明 ${r.cameras.unknown};有效 ${r.cameras.effective})`);
  console.log(`道路 ${r.roads.totalKm.toFixed(1)} km:名义覆盖 ${r.roads.coveredKm.toFixed(1)} km (${pct(r.roads.nominal)}),有效覆盖 ${r.roads.effectiveKm.toFixed(1)} km (${pct(r.roads.effective)}),离线损失 ${r.roads.lostKm.toFixed(1)} km`);
  for (const b of Object.values(r.roads.byClass)) console.log(`  ${b.name.padEnd(6, '　')} ${b.totalKm.toFixed(1).padStart(8)} km  名义 ${pct(b.nominal).padStart(6)}  有效 ${pct(b.effective).padStart(6)}`);
  console.log(`重点场所 ${r.placesAll.total} 处:名义 ${pct(r.placesAll.nominal)},有效 ${pct(r.placesAll.effective)}`);
  for (const p of Object.values(r.places)) console.log(`  ${p.name.padEnd(6, '　')} ${String(p.total).padStart(4)} 处  名义 ${pct(p.nominal).padStart(6)}  有效 ${pct(p.effective).padStart(6)}`);
  console.log(`网格 ${r.grids.total} 个:面积覆盖 名义 ${pct(r.grids.areaShareNominal)} / 有效 ${pct(r.grids.areaShareEffective)};道路覆盖 有效 ${pct(r.grids.roadShareEffective)};无有效覆盖的网格 ${r.grids.withoutCoverage} 个`);
  console.log(`隐患点 ${r.hazards.pointsAll.total} 处:名义 ${pct(r.hazards.pointsAll.nominal)},有效 ${pct(r.hazards.pointsAll.effective)}`);
  if (r.hotspots) console.log(`热点网格 ${r.hotspots.cells} 个:覆盖(≥${pct(RULES.hotspots.coveredIncidentShare)} 案事件在视野内)名义 ${r.hotspots.coveredNominal} / 有效 ${r.hotspots.coveredEffective};热点内案事件在视野内 名义 ${pct(r.hotspots.incidentShareNominal)} / 有效 ${pct(r.hotspots.incidentShareEffective)}`);
  console.log(KPI_NAMES.map((k) => `${KPI_LABELS[k]} ${pct(r.kpis[k])}`).join(',  '));
}

function printRecommendation(r: RecommendResult): void {
  console.log(`补点建议:${r.picks.length} 台${r.method.type === 'fixed' ? '枪机' : r.method.type === 'dome' ? '球机' : '云台'}(有效半径 ${r.method.effectiveRangeM} m),候选点 ${r.candidates.sites} 个(路口 ${r.candidates.intersections},场所出入口 ${r.candidates.entrances},手绘 ${r.candidates.drawn})`);
  for (const p of r.picks) console.log(`${String(p.rank).padStart(3)}  ${p.lon.toFixed(6)},${p.lat.toFixed(6)}  ${p.azimuthDeg === null ? '' : `朝向 ${p.azimuthDeg}°  `}增益 ${p.gain.toFixed(2)}  新增道路 ${p.newRoadM} m  场所 ${p.newPlaces}  隐患点 ${p.newHazards}  ${p.label ?? ''}`);
  console.log(`合计覆盖风险权重 ${r.total.weight.toFixed(1)}(缺口的 ${pct(r.total.share)});基线(案事件最多的路口)${r.baseline.weight.toFixed(1)}(${pct(r.baseline.share)});比值 ${r.ratioToBaseline === null ? '—' : r.ratioToBaseline.toFixed(2)}`);
  for (const n of r.notes) console.log(`注:${n}`);
}

function printTableRows(tables: TableRows[]): void {
  for (const t of tables) console.log(`${t.table.padEnd(28)} ${t.rows}`);
}

function printAudit(r: AuditResult): void {
  console.log(`档案核查:${r.cameras} 台摄像机,${r.camerasWithFindings} 台有问题,共 ${r.findings.length} 条`);
  for (const [code, n] of Object.entries(r.byCode)) if (n > 0) console.log(`  ${code.padEnd(20)} ${n}`);
  for (const f of r.findings.slice(0, 50)) console.log(`${f.severity === 'error' ? '✗' : '!'} ${f.gbId ?? f.externalId ?? f.cameraId}  ${f.title}:${f.detail}  → ${f.fix}`);
  if (r.findings.length > 50) console.log(`… 另有 ${r.findings.length - 50} 条(--json 输出全部)`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const asAt = rest.indexOf('--as');
  const asUser = asAt >= 0 ? rest[asAt + 1] : undefined;
  if (asAt >= 0) rest.splice(asAt, 2);
  const run = COMMANDS[command];
  if (!run) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  try {
    if (asAt >= 0) {
      if (!asUser) throw new UsageError('--as needs a user name.');
      ACTOR = await actorNamed(asUser);
      const cap = CLI_CAPABILITIES[command];
      if (!cap) throw new UsageError(`${command} runs only as the system (it changes the schema or replaces all data): drop --as.`);
      requireCapability(ACTOR, cap);
    }
    return (await run(rest)) ?? 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    // the same mapping as the routes: the user's mistakes exit 2, the server's 1
    const m = mapError(err);
    if (m.kind !== 'server') {
      console.error(m.detail);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof DbError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await closeDatabase().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
