// The auditor's results as tables (Chinese column titles, the method beside them), for the
// export route (CSV/XLSX/GeoJSON through server/export/tables.ts) and the printed report.
import type { ResultTable } from '../../export/tables';
import type { Tx } from '../../db/scope';
import { computeCoverage, type AreaFigures, type CoverageResult } from './figures';
import { recommend, type RecommendResult } from './recommend';
import { runAudit, type AuditResult } from './audit';
import { KPI_LABELS, KPI_NAMES } from './kpis';
import roadClasses from '../../../geodata/dictionaries/road-classes.json';

const ROAD_NAMES = new Map(roadClasses.map((c) => [c.code, c.name]));

export const AUDIT_TABLES = ['townships', 'roads', 'places', 'grids', 'hazards', 'hotspots', 'kpi-townships', 'kpi-owners', 'findings', 'gaps', 'recommend'] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
const r2 = (v: number) => Math.round(v * 100) / 100;

export interface AuditTableOptions { budget?: number; type?: 'dome' | 'fixed' | 'ptz' }

export async function buildAuditTable(tx: Tx, kind: AuditTable, o: AuditTableOptions = {}): Promise<ResultTable> {
  if (kind === 'findings') return findingsTable(await runAudit(tx));
  if (kind === 'recommend') return recommendTable(await recommend(tx, { budget: o.budget ?? 20, type: o.type ?? 'dome' }));
  return coverageTable(kind, await computeCoverage(tx, { gaps: kind === 'gaps' }));
}

function coverageMethod(r: CoverageResult): Record<string, unknown> {
  const m = r.method;
  return { 视野: m.view, 有效覆盖: m.effective, 道路: m.roads, 重点场所: m.places, 网格: m.grids, 隐患点: m.hazards, 热点: m.hotspots ?? '未计算', 热点时段: m.hotspotWindow, 考核指标: m.kpis, 投影: `EPSG:${m.metricSrid}` };
}

const areaRow = (name: string, code: string | null, a: AreaFigures) => ({
  code, name,
  roadKm: r2(a.roads.totalKm), roadNominal: pct(a.roads.nominal), roadEffective: pct(a.roads.effective), roadLostKm: r2(a.roads.lostKm),
  places: a.placesAll.total, placesNominal: pct(a.placesAll.nominal), placesEffective: pct(a.placesAll.effective),
  gridArea: pct(a.grids.areaShareEffective), gridsWithout: a.grids.withoutCoverage,
  hazards: a.hazards.pointsAll.total, hazardsEffective: pct(a.hazards.pointsAll.effective),
  hotspots: a.hotspots?.cells ?? null, hotspotsCovered: a.hotspots?.coveredEffective ?? null, hotspotIncidents: pct(a.hotspots?.incidentShareEffective),
  cameras: a.kpis.cameras, online: pct(a.kpis.online),
});

