// The planner's results as tables for export and the printed report: Gi* classes, the
// kernel density surface, emerging hot-spot patterns, the ranked rectification targets and
// the 挂牌整治 targets with their evaluations. Each is computed by the same service the
// page calls, from the same parameters.
import type { Geometry } from 'geojson';
import { runAnalysis, type AnalysisResult } from './analysis';
import { rankTargets } from '../hotspots/targets';
import { listTargets } from '../hotspots/target-lifecycle';
import { CLASS_LABELS, type HotspotClass } from '../hotspots/gistar';
import type { ResultTable } from '../../export/tables';
import { peaceIndexIn } from '../peace-index/published';
import type { Tx } from '../../db/scope';
import { many } from '../../db/index';
import type { PlannerParams } from './params';
import { todayInChina } from '../../../lib/china-time';

export const TABLE_KINDS = ['gistar', 'kde', 'forecast', 'emerging', 'targets', 'listed', 'index'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

export const TABLE_TITLES: Record<TableKind, string> = {
  gistar: '热点分析(Gi*)',
  kde: '核密度',
  forecast: '热点预测',
  emerging: '时空热点模式',
  targets: '整治目标排名',
  listed: '挂牌整治目标',
  index: '平安指数',
};

export async function buildTable(tx: Tx, kind: TableKind, p: PlannerParams): Promise<ResultTable> {
  const name = `${TABLE_TITLES[kind]}${p.from && p.to ? ` ${p.from}至${p.to}` : ''}`;
  switch (kind) {
    case 'gistar': {
      const { r } = (await runAnalysis(tx, 'gistar', p)) as Extract<AnalysisResult, { mode: 'gistar' }>;
      return {
        name,
        method: r.method as unknown as Record<string, unknown>,
        columns: [
          { key: 'id', title: '单元编号' }, { key: 'lon', title: '中心经度' }, { key: 'lat', title: '中心纬度' }, { key: 'count', title: '案事件数' },
          { key: 'z', title: 'Gi* z 值' }, { key: 'p', title: 'p 值' }, { key: 'pFdr', title: 'FDR 校正 p 值' }, { key: 'classLabel', title: '置信等级' },
        ],
        rows: r.cells.map((c) => ({ ...c, classLabel: CLASS_LABELS[c.class as HotspotClass], geometry: c.polygon ?? null })),
      };
    }
    case 'kde': {
      const { r } = (await runAnalysis(tx, 'kde', p)) as Extract<AnalysisResult, { mode: 'kde' }>;
      return {
        name,
        method: r.method as unknown as Record<string, unknown>,
        columns: [{ key: 'id', title: '单元编号' }, { key: 'lon', title: '中心经度' }, { key: 'lat', title: '中心纬度' }, { key: 'density', title: '密度(起/平方公里)' }],
        rows: r.cells.map((c) => ({ ...c, geometry: c.polygon })),
      };
    }
    case 'forecast': {
      const { r } = (await runAnalysis(tx, 'forecast', p)) as Extract<AnalysisResult, { mode: 'forecast' }>;
      return {
        name,
        method: r.method as unknown as Record<string, unknown>,
        columns: [{ key: 'id', title: '单元编号' }, { key: 'lon', title: '中心经度' }, { key: 'lat', title: '中心纬度' }, { key: 'expected', title: `预测案事件数(${r.method.horizonDays} 天)` }],
        rows: [...r.cells].sort((a, b) => b.expected - a.expected || a.id - b.id).map((c) => ({ ...c, geometry: c.polygon })),
      };
    }
    case 'emerging': {
      const { r } = (await runAnalysis(tx, 'emerging', p)) as Extract<AnalysisResult, { mode: 'emerging' }>;
      return {
        name,
        method: r.method,
        columns: [
          { key: 'id', title: '单元编号' }, { key: 'lon', title: '中心经度' }, { key: 'lat', title: '中心纬度' }, { key: 'label', title: '模式' },
          { key: 'total', title: '案事件数' }, { key: 'trendZ', title: 'Mann-Kendall z' }, { key: 'trendP', title: '趋势 p 值' }, { key: 'series', title: '各时段案事件数' },
        ],
        rows: r.cells.filter((c) => c.pattern !== 'none').map((c) => ({ ...c, total: c.counts.reduce((a, b) => a + b, 0), series: c.counts.join(' '), geometry: c.polygon ?? null })),
      };
    }
    case 'targets': {
      const r = await rankTargets(tx, { top: p.top, cellM: p.cell >= 100 && p.cell <= 5000 ? p.cell : 500 });
      return {
        name,
        method: r.method,
        columns: [
          { key: 'rank', title: '排名' }, { key: 'score', title: '综合得分' }, { key: 'placeText', title: '位置' }, { key: 'lon', title: '中心经度' }, { key: 'lat', title: '中心纬度' },
          { key: 'classLabel', title: '热点等级' }, { key: 'factorText', title: '各因素贡献' }, { key: 'reason', title: '入选理由' },
        ],
        rows: r.targets.map((t) => ({
          ...t,
          placeText: t.place.text,
          classLabel: CLASS_LABELS[t.hotspotClass as HotspotClass],
          factorText: t.factors.map((f) => `${f.label} ${f.value}(相对全县最高 ${f.scaled},贡献 ${f.contribution})`).join(';'),
          geometry: { type: 'Point', coordinates: [t.lon, t.lat] } as Geometry,
        })),
      };
    }
    case 'listed': {
      const today = todayInChina();
      const rows = await listTargets(tx, today);
      const STATUS: Record<string, string> = { listed: '已挂牌', in_progress: '整治中', completed: '已完成', delisted: '已摘牌' };
      return {
        name: TABLE_TITLES.listed,
        method: { today, overdue: 'deadline before today while the status is 已挂牌 or 整治中', evaluation: 'difference in differences against matched comparison cells; weighted displacement quotient in the surrounding ring' },
        columns: [
          { key: 'id', title: '编号' }, { key: 'name', title: '名称' }, { key: 'placeText', title: '位置' }, { key: 'responsibleUnit', title: '责任单位' }, { key: 'startsOn', title: '开始日期' },
          { key: 'deadline', title: '整治期限' }, { key: 'statusLabel', title: '状态' }, { key: 'overdueLabel', title: '逾期' }, { key: 'reasonText', title: '挂牌理由' }, { key: 'verdict', title: '成效评估' },
        ],
        rows: rows.map((t) => ({
          ...t,
          placeText: t.place.text,
          statusLabel: STATUS[t.status] ?? t.status,
          overdueLabel: t.overdue ? `逾期 ${-t.daysLeft} 天` : '',
          reasonText: t.reasons.join(';'),
          verdict: (t.evaluation?.verdict as string | undefined) ?? '未评估',
          geometry: t.polygon,
        })),
      };
    }
    case 'index': {
      const r = await peaceIndexIn(tx, { from: p.from, to: p.to, top: 3 });
      const shapes = new Map((await many<{ code: string; g: Geometry }>(`SELECT code, ST_AsGeoJSON(geom, 6)::jsonb AS g FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL`, [], 'reading township boundaries', tx)).map((x) => [x.code.trim(), x.g]));
      const indicators = r.method.indicators;
      return {
        name: `${TABLE_TITLES.index} ${r.method.period.label}`,
        method: r.method as unknown as Record<string, unknown>,
        columns: [
          { key: 'rank', title: '排名' }, { key: 'name', title: '乡镇' }, { key: 'code', title: '代码' }, { key: 'score', title: '平安指数' },
          { key: 'previousRank', title: '上期排名' }, { key: 'rankChange', title: '名次变化' }, { key: 'listLabel', title: '红黑榜' },
          ...indicators.map((i) => ({ key: `ind_${i.id}`, title: `${i.name}(${i.unit})` })),
        ],
        rows: r.townships.map((t) => ({
          ...t,
          listLabel: t.list === 'red' ? '红榜' : t.list === 'black' ? '黑榜' : '',
          ...Object.fromEntries(t.indicators.map((i) => [`ind_${i.id}`, i.value])),
          geometry: shapes.get(t.code.trim()) ?? null,
        })),
      };
    }
  }
}
