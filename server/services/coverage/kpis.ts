// Register KPIs of 雪亮工程: 在线率 (online), 完好率 (working: not faulty), 联网率
// (networked), 智能化占比 (smart) and 建档率 (register complete: no required field
// missing, by the same rule as the audit's incomplete-record finding), overall, per
// township and per owner, with the targets of geodata/coverage.json.
import type pg from 'pg';
import { many, sql } from '../../db/index';
import { RULES } from './rules';

export type KpiName = 'online' | 'working' | 'networked' | 'smart' | 'registerComplete';
export const KPI_NAMES: KpiName[] = ['online', 'working', 'networked', 'smart', 'registerComplete'];
export const KPI_LABELS: Record<KpiName, string> = { online: '在线率', working: '完好率', networked: '联网率', smart: '智能化占比', registerComplete: '建档率' };

export interface KpiSet extends Record<KpiName, number | null> { cameras: number }
export interface KpiTables {
  method: string;
  targets: Record<KpiName, { target: number; basis: string }>;
  all: KpiSet;
  empty: KpiSet;
  byTownship: { code: string | null; kpis: KpiSet }[];
  byOwner: { owner: string; kpis: KpiSet }[];
}

const METHOD =
  '在线率 = status online / all cameras; 完好率 = status online or offline (not faulty, not unknown) / all; 联网率 = networked / all; 智能化占比 = smart / all; 建档率 = records with every required field (GB/T 28181 id, name, mount height, azimuth for fixed cameras, FOV, range, owner, installation date, township) / all. Townships as the register records them; cameras without one are listed as (未填写).';

/** `area`: EWKT of a study area, or null for the whole register. */
export async function computeKpis(c: pg.PoolClient, area: string | null): Promise<KpiTables> {
  const missing = sql('coverage/audit-missing-fields.sql').trim().replace(/;$/, '');
  const rows = await many<{ level: string; townshipCode: string | null; owner: string | null; total: number; online: number; working: number; networked: number; smart: number; complete: number }>(
    `WITH missing AS (${missing}),\n${sql('coverage/kpis.sql')}`, [area], 'computing the register KPIs', c,
  );
  const set = (r?: (typeof rows)[number]): KpiSet => {
    const n = r?.total ?? 0;
    const f = (k: number | undefined) => (n > 0 ? (k ?? 0) / n : null);
    return { cameras: n, online: f(r?.online), working: f(r?.working), networked: f(r?.networked), smart: f(r?.smart), registerComplete: f(r?.complete) };
  };
  return {
    method: METHOD,
    targets: { online: RULES.kpiTargets.online, working: RULES.kpiTargets.working, networked: RULES.kpiTargets.networked, smart: RULES.kpiTargets.smart, registerComplete: RULES.kpiTargets.registerComplete },
    all: set(rows.find((r) => r.level === 'all')),
    empty: set(),
    byTownship: rows.filter((r) => r.level === 'township').map((r) => ({ code: r.townshipCode, kpis: set(r) })),
    byOwner: rows.filter((r) => r.level === 'owner').map((r) => ({ owner: r.owner!, kpis: set(r) })).sort((a, b) => b.kpis.cameras - a.kpis.cameras),
  };
}
