// The data of the risk layers. map.hazards answers points, zones and high-rises in one query
// (static per data set): the hazard, fire-zone and high-rise modules read the same cached
// answer, so switching on a second of them asks nothing new.
import { useQuery } from '@tanstack/react-query';
import type { LayerEnv } from '../types';
import { useTRPC } from '../../trpc';

export type { HazardPoint, HazardZone, HighRise, Place } from '@/server/services/map/layers';

/** The static layers change only on an import: re-read them at most every ten minutes. */
export const STATIC_STALE_MS = 10 * 60_000;

export function useHazardQuery(env: LayerEnv) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.map.hazards.queryOptions(), enabled: env.active, staleTime: STATIC_STALE_MS });
}

export function usePlaceQuery(env: LayerEnv) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.map.places.queryOptions(), enabled: env.active, staleTime: STATIC_STALE_MS });
}
