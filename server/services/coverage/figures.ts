// Coverage figures for the 雪亮工程 audit: road length by class, key places by category,
// management grids (area and road length), hazards and Gi* hotspots, per township and for
// the county (or a stated study area), each nominal (every camera with a known view) and
// effective (working cameras only). The rules are geodata/coverage.json, returned as the
// result's `method` so every figure travels with how it was measured.
import type pg from 'pg';
import type { Geometry } from 'geojson';
import { many, one, sql } from '../../db/index';
import { scratch, type Tx } from '../../db/scope';
import { countyArea, utmSrid } from '../area/study-area';
import { runHotspots } from '../hotspots/hotspots';
import { chinaDateOf, chinaDay } from '../../../lib/china-time';
import { dataEnd } from '../period';
import roadClasses from '../../../geodata/dictionaries/road-classes.json';
import placeTypes from '../../../geodata/dictionaries/place-types.json';
import hazardTypes from '../../../geodata/dictionaries/hazard-types.json';
import { refreshViews } from './fov';
import { RULES } from './rules';
import { computeKpis, type KpiSet, type KpiTables } from './kpis';
import { HotspotInputError, CoverageInputError } from '../../errors';


export interface CoverageOptions {
  /** A study area (EWKT or WKT polygon in EPSG:4326) instead of the county. */
  within?: string;
  /** Compute the hotspot figures (Gi* on the incidents); default true. */
  hotspots?: boolean;
  /** Also list the gaps (uncovered road stretches ranked by risk, uncovered places) for the map; default false. */
  gaps?: boolean;
}

export interface Share { total: number; nominal: number | null; effective: number | null }
export interface RoadFigures {
  totalKm: number; coveredKm: number; effectiveKm: number; lostKm: number;
  nominal: number | null; effective: number | null;
  byClass: Record<string, { name: string; totalKm: number; coveredKm: number; effectiveKm: number; nominal: number | null; effective: number | null }>;
}
export interface CountFigures { name: string; total: number; nominalCount: number; effectiveCount: number; nominal: number | null; effective: number | null }
export interface GridFigure { code: string; name: string; townshipCode: string | null; areaShareNominal: number | null; areaShareEffective: number | null; roadKm: number; roadShareNominal: number | null; roadShareEffective: number | null }
export interface HotspotFigure { id: number; class: string; townshipCode: string | null; incidents: number; nominalIncidents: number; effectiveIncidents: number; coveredNominal: boolean; coveredEffective: boolean; geometry: Geometry }
export interface AreaFigures {
  roads: RoadFigures;
  places: Record<string, CountFigures>;
  placesAll: CountFigures;
  grids: { total: number; areaShareNominal: number | null; areaShareEffective: number | null; roadShareNominal: number | null; roadShareEffective: number | null; withoutCoverage: number };
  hazards: { points: Record<string, CountFigures>; pointsAll: CountFigures; zones: { total: number; areaShareNominal: number | null; areaShareEffective: number | null } };
  hotspots: { cells: number; coveredNominal: number; coveredEffective: number; incidents: number; incidentShareNominal: number | null; incidentShareEffective: number | null } | null;
  kpis: KpiSet;
}
export interface CoverageResult extends AreaFigures {
  method: {
    area: string; metricSrid: number; view: string; arcStepDeg: number; rangeFactor: Record<string, number>; effective: string; effectiveStatuses: string[];
    roads: string; places: string; footprintShare: number; grids: string; hazards: string;
    hotspots: string | null; hotspotWindow: { from: string; to: string } | null; kpis: string; viewsBuilt: number;
  };
  cameras: { total: number; sector: number; circle: number; unknown: number; effective: number };
  townships: (AreaFigures & { code: string; name: string })[];
  gridCells: GridFigure[];
  hotspotCells: HotspotFigure[];
  gaps: CoverageGaps | null;
  kpiTables: KpiTables;
}

export interface RoadGap { roadId: number; name: string | null; roadClass: string; gapM: number; incidents: number; risk: number; geometry: Geometry }
export interface CoverageGaps {
  method: string;
  roads: RoadGap[];
  places: { id: number; name: string; placeType: string; typeName: string; townshipCode: string | null; lon: number; lat: number }[];
}

