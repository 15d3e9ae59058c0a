'use client';
// Query cache and tRPC client for the whole app. A request refused for want of a session
// sends the browser to the sign-in page, and one refused until the initial password is
// changed to the password page, each coming back to where the user was; neither is retried.
import { useState, type ReactNode } from 'react';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '@/server/root';
import { TRPCProvider } from './trpc';

/** The message the server gives every procedure but auth.* while the initial password stands. */
export const MUST_CHANGE_PASSWORD = '请先修改初始密码。';

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const data = (error as { data?: unknown }).data;
  if (!data || typeof data !== 'object') return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function isAccessError(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'UNAUTHORIZED' || code === 'FORBIDDEN';
}

let redirecting = false;

/** Leaves for the sign-in or password page when the error calls for it (once). */
function redirectOnAccessError(error: unknown): void {
  if (redirecting || typeof window === 'undefined') return;
  const code = errorCode(error);
  const { pathname, search } = window.location;
  // the wall has no person to sign in: it shows its own notice (app/screen/screen-wall.tsx)
  if (pathname.startsWith('/screen')) return;
  const next = encodeURIComponent(pathname + search);
  let target: string | null = null;
  if (code === 'UNAUTHORIZED' && pathname !== '/login') target = `/login?next=${next}`;
  else if (code === 'FORBIDDEN' && error instanceof Error && error.message === MUST_CHANGE_PASSWORD && pathname !== '/account/password') {
    target = `/account/password?next=${next}`;
  }
  if (target) {
    redirecting = true;
    window.location.replace(target);
  }
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: redirectOnAccessError }),
        mutationCache: new MutationCache({ onError: redirectOnAccessError }),
        defaultOptions: {
          queries: {
            staleTime: 5 * 60_000,
            retry: (failureCount, error) => !isAccessError(error) && failureCount < 2,
            refetchOnWindowFocus: false,
          },
          mutations: { retry: false },
        },
      }),
  );
  // subscriptions (the wall's live events) over server-sent events, the rest batched
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [splitLink({ condition: (op) => op.type === 'subscription', true: httpSubscriptionLink({ url: '/api/trpc' }), false: httpBatchLink({ url: '/api/trpc' }) })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