function coverageTable(kind: Exclude<AuditTable, 'findings' | 'recommend'>, r: CoverageResult): ResultTable {
  const method = coverageMethod(r);
  switch (kind) {
    case 'townships':
      return {
        name: '视频监控覆盖-乡镇', method,
        columns: [
          { key: 'name', title: '乡镇' }, { key: 'code', title: '区划代码' }, { key: 'roadKm', title: '道路里程(km)' }, { key: 'roadNominal', title: '道路名义覆盖率(%)' },
          { key: 'roadEffective', title: '道路有效覆盖率(%)' }, { key: 'roadLostKm', title: '离线损失(km)' }, { key: 'places', title: '重点场所(处)' },
          { key: 'placesNominal', title: '场所名义覆盖率(%)' }, { key: 'placesEffective', title: '场所有效覆盖率(%)' }, { key: 'gridArea', title: '网格面积有效覆盖(%)' },
          { key: 'gridsWithout', title: '无覆盖网格(个)' }, { key: 'hazards', title: '隐患点(处)' }, { key: 'hazardsEffective', title: '隐患点有效监控率(%)' },
          { key: 'hotspots', title: '热点网格(个)' }, { key: 'hotspotsCovered', title: '已覆盖热点(个)' }, { key: 'hotspotIncidents', title: '热点案事件在视野内(%)' },
          { key: 'cameras', title: '登记摄像机(台)' }, { key: 'online', title: '在线率(%)' },
        ],
        rows: [...r.townships.map((t) => areaRow(t.name, t.code, t)), areaRow('全县', null, r)],
      };
    case 'roads':
      return {
        name: '道路覆盖-按等级', method,
        columns: [{ key: 'area', title: '范围' }, { key: 'cls', title: '道路等级' }, { key: 'totalKm', title: '里程(km)' }, { key: 'coveredKm', title: '名义覆盖(km)' }, { key: 'effectiveKm', title: '有效覆盖(km)' }, { key: 'nominal', title: '名义覆盖率(%)' }, { key: 'effective', title: '有效覆盖率(%)' }],
        rows: [{ name: '全县', roads: r.roads }, ...r.townships.map((t) => ({ name: t.name, roads: t.roads }))].flatMap((a) =>
          Object.values(a.roads.byClass).map((b) => ({ area: a.name, cls: b.name, totalKm: r2(b.totalKm), coveredKm: r2(b.coveredKm), effectiveKm: r2(b.effectiveKm), nominal: pct(b.nominal), effective: pct(b.effective) }))),
      };
    case 'places':
      return {
        name: '重点场所覆盖', method,
        columns: [{ key: 'area', title: '范围' }, { key: 'type', title: '场所类别' }, { key: 'total', title: '总数' }, { key: 'nominalCount', title: '名义覆盖(处)' }, { key: 'effectiveCount', title: '有效覆盖(处)' }, { key: 'nominal', title: '名义覆盖率(%)' }, { key: 'effective', title: '有效覆盖率(%)' }],
        rows: [{ name: '全县', places: r.places }, ...r.townships.map((t) => ({ name: t.name, places: t.places }))].flatMap((a) =>
          Object.values(a.places).map((p) => ({ area: a.name, type: p.name, total: p.total, nominalCount: p.nominalCount, effectiveCount: p.effectiveCount, nominal: pct(p.nominal), effective: pct(p.effective) }))),
      };
    case 'grids':
      return {
        name: '网格覆盖', method,
        columns: [{ key: 'code', title: '网格编码' }, { key: 'name', title: '网格名称' }, { key: 'township', title: '乡镇' }, { key: 'areaNominal', title: '面积名义覆盖(%)' }, { key: 'areaEffective', title: '面积有效覆盖(%)' }, { key: 'roadKm', title: '道路(km)' }, { key: 'roadNominal', title: '道路名义覆盖(%)' }, { key: 'roadEffective', title: '道路有效覆盖(%)' }],
        rows: r.gridCells.map((g) => ({ code: g.code, name: g.name, township: r.townships.find((t) => t.code === g.townshipCode)?.name ?? g.townshipCode, areaNominal: pct(g.areaShareNominal), areaEffective: pct(g.areaShareEffective), roadKm: r2(g.roadKm), roadNominal: pct(g.roadShareNominal), roadEffective: pct(g.roadShareEffective) })),
      };
    case 'hazards':
      return {
        name: '隐患点监控', method,
        columns: [{ key: 'area', title: '范围' }, { key: 'type', title: '隐患类别' }, { key: 'total', title: '总数' }, { key: 'nominalCount', title: '名义监控(处)' }, { key: 'effectiveCount', title: '有效监控(处)' }, { key: 'effective', title: '有效监控率(%)' }],
        rows: [{ name: '全县', h: r.hazards }, ...r.townships.map((t) => ({ name: t.name, h: t.hazards }))].flatMap((a) =>
          Object.values(a.h.points).map((p) => ({ area: a.name, type: p.name, total: p.total, nominalCount: p.nominalCount, effectiveCount: p.effectiveCount, effective: pct(p.effective) }))),
      };
    case 'hotspots':
      return {
        name: '热点覆盖', method,
        columns: [{ key: 'id', title: '单元' }, { key: 'cls', title: '热点等级' }, { key: 'township', title: '乡镇' }, { key: 'incidents', title: '案事件(起)' }, { key: 'nominalIncidents', title: '名义视野内(起)' }, { key: 'effectiveIncidents', title: '有效视野内(起)' }, { key: 'covered', title: '有效覆盖' }],
        rows: r.hotspotCells.map((h) => ({ id: h.id, cls: h.class.replace('hot-', '') + '% 置信', township: r.townships.find((t) => t.code === h.townshipCode)?.name ?? null, incidents: h.incidents, nominalIncidents: h.nominalIncidents, effectiveIncidents: h.effectiveIncidents, covered: h.coveredEffective ? '是' : '否', geometry: h.geometry })),
      };
    case 'kpi-townships':
    case 'kpi-owners': {
      const k = r.kpiTables;
      const byTownship = kind === 'kpi-townships';
      const rows = byTownship
        ? [...k.byTownship.map((t) => ({ name: r.townships.find((x) => x.code === t.code)?.name ?? t.code ?? '(未填写)', kpis: t.kpis })), { name: '全县', kpis: k.all }]
        : [...k.byOwner.map((o) => ({ name: o.owner, kpis: o.kpis })), { name: '合计', kpis: k.all }];
      return {
        name: byTownship ? '考核指标-乡镇' : '考核指标-权属单位',
        method: { ...method, 目标: Object.fromEntries(KPI_NAMES.map((n) => [KPI_LABELS[n], `${k.targets[n].target * 100}%(${k.targets[n].basis})`])) },
        columns: [{ key: 'name', title: byTownship ? '乡镇' : '权属单位' }, { key: 'cameras', title: '摄像机(台)' }, ...KPI_NAMES.map((n) => ({ key: n, title: `${KPI_LABELS[n]}(%)` }))],
        rows: rows.map((x) => ({ name: x.name, cameras: x.kpis.cameras, ...Object.fromEntries(KPI_NAMES.map((n) => [n, pct(x.kpis[n])])) })),
      };
    }
    case 'gaps':
      return {
        name: '覆盖缺口-道路', method: { ...method, 缺口: r.gaps?.method },
        columns: [{ key: 'rank', title: '排序' }, { key: 'name', title: '道路' }, { key: 'cls', title: '等级' }, { key: 'gapM', title: '未覆盖长度(m)' }, { key: 'incidents', title: '周边案事件(起)' }, { key: 'risk', title: '风险分' }],
        rows: (r.gaps?.roads ?? []).map((g, i) => ({ rank: i + 1, name: g.name, cls: ROAD_NAMES.get(g.roadClass) ?? g.roadClass, gapM: Math.round(g.gapM), incidents: g.incidents, risk: r2(g.risk), geometry: g.geometry })),
      };
  }
}

