// The situational map's overlays (router `map`) on the demo county, checked against
// independent SQL over the same rows: hexagon bins (totals, the bin bound, every incident in
// the hexagon whose centre is nearest, filters, township scope), points (refused below zoom
// 14, capped with the true count, offsets within 1 m), incident detail, grids by metric,
// hazards, places, patrol tracks and search (ids first, LIKE wildcards taken literally).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { caller, inRollback } from '../helpers';
import { many, one } from '../../server/db/index';
import type { Actor } from '../../server/context';
import { LIMITS } from '../../server/limits';
import { cellsIn, hexOf, HEX_ANGLE_DEG, latOf, lonOf, mercX, mercY, rungForZoom, rungSize, snapView, type Bbox } from '../../server/services/map/lattice';
import { search } from '../../server/services/map/search';
import { chinaDateOf } from '../../lib/china-time';

const range = await inRollback((tx) => one<{ first: Date; last: Date }>('SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM incidents', [], 'the incidents’ span', tx));
const LAST = chinaDateOf(range.last);
const FIRST_365 = chinaDateOf(new Date(range.last.getTime() - 364 * 86_400_000));
const FROM = new Date(`${FIRST_365}T00:00:00+08:00`);
const TO = new Date(new Date(`${LAST}T00:00:00+08:00`).getTime() + 86_400_000);
const county = await inRollback((tx) => one<{ w: number; s: number; e: number; n: number }>(
  `SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM admin_areas WHERE level = 'county'`, [], 'the county box', tx,
));
const seat = await inRollback((tx) => one<{ code: string; lon: number; lat: number }>(
  `SELECT code::text AS code, ST_X(centre) AS lon, ST_Y(centre) AS lat FROM admin_areas WHERE level = 'township' ORDER BY population DESC NULLS LAST LIMIT 1`, [], 'the county seat', tx,
));

/** The box a W × H px viewport shows around (lon, lat) at `zoom` (512-px tiles). */
function viewBox(lon: number, lat: number, zoom: number, w = 1920, h = 1080): Bbox {
  const m = (2 * Math.PI * 6378137) / 512 / 2 ** zoom;
  const x = mercX(lon), y = mercY(lat);
  return [lonOf(x - (w / 2) * m), latOf(y - (h / 2) * m), lonOf(x + (w / 2) * m), latOf(y + (h / 2) * m)];
}

