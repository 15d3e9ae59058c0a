// The 巡防研判报告 (A4): dosage per hotspot on the county map with the planned routes, 见警率
// by unit as a second map with its hour chart, Koper compliance per team, missed incident
// peaks, route coverage and the cleaning of the tracks. Built from the same services as
// the page, for one set of parameters.
import type { Tx } from '../../db/scope';
import { many } from '../../db/index';
import { townshipsOf } from '../../db/scope';
import type { Geometry } from '../geojson';
import { mapBase, pathOf, type MapShape } from '../planner/report';
import { patrolDosage, type DosageResult } from './dosage';
import { patrolVisibility, type VisibilityResult } from './visibility';
import { routeCoverage, type CoverageResult } from './coverage';
import { patrolTeams, type PatrolTeamInfo } from './teams';
import { areasOf, periodOf, type PatrolParams } from './params';

export interface PatrolReport {
  countyName: string;
  demo: boolean;
  generatedAt: string;
  dosage: Omit<DosageResult, 'areas'> & { areas: Omit<DosageResult['areas'][number], 'geometry'>[] };
  visibility: Omit<VisibilityResult, 'units'> & { units: Omit<VisibilityResult['units'][number], 'geometry'>[] };
  coverage: Omit<CoverageResult, 'items'>;
  teams: PatrolTeamInfo[];
  map: { width: number; height: number; base: MapShape[]; labels: { x: number; y: number; text: string }[]; areas: (MapShape & { minutes: number })[]; routes: MapShape[]; units: (MapShape & { rate: number })[] };
}

export async function buildPatrolReport(tx: Tx, p: PatrolParams): Promise<PatrolReport> {
  const period = await periodOf(tx, p);
  const { countyName, demo, project, height, width, base, labels } = await mapBase(tx, 900);
  const dosage = await patrolDosage(tx, { period, areas: areasOf(p), radiusM: p.radius });
  const visibility = await patrolVisibility(tx, { period, unit: p.unit });
  const coverage = await routeCoverage(tx, { to: period.to, cellM: p.cell });
  const routes = await many<{ g: Geometry }>(`SELECT ST_AsGeoJSON(geom, 6)::jsonb AS g FROM patrol_routes WHERE $1::text[] IS NULL OR township_code = ANY ($1::text[])`, [townshipsOf(tx)], 'reading routes for the report', tx);
  const { items: _items, ...cov } = coverage;
  return {
    countyName, demo, generatedAt: new Date().toISOString(),
    dosage: { ...dosage, areas: dosage.areas.map(({ geometry: _g, ...a }) => a) },
    visibility: { ...visibility, units: visibility.units.map(({ geometry: _g, ...u }) => u) },
    coverage: cov,
    teams: await patrolTeams(tx),
    map: {
      width, height, base, labels,
      areas: dosage.areas.map((a) => ({ d: pathOf(a.geometry, project), style: a.visits === 0 ? 'none' : 'visited', minutes: a.presenceMinutes })),
      routes: routes.map((r) => ({ d: pathOf(r.g, project), style: 'route' })),
      units: visibility.units.map((u) => ({ d: pathOf(u.geometry, project), style: 'unit', rate: u.rate })),
    },
  };
}