function findingsTable(a: AuditResult): ResultTable {
  return {
    name: '档案核查问题清单', method: a.method,
    columns: [
      { key: 'owner', title: '权属单位' }, { key: 'township', title: '乡镇' }, { key: 'gbId', title: '国标编码' }, { key: 'name', title: '点位名称' }, { key: 'severity', title: '级别' },
      { key: 'title', title: '问题' }, { key: 'detail', title: '说明' }, { key: 'fix', title: '整改建议' }, { key: 'lon', title: '经度' }, { key: 'lat', title: '纬度' }, { key: 'externalId', title: '档案编号' },
    ],
    rows: [...a.findings]
      .sort((x, y) => (x.owner ?? '').localeCompare(y.owner ?? '', 'zh-CN') || x.cameraId - y.cameraId)
      .map((f) => ({ owner: f.owner ?? '(未填写)', township: f.townshipName, gbId: f.gbId, name: f.name, severity: f.severity === 'error' ? '错误' : '提示', title: f.title, detail: f.detail, fix: f.fix, lon: f.lon, lat: f.lat, externalId: f.externalId, geometry: { type: 'Point', coordinates: [f.lon, f.lat] } })),
  };
}

function recommendTable(r: RecommendResult): ResultTable {
  const rows = (list: RecommendResult['picks'], set: string) => list.map((p) => ({
    set, rank: p.rank, label: p.label, kind: p.kind === 'intersection' ? '路口' : p.kind === 'entrance' ? '场所出入口' : '手绘候选点', lon: r6(p.lon), lat: r6(p.lat),
    azimuth: p.azimuthDeg, gain: r2(p.gain), cumulative: r2(p.cumulative), share: pct(p.cumulativeShare), newRoadM: p.newRoadM, newPlaces: p.newPlaces, newHazards: p.newHazards, geometry: p.view,
  }));
  return {
    name: '补点建议', method: { ...r.method, 候选点: r.candidates, 需求: r.demand, 基线: r.baseline.rule, 与基线之比: r.ratioToBaseline, 说明: r.notes },
    columns: [
      { key: 'set', title: '方案' }, { key: 'rank', title: '序号' }, { key: 'label', title: '位置' }, { key: 'kind', title: '候选类型' }, { key: 'lon', title: '经度' }, { key: 'lat', title: '纬度' },
      { key: 'azimuth', title: '朝向(°)' }, { key: 'gain', title: '边际增益' }, { key: 'cumulative', title: '累计增益' }, { key: 'share', title: '累计占缺口(%)' },
      { key: 'newRoadM', title: '新增覆盖道路(m)' }, { key: 'newPlaces', title: '新增场所' }, { key: 'newHazards', title: '新增隐患点' },
    ],
    rows: [...rows(r.picks, '贪心补点'), ...rows(r.baseline.picks, '基线(案事件最多的路口)')],
  };
}

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
