// Patrol analytics as tables for export and the printed report: dosage per hotspot, Koper
// compliance per team, 见警率 per unit and the missed incident peaks, route coverage, the
// suggested route's stops and the cleaning report per track. Each is computed by the same
// service the page calls, from the same parameters.
import type { Tx } from '../../db/scope';
import type { ResultTable } from '../../export/tables';
import { UserError } from '../../errors';
import { patrolDosage } from './dosage';
import { patrolVisibility } from './visibility';
import { routeCoverage } from './coverage';
import { suggestRoute } from './suggest';
import { patrolTeams } from './teams';
import { areasOf, periodOf, type PatrolParams } from './params';
import { DROP_RULE_LABELS, DROP_RULES } from './rules';

export const PATROL_TABLES = ['dosage', 'teams', 'visibility', 'peaks', 'coverage', 'suggest', 'cleaning'] as const;
export type PatrolTable = (typeof PATROL_TABLES)[number];
export const PATROL_TABLE_TITLES: Record<PatrolTable, string> = {
  dosage: '热点巡防投放量', teams: '巡逻队Koper合规', visibility: '见警率', peaks: '案发高峰见警情况', coverage: '巡逻路线覆盖', suggest: '建议巡逻路线', cleaning: '轨迹清洗报告',
};

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

