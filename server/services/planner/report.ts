// The printable 研判报告: a map image (SVG drawn from the county's boundaries and the
// analysis cells, so it prints crisply and needs no WebGL) plus the tables: the analysis
// summary, the ranked rectification targets, the listed targets with their evaluations
// and the 平安指数 ranking. Everything comes from the same services as the page.
import type { Geometry, Position } from 'geojson';
import { many, maybeOne } from '../../db/index';
import { kdeClass } from '../hotspots/kde-classes';
import { FORECAST_METHOD_LABELS } from '../../../lib/forecast-labels';
import { HotspotInputError } from '../../errors';
import { runAnalysis, type AnalysisMode } from './analysis';
import { rankTargets } from '../hotspots/targets';
import { listTargets } from '../hotspots/target-lifecycle';
import { peaceIndexIn } from '../peace-index/published';
import type { PeaceIndexResult } from '../peace-index/index';
import type { Tx } from '../../db/scope';
import type { PlannerParams } from './params';
import { todayInChina } from '../../../lib/china-time';

export type ReportMode = AnalysisMode;

export interface MapShape {
  /** SVG path data in the map's pixel space */
  d: string;
  /** key into the legend's colours (Gi* class, KDE class index, emerging pattern, or a fixed role) */
  style: string;
}

export interface ReportData {
  countyName: string;
  demo: boolean;
  mode: ReportMode;
  params: PlannerParams;
  generatedAt: string;
  map: { width: number; height: number; base: MapShape[]; cells: MapShape[]; targets: { x: number; y: number; rank: number }[]; listed: MapShape[]; labels: { x: number; y: number; text: string }[] };
  analysis: { title: string; lines: string[]; tally: Record<string, number>; breaks?: number[] };
  ranked: Awaited<ReturnType<typeof rankTargets>>['targets'];
  listed: Awaited<ReturnType<typeof listTargets>>;
  index: PeaceIndexResult;
}

/** Equirectangular projection of the county's bounding box onto width × height pixels (north up, x scaled by cos φ). */
export function projector(bbox: [number, number, number, number], width: number, pad: number) {
  const [minX, minY, maxX, maxY] = bbox;
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const scale = (width - 2 * pad) / ((maxX - minX) * k);
  const height = Math.round((maxY - minY) * scale + 2 * pad);
  const project = ([lon, lat]: Position): [number, number] => [pad + (lon! - minX) * k * scale, pad + (maxY - lat!) * scale];
  return { project, height };
}

/** SVG path data of a polygon or line geometry in the projector's pixel space. */
export function pathOf(g: Geometry, project: (p: Position) => [number, number]): string {
  const line = (r: Position[]) => r.map((p, i) => { const [x, y] = project(p); return `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`; }).join('');
  const ring = (r: Position[]) => `${line(r)}Z`;
  if (g.type === 'Polygon') return g.coordinates.map(ring).join('');
  if (g.type === 'MultiPolygon') return g.coordinates.flatMap((poly) => poly.map(ring)).join('');
  if (g.type === 'LineString') return line(g.coordinates);
  if (g.type === 'MultiLineString') return g.coordinates.map(line).join('');
  return '';
}

/** The printed map's base: the county and its townships (simplified), their labels, and the projection. */
export async function mapBase(tx: Tx, width = 1000) {
  const county = await maybeOne<{ name: string; g: Geometry; bbox: number[] }>(
    `SELECT name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0003), 6)::jsonb AS g,
            ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] AS bbox
     FROM admin_areas WHERE level = 'county' AND geom IS NOT NULL ORDER BY code LIMIT 1`,
    [], 'reading the county for the report', tx,
  );
  if (!county) throw new HotspotInputError('The database holds no county boundary to draw the report map on: import the admin layer first.', '数据库中没有县界,无法生成报告:请先导入行政区划(含县界)。');
  const townships = await many<{ code: string; name: string; g: Geometry; lon: number; lat: number }>(
    `SELECT code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.0003), 6)::jsonb AS g, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
     FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL ORDER BY code`,
    [], 'reading townships for the report', tx,
  );
  const demo = await maybeOne<{ key: string }>(`SELECT key FROM dataset_info WHERE key = 'demo'`, [], 'reading the data set', tx);
  const { project, height } = projector(county.bbox as [number, number, number, number], width, 16);

  return {
    countyName: county.name, demo: demo !== null, project, height, width,
    base: [{ d: pathOf(county.g, project), style: 'county' }, ...townships.map((t) => ({ d: pathOf(t.g, project), style: 'township', code: t.code }))] as (MapShape & { code?: string })[],
    labels: townships.map((t) => { const [x, y] = project([t.lon, t.lat]); return { x, y, text: t.name }; }),
  };
}

