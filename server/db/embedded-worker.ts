// The embedded database's own thread. PGlite runs PostgreSQL as WebAssembly, and a
// statement runs synchronously until it ends: on the app's main thread one long analysis
// would stop every other request, /api/health included, for as long as it runs. Here it
// only occupies this thread; the main thread keeps answering and talks to the database
// over the socket like any other client.
//
// Protocol with the parent (server/db/embedded.ts): it sends nothing to start; this
// thread posts {type:'ready', host, port} or {type:'failed', message}; the parent posts
// 'stop', this thread stops the socket server, closes PGlite and posts {type:'stopped'}.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { withSyncedErrors } from './embedded-protocol';

interface Start {
  dataDir: string;
  maxConnections: number;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { dataDir, maxConnections } = workerData as Start;
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir, extensions: { postgis } });
    await db.query('select 1');
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  const server = new PGLiteSocketServer({ db: withSyncedErrors(db), host: '127.0.0.1', port: 0, maxConnections });
  await server.start();
  const [host, portText] = server.getServerConn().split(':');
  port.postMessage({ type: 'ready', host, port: Number(portText) });
  port.on('message', (msg) => {
    if (msg !== 'stop') return;
    void (async () => {
      await server.stop().catch(() => {});
      await db.close().catch(() => {});
      port.postMessage({ type: 'stopped' });
      port.close();
    })();
  });
}

void main();