export async function buildPatrolTable(tx: Tx, kind: PatrolTable, p: PatrolParams): Promise<ResultTable> {
  const period = await periodOf(tx, p);
  const name = `${PATROL_TABLE_TITLES[kind]} ${period.from}至${period.to}`;
  switch (kind) {
    case 'dosage':
    case 'teams': {
      const d = await patrolDosage(tx, { period, areas: areasOf(p), radiusM: p.radius });
      if (kind === 'teams') {
        return {
          name, method: d.method as unknown as Record<string, unknown>,
          columns: [{ key: 'team', title: '巡逻队' }, { key: 'visits', title: '到访次数' }, { key: 'koperVisits', title: '10–15分钟' }, { key: 'shortVisits', title: '偏短' }, { key: 'longVisits', title: '偏长' }, { key: 'driveThroughs', title: '路过(不足1分钟)' }, { key: 'minutes', title: '停留分钟' }, { key: 'koperPct', title: 'Koper合规率%' }],
          rows: d.teams.map((t) => ({ ...t, koperPct: pct(t.koperShare) })),
        };
      }
      return {
        name, method: d.method as unknown as Record<string, unknown>,
        columns: [
          { key: 'label', title: '区域' }, { key: 'lon', title: '经度' }, { key: 'lat', title: '纬度' }, { key: 'incidents', title: '案事件(近一年)' }, { key: 'hot', title: '案发集中时段' },
          { key: 'presenceMinutes', title: '巡逻停留分钟' }, { key: 'visits', title: '到访次数' }, { key: 'driveThroughs', title: '路过次数' }, { key: 'meanVisitMinutes', title: '平均停留分钟' },
          { key: 'medianGapMinutes', title: '到访间隔中位数(分钟)' }, { key: 'koperPct', title: 'Koper合规率%' }, { key: 'hotSlotPct', title: '热时段2小时复巡率%' },
          ...d.method.bands.split(', ').map((b, i) => ({ key: `band${i}`, title: `${b.split(' ')[0]}分钟` })),
        ],
        rows: d.areas.map((a) => ({
          ...a, hot: a.hotHours.map((h) => `${h}时`).join('、'), koperPct: pct(a.koperShare), hotSlotPct: pct(a.hotSlotShare),
          ...Object.fromEntries(a.bands.map((b, i) => [`band${i}`, b.presenceMinutes])),
        })),
      };
    }
    case 'visibility':
    case 'peaks': {
      const v = await patrolVisibility(tx, { period, unit: p.unit });
      if (kind === 'peaks') {
        return {
          name, method: v.method as unknown as Record<string, unknown>,
          columns: [{ key: 'unit', title: v.method.unit === 'grid' ? '网格' : '乡镇' }, { key: 'hour', title: '时段(时)' }, { key: 'incidents', title: '案事件' }, { key: 'presencePct', title: '有巡逻的天数占比%' }, { key: 'missText', title: '见警不足' }],
          rows: v.peaks.map((x) => ({ ...x, presencePct: pct(x.presenceShare), missText: x.miss ? '是' : '' })),
        };
      }
      return {
        name, method: v.method as unknown as Record<string, unknown>,
        columns: [{ key: 'code', title: '编码' }, { key: 'name', title: v.method.unit === 'grid' ? '网格' : '乡镇' }, { key: 'township', title: '所属乡镇' }, { key: 'ratePct', title: '见警率%' }, { key: 'cellsMet', title: '有巡逻的时段数' }, { key: 'cells', title: '时段总数' }, { key: 'incidents', title: '案事件' }],
        rows: v.units.map((u) => ({ ...u, ratePct: pct(u.rate) })),
      };
    }
    case 'coverage': {
      const c = await routeCoverage(tx, { to: period.to, withinM: undefined, cellM: p.cell });
      const label = Object.fromEntries(c.kinds.map((k) => [k.kind, k.label]));
      return {
        name, method: c.method as unknown as Record<string, unknown>,
        columns: [{ key: 'kindLabel', title: '类别' }, { key: 'label', title: '名称' }, { key: 'lon', title: '经度' }, { key: 'lat', title: '纬度' }, { key: 'distanceM', title: '距最近路线(米)' }, { key: 'route', title: '最近路线' }, { key: 'coveredText', title: '已覆盖' }],
        rows: c.items.map((i) => ({ ...i, kindLabel: label[i.kind] ?? i.kind, coveredText: i.covered ? '是' : '否', geometry: { type: 'Point', coordinates: [i.lon, i.lat] } })),
      };
    }
    case 'suggest': {
      if (!p.team) throw new UserError('Choose a team (team=…).', '请先选择巡逻队。');
      const s = await suggestRoute(tx, { teamId: p.team, shift: p.start && p.end ? { start: p.start, end: p.end } : undefined, mode: p.mode, to: period.to, cellM: p.cell });
      return {
        name: `${PATROL_TABLE_TITLES.suggest} ${s.team.name} ${s.shift.start}-${s.shift.end}`, method: { method: s.method, minutes: s.minutes, weight: s.weight, leftOut: s.leftOut },
        columns: [{ key: 'order', title: '顺序' }, { key: 'label', title: '热点' }, { key: 'lon', title: '经度' }, { key: 'lat', title: '纬度' }, { key: 'arriveMinute', title: '出发后到达(分钟)' }, { key: 'weight', title: '风险权重' }, { key: 'incidentsInShift', title: '班次时段案事件' }],
        rows: [
          ...s.stops.map((x) => ({ ...x, geometry: { type: 'Point' as const, coordinates: [x.lon, x.lat] } })),
          { order: '', label: '路线', geometry: { type: 'LineString' as const, coordinates: s.path } },
        ],
      };
    }
    case 'cleaning': {
      const teams = await patrolTeams(tx);
      return {
        name: PATROL_TABLE_TITLES.cleaning, method: { rules: 'geodata/patrol-rules.json cleaning' },
        columns: [{ key: 'team', title: '巡逻队' }, { key: 'device', title: '设备' }, { key: 'fixes', title: '定位点' }, { key: 'kept', title: '保留' }, ...DROP_RULES.map((r) => ({ key: r, title: DROP_RULE_LABELS[r] })), { key: 'segments', title: '轨迹段数' }, { key: 'intervalS', title: '定位间隔(秒)' }, { key: 'source', title: '来源' }],
        rows: teams.flatMap((t) => t.tracks.map((x) => ({ team: t.name, ...x, ...Object.fromEntries(DROP_RULES.map((r) => [r, x.dropped[r] ?? 0])) }))),
      };
    }
  }
}