const GAP_ROADS = 300;

const ROAD_NAMES = new Map(roadClasses.map((r) => [r.code, r.name]));
const PLACE_NAMES = new Map(placeTypes.map((p) => [p.code, p.name]));
const HAZARD_NAMES = new Map(hazardTypes.map((h) => [h.code, h.name]));
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const km = (m: number) => m / 1000;

/** The figures, in the caller's transaction (a read: the caller rolls it back). */
export function computeCoverage(tx: Tx, o: CoverageOptions = {}): Promise<CoverageResult> {
  return scratch(tx, () => compute(tx, o));
}

/**
 * Brings the county's cached views up to date. Called by what changes them — camera edits,
 * imports, the demo seed — and by the start-up job (new view rules), never by a read.
 */
export async function refreshCountyViews(tx: Tx): Promise<number> {
  const { srid } = await scopeOf(tx);
  return refreshViews(tx, srid);
}

export async function scopeOf(c: pg.PoolClient, within?: string): Promise<{ area: string; srid: number; label: string }> {
  if (within) {
    const v = await one<{ ok: boolean; reason: string | null; ewkt: string | null }>(
      `SELECT g IS NOT NULL AND ST_IsValid(g) AND GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') AS ok,
              CASE WHEN g IS NULL THEN 'empty' WHEN NOT ST_IsValid(g) THEN ST_IsValidReason(g) ELSE GeometryType(g) END AS reason,
              ST_AsEWKT(ST_SetSRID(g, 4326)) AS ewkt
       FROM (SELECT ST_GeomFromEWKT($1) AS g) x`, [within], 'reading the study area', c,
    ).catch(() => ({ ok: false, reason: 'not WKT', ewkt: null }));
    if (!v.ok || !v.ewkt) throw new CoverageInputError(`The study area must be a valid polygon in WKT (EPSG:4326); got ${v.reason}.`, '研究范围必须是有效的面(WKT 格式,WGS-84 经纬度):请检查范围图形。');
    return { area: v.ewkt, srid: await utmSrid(c, v.ewkt), label: 'the given study area' };
  }
  const area = await countyArea(c).catch((err) => {
    throw err instanceof HotspotInputError ? new CoverageInputError('The database holds no county boundary: import the admin layer first.', '数据库中没有县界,无法计算覆盖率:请先导入行政区划(含县界)。') : err;
  });
  return { area, srid: await utmSrid(c, area), label: 'the county' };
}

/** The hotspot window: the configured months up to the data's end (server/services/period.ts). */
export async function hotspotWindow(c: pg.PoolClient): Promise<{ from: Date; to: Date } | null> {
  const to = await dataEnd(c);
  if (!to) return null;
  const [y, m, d] = chinaDateOf(to).split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y, m - 1 - RULES.hotspots.months, d));
  return { from: chinaDay(back.toISOString().slice(0, 10)), to };
}

export interface Prepared { area: string; srid: number; label: string; viewsBuilt: number; win: { from: Date; to: Date } | null }

/**
 * Fills the temporary tables of one coverage computation in the caller's transaction: the
 * study area, the views reaching it (rebuilt first where stale), the road pieces, and —
 * unless `hotspots` is false or there are no incidents — the Gi* hotspot cells with their
 * incidents. Shared by the figures and the placement recommender.
 */
