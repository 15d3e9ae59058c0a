'use client';
// The typed tRPC client for React components.
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '@/server/root';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();
