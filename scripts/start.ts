// `npm start`: one process that serves the app. It opens the database (a real PostGIS
// from DATABASE_URL, else the embedded one), applies migrations, loads the demo county
// on first start, builds the app when the build is missing or older than the sources,
// and serves it on PORT. Bad configuration stops it with one sentence, not a stack trace.
import http from 'node:http';
import next from 'next';
import { ConfigError, readEnv } from '../server/env';
import { closeDatabase, DbError, getDatabase, one } from '../server/db/index';
import { withScope } from '../server/db/scope';
import { systemActor } from '../server/context';
import { refreshCountyViews } from '../server/services/coverage/figures';
import { migrate } from '../server/db/migrate';
import { seedDemoCounty } from './demo-county/index';
import { buildIfStale } from './build-app';

const dev = process.argv.includes('--dev');
const ROOT = process.cwd();

async function main(): Promise<void> {
  const env = readEnv();
  const t0 = performance.now();
  const db = await getDatabase();
  await migrate();
  const startup = systemActor('start');
  const { n } = await withScope(startup, { attempted: 'checking whether the database holds a county', readOnly: true }, (tx) => one<{ n: number }>('SELECT count(*)::int AS n FROM admin_areas', [], 'checking whether the database holds a county', tx));
  if (n === 0) {
    console.log('Empty database: loading the demo county (示例数据)…');
    const summary = await seedDemoCounty({ onProgress: (s) => console.log(`  ${s}`) });
    console.log(`Demo county loaded: ${summary.incidents} incidents.`);
  } else {
    // the camera-view cache is kept current by writes; this job catches new view rules
    const built = await withScope(startup, { attempted: 'refreshing the camera views', timeoutMs: 0 }, (tx) => refreshCountyViews(tx));
    if (built) console.log(`Rebuilt ${built} camera views (new view rules or cameras changed outside the app).`);
  }
  const { users } = await withScope(startup, { attempted: 'counting accounts', readOnly: true }, (tx) => one<{ users: number }>('SELECT count(*)::int AS users FROM app_users WHERE NOT disabled', [], 'counting accounts', tx));
  if (users === 0) console.log('No account can sign in yet: add the first administrator with `npm run cli -- user add <name> --role admin`.');
  console.log(`Database ready (${db.kind}) in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  if (!dev) buildIfStale(ROOT);

  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const app = next({ dev, dir: ROOT, hostname: '0.0.0.0', port: env.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    // Next keeps a client's own X-Forwarded-* headers; unless a reverse proxy we trust sets
    // them (TRUSTED_PROXY), the address the audit log and the sign-in limit see is the socket's
    if (!env.TRUSTED_PROXY) {
      req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? 'unknown';
      for (const h of ['x-real-ip', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port']) delete req.headers[h];
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`Port ${env.PORT} is already in use: stop the other server or set PORT to a free port.`) : err),
    );
    server.listen(env.PORT, resolve);
  });
  console.log(`平安一张图 is serving on http://localhost:${env.PORT} (${dev ? 'development' : 'production'}, ${db.kind} database).`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    server.close();
    server.closeAllConnections();
    await closeDatabase().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(async (err) => {
  await closeDatabase().catch(() => {});
  if (err instanceof ConfigError || err instanceof DbError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