export async function prepare(c: pg.PoolClient, within: string | undefined, hotspots: boolean): Promise<Prepared> {
  const { area, srid, label } = await scopeOf(c, within);
  // Views are kept current by writes (refreshCountyViews). What is still stale here — a study
  // area in another projection, rules changed since the last start — is drawn for this
  // answer only: the read's transaction is rolled back, so the cache is not written.
  const viewsBuilt = await refreshViews(c, srid);
  const win = hotspots ? await hotspotWindow(c) : null;
  const hot = win
    ? (await runHotspots(c as Tx, { shape: 'square', cellM: RULES.hotspots.cellM, neighbours: { kind: 'distance', metres: RULES.hotspots.distanceM }, from: win.from, to: win.to, withGeometry: true }))
        .cells.filter((x) => x.class.startsWith('hot-'))
    : [];
  await c.query(sql('coverage/figures-tables.sql'));
  await c.query(sql('coverage/figures-scope.sql'), [area, srid]);
  await c.query(sql('coverage/figures-views.sql'), [area, srid, RULES.effective.statuses]);
  await c.query('CREATE INDEX ON cov_view USING gist (g)');
  await c.query('ANALYZE cov_view');
  await c.query(sql('coverage/figures-roads.sql'), [area, srid]);
  await c.query('CREATE INDEX ON cov_road USING gist (g)');
  if (win && hot.length) await c.query(sql('coverage/figures-hotspot-cells.sql'), [JSON.stringify(hot.map((h) => ({ id: h.id, class: h.class, geometry: h.polygon }))), area, win.from, win.to, srid]);
  await c.query('CREATE INDEX ON cov_hot USING gist (geom)');
  await c.query('CREATE INDEX ON cov_hot USING gist (g)');
  if (win) await c.query(sql('coverage/figures-incidents.sql'), [win.from, win.to, area, srid]);
  await c.query('CREATE INDEX ON cov_incident USING gist (g)');
  return { area, srid, label, viewsBuilt, win };
}

