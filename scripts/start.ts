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
import { gracefulShutdown } from '../server/shutdown';
import { simulatorWanted, startSimulator } from '../server/live/simulator';
import { platformConfig, startPlatformPoller } from '../server/live/platform';
import { liveHub } from '../server/live/outbox';
import { logger } from '../server/log';
import { REQUEST_ID_HEADER, requestIdOf } from '../server/request-id';

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
  logger.info('database.ready', { message: `Database ready (${db.kind}) in ${((performance.now() - t0) / 1000).toFixed(1)} s.`, database: db.kind });
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
    // the request id (server/request-id.ts) for the log lines of this request, also for the
    // routes the proxy does not see (uploads); proxy.ts keeps it since it is a safe token
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = requestIdOf(typeof given === 'string' ? given : undefined);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const t = performance.now();
    const url = req.url ?? '/';
    if (!url.startsWith('/_next/') && !url.startsWith('/vendor/')) {
      res.once('close', () => {
        const status = res.writableFinished ? res.statusCode : 499;
        const path = url.split('?')[0];
        logger[status >= 500 ? 'warn' : 'info']('http.request', { requestId, message: `${req.method} ${path} ${status}`, method: req.method, path, status, ms: Math.round(performance.now() - t) });
      });
    }
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`Port ${env.PORT} is already in use: stop the other server or set PORT to a free port.`) : err),
    );
    server.listen(env.PORT, resolve);
  });
  logger.info('server.start', { message: `平安一张图 is serving on http://localhost:${env.PORT} (${dev ? 'development' : 'production'}, ${db.kind} database).`, port: env.PORT, mode: dev ? 'development' : 'production', database: db.kind });

  // the living demo (server/live/simulator.ts): on the demo database unless SIMULATOR=off
  let stopSimulator: (() => void) | null = null;
  if (await simulatorWanted()) {
    stopSimulator = startSimulator();
    logger.info('simulator.start', { message: 'The demo simulator is running (SIMULATOR=off turns it off).' });
  }

  // camera status from the video aggregation platform (server/live/platform.ts), when VIDEO_PLATFORM_URL is set
  const platform = platformConfig();
  const pollMs = Number(process.env.VIDEO_PLATFORM_POLL_MS ?? 60_000);
  if (platform && !(pollMs >= 5_000)) throw new ConfigError(`VIDEO_PLATFORM_POLL_MS must be at least 5000 (got ${process.env.VIDEO_PLATFORM_POLL_MS}).`);
  const poller = platform ? startPlatformPoller(platform, pollMs) : null;
  if (platform) logger.info('platform.start', { message: `Polling the video platform every ${pollMs / 1000} s: ${platform.url}` });

  // SIGTERM/SIGINT: stop accepting, let requests in flight finish (20 s at most), then close
  // the pool and the embedded server (server/shutdown.ts). A second signal exits at once;
  // the embedded lock is still removed by the exit handler of server/db/embedded.ts.
  const shutdown = gracefulShutdown(server, { closeDatabase });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('shutdown.forced', { message: `${signal} again: exiting without waiting`, signal });
      process.exit(1);
    }
    stopping = true;
    stopSimulator?.();
    await poller?.stop();
    liveHub().close(); // open wall streams end, so they do not hold the shutdown up
    const report = await shutdown(signal);
    process.exit(report.cut > 0 || !report.databaseClosed ? 1 : 0);
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