const countIn = (b: Bbox, extra = '', params: unknown[] = [], actor?: Actor) =>
  inRollback((tx) => one<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2
       AND ST_X(geom) >= $3 AND ST_X(geom) <= $5 AND ST_Y(geom) >= $4 AND ST_Y(geom) <= $6 ${extra}`,
    [FROM, TO, ...b, ...params], 'counting incidents in a box', tx,
  ), actor).then((r) => r.n);

test('bins: the lattice is flat-top in Web Mercator, anchored at a fixed origin, and its size follows the zoom', () => {
  assert.equal(HEX_ANGLE_DEG, 0);
  // ~13 px across at whole zooms: circumradius 6.5 px of 512-px-tile Mercator metres
  for (const z of [8, 12, 16]) assert.ok(Math.abs(rungSize(rungForZoom(z)) / ((2 * Math.PI * 6378137) / 512 / 2 ** z) - 6.5) < 1e-9);
  // the same point falls in the same hexagon whatever the view: no dependence on the box
  const a = snapView(viewBox(117.6, 25.7, 12), 12, LIMITS.mapBins);
  const b = snapView(viewBox(117.63, 25.72, 12), 12, LIMITS.mapBins);
  assert.equal(a.mercatorS, b.mercatorS);
  assert.deepEqual(hexOf(mercX(117.61), mercY(25.71), a.mercatorS), hexOf(mercX(117.61), mercY(25.71), b.mercatorS));
  // the snapped box contains the view
  const v = viewBox(117.6, 25.7, 12);
  assert.ok(a.bbox[0] < v[0] && a.bbox[1] < v[1] && a.bbox[2] > v[2] && a.bbox[3] > v[3]);
});

test('bins: the total equals an independent count in the snapped box and window; counts, max and centres agree', { timeout: 120_000 }, async () => {
  const api = await caller();
  const view = viewBox((county.w + county.e) / 2, (county.s + county.n) / 2, 10);
  const r = await api.map.incidentBins({ bbox: view, zoom: 10, from: FIRST_365, to: LAST });
  const snapped = snapView(view, 10, LIMITS.mapBins);
  assert.equal(r.shape, 'hex');
  assert.equal(r.sizeM, snapped.sizeM);
  const expected = await countIn(snapped.bbox);
  assert.ok(expected > 1000, `${expected} incidents in the window`);
  assert.equal(r.total, expected);
  assert.equal(r.counts.reduce((a, b) => a + b, 0), r.total);
  assert.equal(r.max, Math.max(...r.counts));
  assert.equal(r.centres.length, 2 * r.counts.length);
  for (let i = 0; i < r.centres.length; i += 2) {
    assert.ok(r.centres[i]! >= snapped.bbox[0] && r.centres[i]! <= snapped.bbox[2] && r.centres[i + 1]! >= snapped.bbox[1] && r.centres[i + 1]! <= snapped.bbox[3]);
    assert.equal(r.centres[i], Math.round(r.centres[i]! * 1e6) / 1e6, '6 decimals');
  }
  // a view the county lies wholly inside counts every incident of the window
  const all = await inRollback((tx) => one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [FROM, TO], 'counting', tx));
  assert.equal(r.total, all.n);
});

test('bins: every incident is counted in the hexagon whose centre is nearest (brute force over the answer)', { timeout: 120_000 }, async () => {
  const api = await caller();
  const view = viewBox(seat.lon, seat.lat, 14);
  const from = chinaDateOf(new Date(range.last.getTime() - 29 * 86_400_000));
  const r = await api.map.incidentBins({ bbox: view, zoom: 14, from, to: LAST });
  const snapped = snapView(view, 14, LIMITS.mapBins);
  const pts = await inRollback((tx) => many<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)`,
    [new Date(`${from}T00:00:00+08:00`), TO, ...snapped.bbox], 'the view’s incidents', tx,
  ));
  assert.ok(pts.length > 50, `${pts.length} incidents`);
  assert.equal(r.total, pts.length);
  const S = snapped.mercatorS;
  // the exact lattice centres behind the rounded ones (a rounded centre lies deep inside its hexagon)
  const centres = Array.from({ length: r.counts.length }, (_, i) => {
    const [q, rr] = hexOf(mercX(r.centres[2 * i]!), mercY(r.centres[2 * i + 1]!), S);
    return [1.5 * S * q, Math.sqrt(3) * S * (rr + q / 2)] as const;
  });
  const got = new Array<number>(r.counts.length).fill(0);
  for (const p of pts) {
    const x = mercX(p.lon), y = mercY(p.lat);
    let best = -1, bd = Infinity;
    centres.forEach(([cx, cy], i) => {
      const d = (cx - x) ** 2 + (cy - y) ** 2;
      if (d < bd) { bd = d; best = i; }
    });
    assert.ok(Math.sqrt(bd) <= S * 1.0001, 'inside its hexagon’s circumcircle');
    got[best]!++;
  }
  assert.deepEqual(got, r.counts);
});

test('bins: a category and an hour of day (China time) filter the same count', { timeout: 120_000 }, async () => {
  const api = await caller();
  const view = viewBox((county.w + county.e) / 2, (county.s + county.n) / 2, 11);
  const snapped = snapView(view, 11, LIMITS.mapBins);
  const theft = await api.map.incidentBins({ bbox: view, zoom: 11, from: FIRST_365, to: LAST, categories: ['盗窃'] });
  assert.equal(theft.total, await countIn(snapped.bbox, `AND category_code = 'criminal.theft'`));
  const parent = await api.map.incidentBins({ bbox: view, zoom: 11, from: FIRST_365, to: LAST, categories: ['criminal'] });
  assert.equal(parent.total, await countIn(snapped.bbox, `AND category_code LIKE 'criminal%'`));
  assert.ok(parent.total > theft.total && theft.total > 0);
  const evening = await api.map.incidentBins({ bbox: view, zoom: 11, from: FIRST_365, to: LAST, hour: 21 });
  assert.equal(evening.total, await countIn(snapped.bbox, `AND extract(hour FROM (occurred_at AT TIME ZONE 'UTC') + interval '8 hours') = 21`));
  const night = await api.map.incidentBins({ bbox: view, zoom: 11, from: FIRST_365, to: LAST, hour: 4 });
  assert.ok(evening.total > night.total, `21:00 ${evening.total} vs 04:00 ${night.total}`);
  const both = await api.map.incidentBins({ bbox: view, zoom: 11, from: FIRST_365, to: LAST, categories: ['criminal.theft'], hour: 21 });
  assert.equal(both.total, await countIn(snapped.bbox, `AND category_code = 'criminal.theft' AND extract(hour FROM (occurred_at AT TIME ZONE 'UTC') + interval '8 hours') = 21`));
});

