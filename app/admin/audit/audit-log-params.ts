// The audit log page's URL parameters: the filters it opens with (?from=2026-05-01&to=…
// &actor=…&action=export.&limit=2000), each read through its schema (lib/url-params.ts).
import { calendarDay, oneOf, plainText, type ParamSpec } from '@/lib/url-params';

export const LIMITS = [200, 500, 2000, 10_000] as const;
export type Limit = (typeof LIMITS)[number];

export const AUDIT_LOG_PARAMS = {
  from: { schema: calendarDay, fallback: '', label: '不限开始日期' } satisfies ParamSpec<string>,
  to: { schema: calendarDay, fallback: '', label: '不限结束日期' } satisfies ParamSpec<string>,
  actor: { schema: plainText(100, '操作者'), fallback: '', label: '全部操作者' } satisfies ParamSpec<string>,
  action: { schema: plainText(100, '操作前缀'), fallback: '', label: '全部操作' } satisfies ParamSpec<string>,
  limit: {
    schema: oneOf(['200', '500', '2000', '10000']).transform((n) => Number(n) as Limit),
    fallback: 500,
    label: '最近 500 条',
  } satisfies ParamSpec<Limit>,
};
