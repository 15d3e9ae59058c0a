// The pure helpers of the camera, coverage-gap and patrol layers: where a patrol's head is
// at a second of the day, clock labels, splitting tracks at silences, shift text, team
// colours, camera status counts (the legend's counts add up to the cameras), bearings,
// which township holds a point, and uncovered places summed per township.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureCollection } from 'geojson';
import { advance, dayWindow, headAt, hhmm, LAST_SECOND, pathLengthM, shiftText, splitTrips, TEAM_PALETTE, teamColor, TRIP_GAP_S } from '../../app/layers/patrols/playback';
import { areaLocator, bearingText, statusCounts, statusOf } from '../../app/layers/cameras/status';
import { placeAggregates } from '../../app/layers/coverage-gaps/aggregate';

const track = {
  path: [[117.0, 25.0], [117.01, 25.0], [117.01, 25.02], [117.5, 25.5]] as [number, number][],
  // 08:00, 08:01:40, 08:05:00, then silent for 2 h (off duty) until 10:05
  times: [28_800, 28_900, 29_100, 36_300],
};

test('headAt: exact fixes, linear interpolation between them, nothing outside the track or across a silence', () => {
  assert.deepEqual(headAt(track, 28_800), [117.0, 25.0]);
  assert.deepEqual(headAt(track, 28_900), [117.01, 25.0]);
  // a quarter of the way from fix 0 to fix 1
  const q = headAt(track, 28_825)!;
  assert.ok(Math.abs(q[0] - 117.0025) < 1e-9 && Math.abs(q[1] - 25.0) < 1e-9, `got ${q}`);
  // half way from fix 1 (28 900) to fix 2 (29 100)
  const h = headAt(track, 29_000)!;
  assert.ok(Math.abs(h[0] - 117.01) < 1e-9 && Math.abs(h[1] - 25.01) < 1e-9, `got ${h}`);
  assert.equal(headAt(track, 28_799), null, 'before the first fix');
  assert.equal(headAt(track, 36_301), null, 'after the last fix');
  assert.equal(headAt(track, 30_000), null, 'inside the 2-hour silence');
  assert.deepEqual(headAt(track, 36_300), [117.5, 25.5], 'at the last fix');
  // a longer gap allowance interpolates across it
  const across = headAt(track, (29_100 + 36_300) / 2, 3 * 3600)!;
  assert.ok(Math.abs(across[0] - 117.255) < 1e-9 && Math.abs(across[1] - 25.26) < 1e-9, `got ${across}`);
  assert.equal(headAt({ path: [], times: [] }, 100), null);
});

test('splitTrips: a silence longer than 15 minutes starts a new trip; single fixes make no trip', () => {
  const trips = splitTrips({ device: 'PT-01', teamId: 1, teamName: '一队', ...track });
  assert.equal(trips.length, 1, 'the lone fix after the silence is no trip');
  assert.deepEqual(trips[0]!.timestamps, [28_800, 28_900, 29_100]);
  assert.equal(trips[0]!.path.length, 3);
  const two = splitTrips({ device: 'PT-01', teamId: 1, teamName: '一队', path: [...track.path, [117.6, 25.6]], times: [...track.times, 36_400] });
  assert.deepEqual(two.map((t) => t.timestamps), [[28_800, 28_900, 29_100], [36_300, 36_400]]);
  assert.equal(TRIP_GAP_S, 900);
});

test('hhmm: seconds of the day as HH:MM, clamped to the day', () => {
  assert.equal(hhmm(0), '00:00');
  assert.equal(hhmm(59), '00:00');
  assert.equal(hhmm(60), '00:01');
  assert.equal(hhmm(8 * 3600 + 5 * 60 + 59), '08:05');
  assert.equal(hhmm(13 * 3600 + 30 * 60), '13:30');
  assert.equal(hhmm(LAST_SECOND), '23:59');
  assert.equal(hhmm(90_000), '23:59');
  assert.equal(hhmm(-5), '00:00');
  assert.equal(hhmm(Number.NaN), '00:00');
});

test('dayWindow: a China day is [its midnight, the next) in UTC', () => {
  assert.deepEqual(dayWindow('2026-11-13'), { from: '2026-11-12T16:00:00.000Z', to: '2026-11-13T16:00:00.000Z' });
});

test('advance: 10 simulated minutes per real second, stopping at the day’s last second', () => {
  assert.equal(advance(3600, 1000, 600), 4200);
  assert.equal(advance(3600, 100, 600), 3660);
  assert.equal(advance(86_000, 1000, 600), LAST_SECOND);
  assert.equal(advance(LAST_SECOND, 100, 600), null);
});

