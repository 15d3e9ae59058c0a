// The audit page's URL parameter (the right-hand tab) and the 补点 form's number, each with
// its one schema (lib/url-params.ts).
import { oneOf, wholeNumber, type ParamSpec } from '@/lib/url-params';

export type AuditTab = 'kpi' | 'findings' | 'recommend';
export const AUDIT_TABS: [AuditTab, string][] = [['kpi', '考核指标'], ['findings', '档案核查'], ['recommend', '补点建议']];

export const AUDIT_PARAMS = {
  tab: { schema: oneOf(['kpi', 'findings', 'recommend'], AUDIT_TABS.map(([t, l]) => `${t} ${l}`)), fallback: 'kpi', label: '考核指标' } satisfies ParamSpec<AuditTab>,
};

/** 新增摄像机数量 of 补点 (the server's bound is the same: 1–1000). */
export const BUDGET: ParamSpec<number> = { schema: wholeNumber(1, 1000, '新增摄像机数量', '台'), fallback: 20, label: '20 台' };

/** The audit report's paper. */
export const AUDIT_REPORT_PARAMS = {
  paper: { schema: oneOf(['A4', 'A3']), fallback: 'A4', label: 'A4' } satisfies ParamSpec<'A4' | 'A3'>,
};
