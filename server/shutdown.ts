// Graceful shutdown of the HTTP server (SIGTERM from systemd or a container runtime,
// SIGINT from a terminal). In this order:
//   1. stop accepting: the listening socket is closed, so a new connection is refused;
//      idle keep-alive connections are closed, and a response still to come says
//      `Connection: close`;
//   2. let the requests in flight finish, for at most `graceMs` (default 20 s); what is
//      still running then is cut (its transaction is rolled back by the database);
//   3. close the database: the pool waits for the clients still checked out (a background
//      import's transaction commits or rolls back, it is not cut), and the embedded server
//      stops and removes its lock file (server/db/embedded.ts), bounded by the same deadline.
// The database is closed only after the HTTP side is done, so a request in flight never
// finds its pool gone.
import type http from 'node:http';
import type net from 'node:net';
import { logger } from './log';

export const DEFAULT_GRACE_MS = 20_000;

export interface ShutdownOptions {
  /** Closes the pool and the embedded server (server/db/index.ts closeDatabase). */
  closeDatabase: () => Promise<void>;
  /** How long requests in flight may take to finish before they are cut. */
  graceMs?: number;
}

export interface ShutdownReport {
  signal: string;
  /** Requests running when the shutdown began. */
  inFlightAtStart: number;
  /** Requests still running at the deadline, whose connections were cut. */
  cut: number;
  /** False when closing the database did not finish before the deadline (or failed). */
  databaseClosed: boolean;
  ms: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Watches `server`'s requests from now on and returns the function that shuts it down.
 * Calling that function again returns the same shutdown.
 */
export function gracefulShutdown(server: http.Server, opts: ShutdownOptions): (signal: string) => Promise<ShutdownReport> {
  const graceMs = opts.graceMs ?? DEFAULT_GRACE_MS;
  const inFlight = new Set<http.ServerResponse>();
  const sockets = new Set<net.Socket>();
  let closing = false;

  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });

  let pending: Promise<ShutdownReport> | null = null;
  return (signal: string) => {
    pending ??= (async () => {
      const t0 = performance.now();
      const deadline = Date.now() + graceMs;
      closing = true;
      const inFlightAtStart = inFlight.size;
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // said once the listening socket is closed (its handle closes on the next turn of the loop)
      await new Promise<void>((r) => setImmediate(r));
      logger.info('shutdown.begin', { message: `${signal}: stopping; ${inFlightAtStart} request(s) in flight may take up to ${graceMs / 1000} s to finish`, signal, inFlight: inFlightAtStart, graceMs });

      // wait for the requests in flight (and their connections) or the deadline
      let cut = 0;
      const finished = await Promise.race([closed.then(() => true), sleep(Math.max(0, deadline - Date.now())).then(() => false)]);
      if (!finished) {
        cut = inFlight.size;
        logger.warn('shutdown.cut', { message: `${cut} request(s) did not finish within ${graceMs / 1000} s: cutting their connections`, cut });
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        await closed;
      }

      // then the database: the pool waits for transactions still running, up to the deadline
      let databaseClosed = false;
      const remaining = Math.max(1_000, deadline - Date.now());
      try {
        databaseClosed = await Promise.race([opts.closeDatabase().then(() => true), sleep(remaining).then(() => false)]);
        if (!databaseClosed) logger.warn('shutdown.database-timeout', { message: `the database did not close within ${remaining / 1000} s: exiting anyway (open transactions are rolled back by the server)` });
      } catch (err) {
        logger.error('shutdown.database-error', { message: 'closing the database failed', err });
      }
      const ms = Math.round(performance.now() - t0);
      logger.info('shutdown.done', { message: `stopped in ${(ms / 1000).toFixed(1)} s`, signal, inFlight: inFlightAtStart, cut, databaseClosed, ms });
      return { signal, inFlightAtStart, cut, databaseClosed, ms };
    })();
    return pending;
  };
}
