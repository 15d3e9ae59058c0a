// The HTTP adapter for tRPC: a thin shell around the app router.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/root';
import { createContext } from '@/server/trpc';
import { logger } from '@/server/log';
import { requestIdFrom } from '@/server/request-id';

export const dynamic = 'force-dynamic';

function handler(req: Request): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    // Server-side failures go to the log; bad input is the client's to show. Procedures'
    // failures are logged by server/trpc.ts mapErrors; what fails before them (the context:
    // an unreachable database) is logged here.
    onError: ({ path, error, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR' && !ctx) {
        logger.error('trpc.error', { requestId: requestIdFrom(req.headers), message: `tRPC ${path ?? '?'} failed before the procedure ran: ${error.cause?.message ?? error.message}`, path, err: error.cause ?? error });
      }
    },
  });
}

export { handler as GET, handler as POST };