async function compute(c0: Tx, o: CoverageOptions): Promise<CoverageResult> {
  const c = process.env.COVERAGE_PROFILE ? profiled(c0) : c0;
  const { area, srid, label, viewsBuilt, win } = await prepare(c, o.within, o.hotspots !== false);
  await c.query(sql('coverage/figures-road-cover.sql'));
  await c.query(sql('coverage/figures-road-covered.sql'));
  await c.query(sql('coverage/figures-road-covered-length.sql'));
  await c.query(sql('coverage/figures-zones.sql'), [srid]);
  await c.query('CREATE INDEX ON cov_zone USING gist (g)');
  await c.query('ANALYZE cov_zone');

  type RoadRow = { code?: string; roadClass: string; totalM: number; nominalM: number; effectiveM: number };
  const roadTotals = await many<RoadRow>(sql('coverage/figures-road-totals.sql'), [], 'measuring covered road length', c);
  const roadByTownship = await many<RoadRow & { code: string }>(sql('coverage/figures-road-by-zone.sql'), ['township'], 'measuring covered road length per township', c);
  const roadByGrid = await many<RoadRow & { code: string }>(sql('coverage/figures-road-by-zone.sql'), ['grid'], 'measuring covered road length per grid', c);
  const places = await many<{ id: number; name: string; lon: number; lat: number; placeType: string; townshipCode: string | null; nominal: boolean; effective: boolean }>(sql('coverage/figures-places.sql'), [area, srid, RULES.places.footprintShare], 'checking which key places are covered', c);
  const grids = await many<{ code: string; name: string; townshipCode: string | null; areaM2: number; nominalM2: number; effectiveM2: number }>(sql('coverage/figures-grids.sql'), [area, srid], 'measuring grid coverage', c);
  const hazards = await many<{ id: number; hazardType: string; townshipCode: string | null; isPoint: boolean; nominal: number | null; effective: number | null }>(sql('coverage/figures-hazards.sql'), [area, srid], 'checking which hazards are watched', c);
  const hotRows = await many<Omit<HotspotFigure, 'coveredNominal' | 'coveredEffective'>>(sql('coverage/figures-hotspots.sql'), [], 'checking which hotspots are covered', c);
  const hotspotCells: HotspotFigure[] = hotRows.map((h) => ({
    ...h,
    coveredNominal: h.incidents > 0 && h.nominalIncidents >= RULES.hotspots.coveredIncidentShare * h.incidents,
    coveredEffective: h.incidents > 0 && h.effectiveIncidents >= RULES.hotspots.coveredIncidentShare * h.incidents,
  }));
  const cams = await many<{ kind: string; status: string; n: number }>(sql('coverage/figures-cameras.sql'), [area], 'counting the cameras', c);
  const kpis = await computeKpis(c, o.within ? area : null);
  const townshipRows = await many<{ code: string; name: string }>(`SELECT code, name FROM admin_areas WHERE level = 'township' AND geom IS NOT NULL AND ST_Intersects(geom, $1::geometry) ORDER BY code`, [area], 'listing the townships', c);

  const gridCells: GridFigure[] = grids.map((g) => {
    const roads = roadByGrid.filter((r) => r.code === g.code);
    const total = roads.reduce((a, r) => a + r.totalM, 0);
    return {
      code: g.code, name: g.name, townshipCode: g.townshipCode,
      areaShareNominal: ratio(g.nominalM2, g.areaM2), areaShareEffective: ratio(g.effectiveM2, g.areaM2),
      roadKm: km(total),
      roadShareNominal: ratio(roads.reduce((a, r) => a + r.nominalM, 0), total), roadShareEffective: ratio(roads.reduce((a, r) => a + r.effectiveM, 0), total),
    };
  });

  const figuresFor = (township: string | null): AreaFigures => {
    const inT = <T extends { townshipCode: string | null }>(rows: T[]) => (township === null ? rows : rows.filter((r) => r.townshipCode === township));
    const g = inT(grids);
    const gRoads = township === null ? roadByGrid : roadByGrid.filter((r) => g.some((x) => x.code === r.code));
    const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((a, r) => a + f(r), 0);
    const zones = inT(hazards).filter((h) => !h.isPoint);
    const hs = inT(hotspotCells);
    const hsIncidents = sum(hs, (h) => h.incidents);
    return {
      roads: roadFigures(township === null ? roadTotals : roadByTownship.filter((r) => r.code === township)),
      ...countFigures(inT(places), (p) => p.placeType, PLACE_NAMES, (p) => p.nominal, (p) => p.effective, '重点场所', 'places', 'placesAll'),
      grids: {
        total: g.length,
        areaShareNominal: ratio(sum(g, (x) => x.nominalM2), sum(g, (x) => x.areaM2)),
        areaShareEffective: ratio(sum(g, (x) => x.effectiveM2), sum(g, (x) => x.areaM2)),
        roadShareNominal: ratio(sum(gRoads, (r) => r.nominalM), sum(gRoads, (r) => r.totalM)),
        roadShareEffective: ratio(sum(gRoads, (r) => r.effectiveM), sum(gRoads, (r) => r.totalM)),
        withoutCoverage: g.filter((x) => x.effectiveM2 === 0).length,
      },
      hazards: {
        ...countFigures(inT(hazards).filter((h) => h.isPoint), (h) => h.hazardType, HAZARD_NAMES, (h) => h.nominal === 1, (h) => h.effective === 1, '隐患点', 'points', 'pointsAll'),
        zones: {
          total: zones.length,
          areaShareNominal: zones.length ? sum(zones, (z) => z.nominal ?? 0) / zones.length : null,
          areaShareEffective: zones.length ? sum(zones, (z) => z.effective ?? 0) / zones.length : null,
        },
      },
      hotspots: win
        ? {
            cells: hs.length, coveredNominal: hs.filter((h) => h.coveredNominal).length, coveredEffective: hs.filter((h) => h.coveredEffective).length,
            incidents: hsIncidents, incidentShareNominal: ratio(sum(hs, (h) => h.nominalIncidents), hsIncidents), incidentShareEffective: ratio(sum(hs, (h) => h.effectiveIncidents), hsIncidents),
          }
        : null,
      kpis: township === null ? kpis.all : kpis.byTownship.find((k) => k.code === township)?.kpis ?? kpis.empty,
    };
  };

  const camCount = (f: (r: { kind: string; status: string }) => boolean) => cams.filter(f).reduce((a, r) => a + r.n, 0);
  return {
    method: {
      area: label, metricSrid: srid,
      view: RULES.view.note, arcStepDeg: RULES.view.arcStepDeg, rangeFactor: RULES.view.rangeFactor,
      effective: RULES.effective.note, effectiveStatuses: RULES.effective.statuses,
      roads: RULES.roads.note, places: RULES.places.note, footprintShare: RULES.places.footprintShare, grids: RULES.grids.note, hazards: RULES.hazards.note,
      hotspots: win ? RULES.hotspots.note : null,
      hotspotWindow: win ? { from: win.from.toISOString(), to: win.to.toISOString() } : null,
      kpis: kpis.method, viewsBuilt,
    },
    cameras: {
      total: camCount(() => true), sector: camCount((r) => r.kind === 'sector'), circle: camCount((r) => r.kind === 'circle'), unknown: camCount((r) => r.kind === 'unknown'),
      effective: camCount((r) => r.kind !== 'unknown' && RULES.effective.statuses.includes(r.status as 'online')),
    },
    ...figuresFor(null),
    townships: townshipRows.map((t) => ({ code: t.code, name: t.name, ...figuresFor(t.code) })),
    gridCells,
    hotspotCells,
    kpiTables: kpis,
    gaps: o.gaps
      ? {
          method: `Road gaps: the part of each road outside every effective view, ranked by risk = uncovered km × road-class weight × (1 + ${RULES.recommend.incidentWeight} × incidents within ${RULES.recommend.incidentRadiusM} m in the hotspot window); the ${GAP_ROADS} riskiest are listed. Places: key places not covered by an effective camera. Hotspots: see hotspotCells (coveredEffective false).`,
          roads: await many<RoadGap>(sql('coverage/figures-gap-roads.sql'), [JSON.stringify(RULES.recommend.roadClassWeight), RULES.recommend.incidentRadiusM, RULES.recommend.incidentWeight, GAP_ROADS], 'ranking the uncovered roads', c),
          places: places.filter((p) => !p.effective).map((p) => ({ id: p.id, name: p.name, placeType: p.placeType, typeName: PLACE_NAMES.get(p.placeType) ?? p.placeType, townshipCode: p.townshipCode, lon: p.lon, lat: p.lat })),
        }
      : null,
  };
}

