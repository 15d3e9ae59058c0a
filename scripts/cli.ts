// The command line: `npm run cli -- <command> [options]`. Each command connects the same
// way the app does (DATABASE_URL, else the embedded database, through the running app's
// server when there is one), prints its result, and exits non-zero with one clear
// sentence on failure.
import { parseArgs } from 'node:util';
import { ConfigError } from '../server/env';
import { closeDatabase, DbError } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { countRows } from '../server/services/stats/counts';
import { seedDemoCounty } from './demo-county/index';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                          apply pending schema migrations (idempotent)
  seed [--seed S] [--scale N]      replace all data with the demo county (示例数据);
                                   --scale multiplies the 50,000 incidents
  stats [--json]                   row counts of the domain tables
`;

class UsageError extends Error {}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
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
    const stats = await countRows();
    if (values.json) console.log(JSON.stringify(stats));
    else for (const [k, v] of Object.entries(stats)) console.log(`${k.padEnd(24)} ${v}`);
  },
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const run = COMMANDS[command];
  if (!run) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n\n${USAGE}`);
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