test('bins: a view that would exceed the bin bound gets a coarser hexagon', { timeout: 120_000 }, async () => {
  const api = await caller();
  const wide: Bbox = [county.w - 0.5, county.s - 0.5, county.e + 0.5, county.n + 0.5];
  const natural = rungSize(rungForZoom(15));
  assert.ok(cellsIn(mercX(wide[2]) - mercX(wide[0]), mercY(wide[3]) - mercY(wide[1]), natural) > LIMITS.mapBins);
  const r = await api.map.incidentBins({ bbox: wide, zoom: 15, from: FIRST_365, to: LAST });
  const snapped = snapView(wide, 15, LIMITS.mapBins);
  assert.ok(snapped.mercatorS > natural && snapped.cells <= LIMITS.mapBins);
  assert.ok(r.sizeM > natural * Math.cos((25.7 * Math.PI) / 180), `${r.sizeM} m`);
  assert.equal(r.sizeM, snapped.sizeM);
  assert.ok(r.counts.length <= LIMITS.mapBins);
  assert.equal(r.total, await countIn(snapped.bbox));
});

test('bins: a township officer counts only the township’s incidents', { timeout: 120_000 }, async () => {
  const officer: Actor = { kind: 'user', id: 'user:test-map-officer', displayName: 'test', roles: ['township'], townships: [seat.code.trim()] };
  const view = viewBox((county.w + county.e) / 2, (county.s + county.n) / 2, 10);
  const snapped = snapView(view, 10, LIMITS.mapBins);
  const mine = await (await caller(officer)).map.incidentBins({ bbox: view, zoom: 10, from: FIRST_365, to: LAST });
  const all = await (await caller()).map.incidentBins({ bbox: view, zoom: 10, from: FIRST_365, to: LAST });
  const expected = await countIn(snapped.bbox, 'AND township_code = $7', [seat.code]);
  assert.ok(expected > 0 && expected < all.total);
  assert.equal(mine.total, expected);
  assert.equal(await countIn(snapped.bbox, '', [], officer), expected, 'row-level security agrees');
});

