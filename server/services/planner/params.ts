// The planner's analysis parameters as they travel in a URL (the page's query string, the
// export and report links): one zod schema, so the page, the files and the printed report
// always describe the same analysis.
import { z } from 'zod';
import { LIMITS } from '../../../lib/limits';

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const PlannerParamsSchema = z
  .object({
    cell: z.coerce.number().min(LIMITS.cellM.min, `at least ${LIMITS.cellM.min} m`).max(LIMITS.cellM.max, `at most ${LIMITS.cellM.max} m`).default(500),
    distance: z.coerce.number().min(LIMITS.distanceM.min, `at least ${LIMITS.distanceM.min} m`).max(LIMITS.distanceM.max, `at most ${LIMITS.distanceM.max} m`).default(1200),
    from: DateText.optional(),
    to: DateText.optional(),
    category: z.string().max(60).optional(),
    bandwidth: z.coerce.number().min(LIMITS.bandwidthM.min).max(LIMITS.bandwidthM.max).optional(),
    slices: z.coerce.number().int().min(LIMITS.slices.min).max(LIMITS.slices.max).default(12),
    top: z.coerce.number().int().min(1).max(200).default(20),
  })
  .refine((p) => !p.from || !p.to || p.from < p.to, { message: 'the time window is empty: from must be before to', path: ['from'], params: { zh: '时间范围为空:开始日期必须早于结束日期。' } });

export type PlannerParams = z.infer<typeof PlannerParamsSchema>;

/** Parses a query string's parameters; empty values count as missing. */
export function parsePlannerParams(search: URLSearchParams): PlannerParams {
  const raw = Object.fromEntries([...search].filter(([, v]) => v !== ''));
  return PlannerParamsSchema.parse(raw);
}

export { chinaDay } from '../../../lib/china-time';