export async function buildReport(tx: Tx, mode: ReportMode, p: PlannerParams): Promise<ReportData> {
  const { countyName, demo, project, height, width, base, labels } = await mapBase(tx);

  const cells: MapShape[] = [];
  const tally: Record<string, number> = {};
  let analysis: ReportData['analysis'];
  const result = await runAnalysis(tx, mode, p);
  /** Cells drawn in the five warm classes of the density legend (KDE and forecast). */
  const classed = (rows: Array<{ value: number; polygon: Geometry }>, breaks: number[]) => {
    for (const c of rows) {
      const k = kdeClass(c.value, breaks);
      tally[String(k)] = (tally[String(k)] ?? 0) + 1;
      cells.push({ d: pathOf(c.polygon, project), style: `kde-${k}` });
    }
  };
  if (result.mode === 'gistar') {
    const { r } = result;
    for (const c of r.cells) {
      tally[c.class] = (tally[c.class] ?? 0) + 1;
      if (c.class !== 'none' && c.polygon) cells.push({ d: pathOf(c.polygon, project), style: c.class });
    }
    analysis = { title: '热点分析(Getis-Ord Gi*)', lines: [`${r.method.incidents} 起案事件,${r.method.cells} 个 ${p.cell} 米单元,邻域距离 ${p.distance} 米(含自身,二值权重)`, 'p 值经 Benjamini–Hochberg 错误发现率校正;置信等级 99/95/90%'], tally };
  } else if (result.mode === 'kde') {
    const { r } = result;
    const breaks = r.method.breaks;
    classed(r.cells.map((c) => ({ value: c.density, polygon: c.polygon })), breaks);
    analysis = { title: '核密度分析', lines: [`${r.method.incidents} 起案事件,四次核函数,带宽 ${r.method.bandwidthM ?? '—'} 米(${p.bandwidth ? '人工设定' : 'Silverman 空间规则'}),单元 ${p.cell} 米`, '单位:起/平方公里;分级为非零单元的 50/75/90/97.5% 分位数'], tally, breaks };
  } else if (result.mode === 'forecast') {
    const { r } = result;
    const breaks = r.method.breaks;
    classed(r.cells.map((c) => ({ value: c.expected, polygon: c.polygon })), breaks);
    analysis = { title: '热点预测', lines: [`${r.method.incidents} 起历史案事件(${r.method.historyFrom.slice(0, 10)} 起),预测未来 ${r.method.horizonDays} 天,单元 ${p.cell} 米`, `方法:${FORECAST_METHOD_LABELS[r.method.chosen]}(训练期内滚动起点验证选出,验证 PAI@5% ${r.method.validation[r.method.chosen]?.toFixed(2) ?? '—'})`], tally, breaks };
  } else {
    for (const c of result.r.cells) {
      tally[c.pattern] = (tally[c.pattern] ?? 0) + 1;
      if (c.polygon) cells.push({ d: pathOf(c.polygon, project), style: c.pattern });
    }
    analysis = { title: '时空热点(新兴热点分析)', lines: [`${p.slices} 个时段,每段 Gi*(FDR 校正 p < 0.05 为显著),Mann-Kendall 趋势检验`, '模式定义同 ArcGIS 新兴热点分析'], tally };
  }
  // one after another: the analyses share the transaction
  const ranked = await rankTargets(tx, { top: 10, cellM: 500 });
  const listed = await listTargets(tx, todayInChina());
  const index = await peaceIndexIn(tx, { from: p.from, to: p.to, top: 3 });
  return {
    countyName,
    demo,
    mode,
    params: p,
    generatedAt: new Date().toISOString(),
    map: {
      width,
      height,
      base,
      cells,
      targets: ranked.targets.map((t) => { const [x, y] = project([t.lon, t.lat]); return { x, y, rank: t.rank }; }),
      listed: listed.map((t) => ({ d: pathOf(t.polygon, project), style: t.overdue ? 'overdue' : 'listed' })),
      labels,
    },
    analysis,
    ranked: ranked.targets,
    listed,
    index,
  };
}