function roadFigures(rows: { roadClass: string; totalM: number; nominalM: number; effectiveM: number }[]): RoadFigures {
  const byClass: RoadFigures['byClass'] = {};
  for (const r of rows) {
    const b = (byClass[r.roadClass] ??= { name: ROAD_NAMES.get(r.roadClass) ?? r.roadClass, totalKm: 0, coveredKm: 0, effectiveKm: 0, nominal: null, effective: null });
    b.totalKm += km(r.totalM);
    b.coveredKm += km(r.nominalM);
    b.effectiveKm += km(r.effectiveM);
  }
  for (const b of Object.values(byClass)) {
    b.nominal = ratio(b.coveredKm, b.totalKm);
    b.effective = ratio(b.effectiveKm, b.totalKm);
  }
  const totalKm = rows.reduce((a, r) => a + km(r.totalM), 0);
  const coveredKm = rows.reduce((a, r) => a + km(r.nominalM), 0);
  const effectiveKm = rows.reduce((a, r) => a + km(r.effectiveM), 0);
  return { totalKm, coveredKm, effectiveKm, lostKm: coveredKm - effectiveKm, nominal: ratio(coveredKm, totalKm), effective: ratio(effectiveKm, totalKm), byClass };
}

function countFigures<T, K extends string, A extends string>(
  rows: T[], key: (r: T) => string, names: Map<string, string>, nominal: (r: T) => boolean, effective: (r: T) => boolean, allName: string, byKey: K, allKey: A,
): Record<K, Record<string, CountFigures>> & Record<A, CountFigures> {
  const by: Record<string, CountFigures> = {};
  const all: CountFigures = { name: allName, total: 0, nominalCount: 0, effectiveCount: 0, nominal: null, effective: null };
  for (const r of rows) {
    const k = key(r);
    const b = (by[k] ??= { name: names.get(k) ?? k, total: 0, nominalCount: 0, effectiveCount: 0, nominal: null, effective: null });
    for (const x of [b, all]) {
      x.total++;
      if (nominal(r)) x.nominalCount++;
      if (effective(r)) x.effectiveCount++;
    }
  }
  for (const x of [...Object.values(by), all]) {
    x.nominal = ratio(x.nominalCount, x.total);
    x.effective = ratio(x.effectiveCount, x.total);
  }
  return { [byKey]: by, [allKey]: all } as Record<K, Record<string, CountFigures>> & Record<A, CountFigures>;
}

/** With COVERAGE_PROFILE set, logs each statement's time to stderr (for tuning). */
export function profiled(c: pg.PoolClient): pg.PoolClient {
  return new Proxy(c, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string })?.text ?? '');
          console.error(`${(performance.now() - t0).toFixed(0).padStart(7)} ms  ${text.replace(/^\s*--.*$/gm, '').replace(/\s+/g, ' ').slice(0, 90)}`);
        }
      };
    },
  });
}
