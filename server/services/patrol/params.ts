// The patrol page's parameters as they travel in a URL (the page, the exports, the printed
// report): one zod schema, so the files and the report describe what the page showed.
// Missing dates: the 7 days up to the newest GPS fix.
import { z } from 'zod';
import type { Tx } from '../../db/scope';
import { UserError } from '../../errors';
import { lastFixDay } from './teams';
import type { AreaSource, Period } from './dosage';

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

export const PatrolParamsSchema = z.object({
  from: DateText.optional(),
  to: DateText.optional(),
  areas: z.enum(['hotspots', 'targets']).default('hotspots'),
  cell: z.coerce.number().min(100).max(2000).default(500),
  radius: z.coerce.number().min(0).max(2000).optional(),
  unit: z.enum(['grid', 'township', 'auto']).default('auto'),
  team: z.coerce.number().int().positive().optional(),
  start: HHMM.optional(),
  end: HHMM.optional(),
  mode: z.enum(['walk', 'drive']).default('drive'),
});
export type PatrolParams = z.infer<typeof PatrolParamsSchema>;

export function parsePatrolParams(search: URLSearchParams): PatrolParams {
  return PatrolParamsSchema.parse(Object.fromEntries([...search].filter(([, v]) => v !== '')));
}

const dayBefore = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** The period of the parameters, defaulting to the 7 days up to the newest fix. */
export async function periodOf(tx: Tx, p: Pick<PatrolParams, 'from' | 'to'>): Promise<Period> {
  const to = p.to ?? (await lastFixDay(tx));
  if (!to) throw new UserError('No GPS fixes: import patrol tracks first.', '没有巡逻轨迹数据:请先导入巡逻轨迹。');
  return { from: p.from ?? dayBefore(to, 7), to };
}

export function areasOf(p: PatrolParams): AreaSource {
  return p.areas === 'targets' ? { kind: 'targets' } : { kind: 'hotspots', cellM: p.cell, distanceM: 1200 };
}
