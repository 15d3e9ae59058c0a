// The planner's analysis parameters as they travel in a URL (the page's query string, the
// export and report links): one zod schema, so the page, the files and the printed report
// always describe the same analysis.
import { z } from 'zod';

const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const PlannerParamsSchema = z
  .object({
    cell: z.coerce.number().min(100, 'at least 100 m').max(20_000, 'at most 20,000 m').default(500),
    distance: z.coerce.number().positive('a positive number of metres').max(100_000).default(1200),
    from: DateText.optional(),
    to: DateText.optional(),
    category: z.string().max(60).optional(),
    bandwidth: z.coerce.number().positive().max(50_000).optional(),
    slices: z.coerce.number().int().min(4).max(120).default(12),
    top: z.coerce.number().int().min(1).max(200).default(20),
  })
  .refine((p) => !p.from || !p.to || p.from < p.to, { message: 'the time window is empty: from must be before to', path: ['from'] });

export type PlannerParams = z.infer<typeof PlannerParamsSchema>;

/** Parses a query string's parameters; empty values count as missing. */
export function parsePlannerParams(search: URLSearchParams): PlannerParams {
  const raw = Object.fromEntries([...search].filter(([, v]) => v !== ''));
  return PlannerParamsSchema.parse(raw);
}

export { chinaDay } from '../../../lib/china-time';