test('points: refused below zoom 14; capped at the limit with the true count; offsets within 1 m', { timeout: 120_000 }, async () => {
  const api = await caller();
  const view = viewBox(seat.lon, seat.lat, 15);
  await assert.rejects(() => api.map.incidentPoints({ bbox: view, zoom: 13, from: FIRST_365, to: LAST }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && /14/.test(e.message) && /[\u4e00-\u9fff]/.test(e.message));
  const r = await api.map.incidentPoints({ bbox: view, zoom: 15, from: FIRST_365, to: LAST, limit: 100 });
  const expected = await countIn(view);
  assert.ok(expected > 100, `${expected} in the view`);
  assert.equal(r.count, expected);
  assert.equal(r.capped, true);
  assert.equal(r.ids.length, 100);
  assert.equal(r.occurredAt.length, 100);
  const off = Buffer.from(r.offsets, 'base64');
  assert.equal(off.length, 100 * 2 * 4);
  const cats = Buffer.from(r.categories, 'base64');
  assert.equal(cats.length, 100);
  const rows = await inRollback((tx) => many<{ id: number; lon: number; lat: number; t: number; category: string }>(
    `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat, extract(epoch FROM occurred_at)::float8 AS t, category_code AS category FROM incidents WHERE id = ANY ($1::bigint[])`, [r.ids], 'the points’ rows', tx,
  ));
  const byId = new Map(rows.map((x) => [Number(x.id), x]));
  const newest = await inRollback((tx) => one<{ t: number }>(
    `SELECT extract(epoch FROM max(occurred_at))::float8 AS t FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)`, [FROM, TO, ...view], 'the newest', tx,
  ));
  assert.equal(r.occurredAt[0], newest.t, 'newest first');
  r.ids.forEach((id, i) => {
    const row = byId.get(id)!;
    const lon = r.origin[0] + off.readFloatLE(i * 8);
    const lat = r.origin[1] + off.readFloatLE(i * 8 + 4);
    const dx = (lon - row.lon) * 111_320 * Math.cos((row.lat * Math.PI) / 180);
    const dy = (lat - row.lat) * 110_574;
    assert.ok(Math.hypot(dx, dy) < 1, `incident ${id}: ${Math.hypot(dx, dy)} m`);
    assert.equal(r.occurredAt[i], row.t);
    assert.equal(r.categoryCodes[cats[i]!], row.category);
    if (i > 0) assert.ok(r.occurredAt[i]! <= r.occurredAt[i - 1]!, 'newest first');
  });
  const all = await api.map.incidentPoints({ bbox: viewBox(seat.lon, seat.lat, 18), zoom: 18, from: FIRST_365, to: LAST });
  assert.equal(all.capped, all.count > all.ids.length);
  assert.ok(all.ids.length <= LIMITS.mapPoints.default);
});

test('incident: the detail with category, township and grid names and the history in order', async () => {
  const api = await caller();
  const row = await inRollback((tx) => one<{ id: number }>(`SELECT i.id FROM incidents i WHERE grid_code IS NOT NULL AND EXISTS (SELECT 1 FROM incident_status_history h WHERE h.incident_id = i.id) ORDER BY id LIMIT 1`, [], 'an incident', tx));
  const d = await api.map.incident({ id: Number(row.id) });
  const expected = await inRollback((tx) => one<{ category_name: string; township_name: string; grid_name: string; n: number }>(
    `SELECT c.name AS category_name, t.name AS township_name, g.name AS grid_name,
            (SELECT count(*)::int FROM incident_status_history h WHERE h.incident_id = i.id) AS n
     FROM incidents i JOIN incident_categories c ON c.code = i.category_code JOIN admin_areas t ON t.code = i.township_code JOIN grids g ON g.code = i.grid_code
     WHERE i.id = $1`, [row.id], 'the incident by hand', tx,
  ));
  assert.equal(d.id, Number(row.id));
  assert.equal(d.categoryName, expected.category_name);
  assert.equal(d.townshipName, expected.township_name);
  assert.equal(d.gridName, expected.grid_name);
  assert.equal(d.history.length, expected.n);
  assert.ok(d.history.every((h, i) => i === 0 || h.changedAt >= d.history[i - 1]!.changedAt));
  assert.ok(d.history[0]!.changedAt >= d.occurredAt);
  await assert.rejects(() => api.map.incident({ id: 2_000_000_000 }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && /不存在/.test(e.message));
});

test('gridStats: the incidents sum to the window’s incidents with a grid code; rates per 1,000 residents', { timeout: 120_000 }, async () => {
  const api = await caller();
  const r = await api.map.gridStats({ from: FIRST_365, to: LAST });
  const expected = await inRollback((tx) => one<{ n: number; open: number; grids: number }>(
    `SELECT count(*)::int AS n, (count(*) FILTER (WHERE source = 'grid' AND status <> 'closed'))::int AS open, (SELECT count(*)::int FROM grids) AS grids
     FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND grid_code IS NOT NULL`, [FROM, TO], 'counting', tx,
  ));
  assert.equal(r.grids.length, expected.grids);
  assert.equal(r.grids.reduce((a, g) => a + g.incidents, 0), expected.n);
  assert.equal(r.grids.reduce((a, g) => a + g.openEvents, 0), expected.open);
  for (const g of r.grids) {
    if (g.population) assert.ok(Math.abs(g.ratePer1000! - (1000 * g.incidents) / g.population) < 0.001, g.code);
    else assert.equal(g.ratePer1000, null);
  }
  const theft = await api.map.gridStats({ from: FIRST_365, to: LAST, categories: ['盗窃'] });
  const t = await inRollback((tx) => one<{ n: number }>(`SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2 AND grid_code IS NOT NULL AND category_code = 'criminal.theft'`, [FROM, TO], 'counting thefts', tx));
  assert.equal(theft.grids.reduce((a, g) => a + g.incidents, 0), t.n);
});

test('hazards and places: every row, with Chinese type names and geometries', async () => {
  const api = await caller();
  const h = await api.map.hazards();
  const n = await inRollback((tx) => one<{ points: number; zones: number; rises: number; places: number }>(
    `SELECT (SELECT count(*)::int FROM hazards WHERE GeometryType(geom) = 'POINT') AS points, (SELECT count(*)::int FROM hazards WHERE GeometryType(geom) <> 'POINT') AS zones,
            (SELECT count(*)::int FROM high_rises) AS rises, (SELECT count(*)::int FROM places) AS places`, [], 'counting', tx,
  ));
  assert.equal(h.points.length, n.points);
  assert.equal(h.zones.length, n.zones);
  assert.equal(h.highRises.length, n.rises);
  assert.ok(n.points > 0 && n.zones > 0 && n.rises > 0);
  assert.ok(h.points.every((p) => /[\u4e00-\u9fff]/.test(p.kindName) && Number.isFinite(p.lon) && (p.riskLevel === null || [1, 2, 3, 4].includes(p.riskLevel))));
  assert.ok(h.zones.every((z) => ['Polygon', 'MultiPolygon'].includes(z.polygon.type) && z.kindName === '森林火险区'));
  const places = await api.map.places();
  assert.equal(places.length, n.places);
  assert.ok(places.every((p) => /[\u4e00-\u9fff]/.test(p.typeName)));
});

test('patrol: routes with paths, the extent, and tracks whose times are ascending from the start', { timeout: 120_000 }, async () => {
  const api = await caller();
  const routes = await api.map.patrolRoutes();
  assert.ok(routes.length > 0 && routes.every((r) => r.path.length >= 2));
  const ext = await api.map.patrolExtent();
  assert.ok(ext.first && ext.last && ext.first < ext.last);
  const to = new Date(ext.last!);
  const from = new Date(to.getTime() + 1000 - 24 * 3_600_000);
  const r = await api.map.patrolTracks({ from, to: new Date(to.getTime() + 1000) });
  assert.equal(r.start, Math.floor(from.getTime() / 1000));
  assert.ok(r.tracks.length > 0);
  const fixes = await inRollback((tx) => one<{ n: number }>('SELECT count(*)::int AS n FROM patrol_track_points WHERE recorded_at >= $1 AND recorded_at < $2', [from, new Date(to.getTime() + 1000)], 'counting fixes', tx));
  assert.equal(r.fixes, fixes.n);
  assert.equal(r.decimated, fixes.n > LIMITS.patrolFixes);
  for (const t of r.tracks) {
    assert.equal(t.path.length, t.times.length);
    assert.ok(t.times[0]! >= 0 && t.times.at(-1)! <= r.end - r.start);
    assert.ok(t.times.every((x, i) => i === 0 || x > t.times[i - 1]!), `${t.device}: ascending`);
  }
  const team = r.tracks[0]!.teamId!;
  const one1 = await api.map.patrolTracks({ from, to: new Date(to.getTime() + 1000), teamIds: [team] });
  assert.ok(one1.tracks.length > 0 && one1.tracks.every((t) => t.teamId === team));
  await assert.rejects(() => api.map.patrolTracks({ from, to: new Date(from.getTime() + 25 * 3_600_000) }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && /24/.test(e.message));
});

test('search: a camera by its GB/T 28181 id first, a place by part of its name, LIKE wildcards taken literally', async () => {
  const api = await caller();
  const cam = await inRollback((tx) => one<{ id: number; gb_id: string }>(`SELECT id, gb_id FROM cameras WHERE gb_id IS NOT NULL ORDER BY id LIMIT 1`, [], 'a camera', tx));
  const hits = await api.map.search({ q: cam.gb_id });
  assert.equal(hits[0]!.kind, 'camera');
  assert.equal(hits[0]!.id, String(cam.id));
  assert.match(hits[0]!.sub, /摄像机/);
  const place = await inRollback((tx) => one<{ id: number; name: string }>(`SELECT id, name FROM places WHERE char_length(name) >= 4 ORDER BY id LIMIT 1`, [], 'a place', tx));
  const part = [...place.name].slice(1, 3).join('');
  const found = await api.map.search({ q: part, limit: 20 });
  assert.ok(found.some((h) => h.kind === 'place' && h.id === String(place.id)), `${part} finds ${place.name}`);
  assert.ok(found.every((h) => h.label.includes(part) || h.kind === 'camera' || h.sub.includes(part)));
  // ranks: exact, then prefix, then contains
  const township = await api.map.search({ q: '城关' });
  assert.equal(township[0]!.label.startsWith('城关'), true);
  const road = (await api.map.search({ q: '路', limit: 20 })).find((h) => h.kind === 'road');
  if (road) assert.ok(road.bbox && road.bbox[0] <= road.lon && road.lon <= road.bbox[2] && road.bbox[1] <= road.lat && road.lat <= road.bbox[3]);
  // % and _ are literal: only the names that hold them match
  const r = await inRollback(async (tx) => {
    await tx.query(`INSERT INTO places (name, place_type, geom) VALUES ('测试%百分号', 'square', ST_SetSRID(ST_MakePoint(117.6, 25.7), 4326)), ('测试_下划线', 'square', ST_SetSRID(ST_MakePoint(117.6, 25.7), 4326)), ('测试甲乙', 'square', ST_SetSRID(ST_MakePoint(117.6, 25.7), 4326))`);
    return { pct: await search(tx, { q: '%' }), under: await search(tx, { q: '测试_' }), any: await search(tx, { q: '测试' }) };
  });
  assert.deepEqual(r.pct.map((h) => h.label), ['测试%百分号']);
  assert.deepEqual(r.under.map((h) => h.label), ['测试_下划线']);
  assert.equal(r.any.filter((h) => h.label.startsWith('测试')).length, 3);
  await assert.rejects(() => api.map.search({ q: '' }), (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST');
});

test('bad views are refused with Chinese sentences', async () => {
  const api = await caller();
  const bad: [string, () => Promise<unknown>][] = [
    ['west ≥ east', () => api.map.incidentBins({ bbox: [118, 25, 117, 26], zoom: 10, from: FIRST_365, to: LAST })],
    ['outside ±180', () => api.map.incidentBins({ bbox: [-190, 25, 117, 26], zoom: 10, from: FIRST_365, to: LAST })],
    ['zoom 23', () => api.map.incidentBins({ bbox: [117, 25, 118, 26], zoom: 23, from: FIRST_365, to: LAST })],
    ['to before from', () => api.map.incidentBins({ bbox: [117, 25, 118, 26], zoom: 10, from: LAST, to: FIRST_365 })],
    ['hour 24', () => api.map.incidentBins({ bbox: [117, 25, 118, 26], zoom: 10, from: FIRST_365, to: LAST, hour: 24 })],
    ['unknown category', () => api.map.incidentBins({ bbox: [117, 25, 118, 26], zoom: 10, from: FIRST_365, to: LAST, categories: ['不存在的类别'] })],
    ['11 years', () => api.map.gridStats({ from: '2010-01-01', to: '2021-01-02' })],
    ['points limit 5001', () => api.map.incidentPoints({ bbox: viewBox(seat.lon, seat.lat, 15), zoom: 15, from: FIRST_365, to: LAST, limit: 5001 })],
    ['points over a province', () => api.map.incidentPoints({ bbox: [110, 20, 120, 30], zoom: 14, from: FIRST_365, to: LAST })],
  ];
  for (const [what, call] of bad) {
    await assert.rejects(call, (e: unknown) => e instanceof TRPCError && e.code === 'BAD_REQUEST' && /[\u4e00-\u9fff]/.test(e.message), what);
  }
});
