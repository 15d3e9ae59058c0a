// Row counts of the domain tables: the `stats` procedure and `cli stats`.
import { z } from 'zod';
import { one, sql } from '../../db/index';
import type { Tx } from '../../db/scope';

export const StatsSchema = z.object({
  counties: z.number(),
  townships: z.number(),
  villages: z.number(),
  grids: z.number(),
  gridWorkers: z.number(),
  roads: z.number(),
  roadKm: z.number(),
  places: z.number(),
  cameras: z.number(),
  hazards: z.number(),
  geologicalHazards: z.number(),
  fireKeyUnits: z.number(),
  forestFireZones: z.number(),
  highRises: z.number(),
  patrolTeams: z.number(),
  patrolRoutes: z.number(),
  trackPoints: z.number(),
  incidents: z.number(),
  incidentStatusChanges: z.number(),
  rectificationTargets: z.number(),
});

export type Stats = z.infer<typeof StatsSchema>;

export async function countRows(tx: Tx): Promise<Stats> {
  const row = await one(sql('stats/counts.sql'), [], 'counting the rows of the domain tables', tx);
  return StatsSchema.parse(row);
}