test('shiftText: shifts grouped by their days', () => {
  assert.equal(shiftText([{ start: '10:00', end: '12:00', days: [1, 2, 3, 4, 5, 6, 7] }, { start: '20:00', end: '22:00', days: [1, 2, 3, 4, 5, 6, 7] }]), '10:00–12:00、20:00–22:00(每天)');
  assert.equal(shiftText([{ start: '08:00', end: '10:00', days: [1, 2, 3, 4, 5] }, { start: '19:00', end: '23:00', days: [6, 7] }]), '08:00–10:00(工作日);19:00–23:00(周末)');
  assert.equal(shiftText([{ start: '21:00', end: '23:00', days: [1, 3, 5] }]), '21:00–23:00(周一、三、五)');
  assert.equal(shiftText([]), '未排班');
  assert.equal(shiftText(null), '未排班');
  assert.equal(shiftText([{ nonsense: true }]), '未排班');
});

test('teamColor: fixed by team id, distinct for ten teams, grey without a team', () => {
  const ten = Array.from({ length: 10 }, (_, i) => teamColor(i + 1).join());
  assert.equal(new Set(ten).size, 10);
  assert.deepEqual(teamColor(1), TEAM_PALETTE[0]);
  assert.deepEqual(teamColor(11), TEAM_PALETTE[0]);
  assert.deepEqual(teamColor(null), [134, 142, 150]);
});

test('pathLengthM: one degree of latitude is about 111.2 km', () => {
  const m = pathLengthM([[117, 25], [117, 26]]);
  assert.ok(Math.abs(m - 111_195) < 10, `got ${m}`);
  assert.equal(pathLengthM([[117, 25]]), 0);
});

test('statusCounts: every camera is counted once, and the counts add up to the cameras', () => {
  const cams = [
    { status: 'online' }, { status: 'online' }, { status: 'online' },
    { status: 'offline' }, { status: 'faulty' }, { status: 'faulty' },
    { status: 'unknown' }, { status: 'retired' }, { status: null },
  ];
  const c = statusCounts(cams);
  assert.deepEqual(c, { online: 3, offline: 1, faulty: 2, unknown: 3 });
  assert.equal(c.online + c.offline + c.faulty + c.unknown, cams.length);
  assert.deepEqual(statusCounts([]), { online: 0, offline: 0, faulty: 0, unknown: 0 });
  assert.equal(statusOf('faulty'), 'faulty');
  assert.equal(statusOf(undefined), 'unknown');
});

test('bearingText: degrees with the compass word', () => {
  assert.equal(bearingText(0), '0°(北)');
  assert.equal(bearingText(267.2), '267°(西)');
  assert.equal(bearingText(135), '135°(东南)');
  assert.equal(bearingText(350), '350°(北)');
  assert.equal(bearingText(-45), '315°(西北)');
  assert.equal(bearingText(null), null);
});

const townships: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    // a square with a square hole
    { type: 'Feature', properties: { name: '甲镇' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], [[0.5, 0.5], [1, 0.5], [1, 1], [0.5, 1], [0.5, 0.5]]] } },
    { type: 'Feature', properties: { name: '乙乡' }, geometry: { type: 'MultiPolygon', coordinates: [[[[3, 0], [4, 0], [4, 1], [3, 1], [3, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] } },
  ],
};

test('areaLocator: the township holding a point (holes and multipolygons respected)', () => {
  const where = areaLocator(townships);
  assert.equal(where(1.5, 1.5), '甲镇');
  assert.equal(where(0.75, 0.75), null, 'in the hole');
  assert.equal(where(3.5, 0.5), '乙乡');
  assert.equal(where(5.8, 5.5), '乙乡');
  assert.equal(where(10, 10), null);
  assert.equal(areaLocator(undefined)(1, 1), null);
});

test('placeAggregates: per township a count, the mean position, the box and the commonest kinds', () => {
  const places = [
    { code: 'A', name: '甲镇', kind: '中小学校', lon: 1, lat: 1 },
    { code: 'A', name: '甲镇', kind: '中小学校', lon: 3, lat: 2 },
    { code: 'A', name: '甲镇', kind: '网吧', lon: 2, lat: 3 },
    { code: 'B', name: '乙乡', kind: '加油站', lon: 10, lat: 10 },
  ];
  const a = placeAggregates(places, (p) => p.code, (p) => p.name, (p) => p.kind);
  assert.equal(a.length, 2);
  assert.equal(a[0]!.code, 'A');
  assert.equal(a[0]!.count, 3);
  assert.equal(a[0]!.lon, 2);
  assert.equal(a[0]!.lat, 2);
  assert.deepEqual(a[0]!.bbox, [1, 1, 3, 3]);
  assert.equal(a[0]!.summary, '中小学校 2 · 网吧 1');
  assert.equal(a[1]!.name, '乙乡');
  assert.equal(a.reduce((s, x) => s + x.count, 0), places.length);
});
