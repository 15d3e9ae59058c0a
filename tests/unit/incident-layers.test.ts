// The incident layers' pure helpers: the binary point payload, playback frames, count classes
// and the hexagon size the heat is drawn with (against the server's own lattice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, bytesFromBase64, categoryName, clampFrame, classLabels, colorsOf, countBreaks, countClass, decodePoints, float32FromBase64,
  frameCount, frameLabel, frameWindow, HEAT_RAMP, hexRadius, metresText, nextFrame, pointPosition, TOP_CATEGORIES, topCategoryOf, viewQuery, windowDays,
  CATEGORY_COLORS, OTHER_COLOR, POINT_ALPHA, type PointsAnswer,
} from '../../app/layers/incidents/helpers';
import { hexCentre, hexOf, MERCATOR_M_PER_PX_Z0, mercX, mercY, snapView, type Bbox } from '../../server/services/map/lattice';

/** As the server writes offsets (server/services/map/incidents.ts): little-endian float32, base64. */
function f32Base64(values: number[]): string {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeFloatLE(v, i * 4));
  return buf.toString('base64');
}

test('base64 decodes to the bytes and the little-endian floats the server wrote', () => {
  assert.deepEqual([...bytesFromBase64(Buffer.from([0, 1, 2, 250, 255]).toString('base64'))], [0, 1, 2, 250, 255]);
  assert.equal(bytesFromBase64('').length, 0);
  const f = float32FromBase64(f32Base64([0.0123, -0.0456, 1.5, -2]));
  assert.ok(f instanceof Float32Array);
  assert.deepEqual([...f], [Math.fround(0.0123), Math.fround(-0.0456), 1.5, -2]);
  assert.throws(() => float32FromBase64(Buffer.from([1, 2, 3]).toString('base64')), /not a multiple of 4/);
});

test('colours per point come from the palette by index, with the fallback outside it', () => {
  const c = colorsOf(Uint8Array.from([1, 0, 7]), [[10, 20, 30], [40, 50, 60]], [1, 2, 3], 200);
  assert.deepEqual([...c], [40, 50, 60, 200, 10, 20, 30, 200, 1, 2, 3, 200]);
});

test('categories: the six top-level ones in order, names and parents of sub-categories', () => {
  assert.deepEqual(TOP_CATEGORIES.map((c) => c.name), ['刑事案件', '治安案件', '矛盾纠纷', '火灾', '交通事故', '信访']);
  assert.equal(topCategoryOf('criminal.theft'), 'criminal');
  assert.equal(topCategoryOf('fire'), 'fire');
  assert.equal(topCategoryOf('unknown.thing'), 'unknown');
  assert.equal(categoryName('dispute.labour'), '劳资纠纷');
  assert.equal(categoryName('nope'), 'nope');
  // every top-level category has its own colour
  const colours = TOP_CATEGORIES.map((c) => CATEGORY_COLORS[c.code]!.join(','));
  assert.equal(new Set(colours).size, TOP_CATEGORIES.length);
});

test('a points answer decodes once into positions, colours by top category, ids and tallies', () => {
  const origin: [number, number] = [117.123456, 26.234567];
  const pts = [[0.0012, -0.0021], [-0.0101, 0.0055], [0.0003, 0.0004]];
  const a: PointsAnswer = {
    count: 5, capped: true, origin,
    offsets: f32Base64(pts.flat()),
    categoryCodes: ['criminal.theft', 'fire.building', 'new.code'],
    categories: Buffer.from([0, 1, 0]).toString('base64'),
    ids: [901, 77, 15], occurredAt: [1_772_000_000, 1_771_000_000, 1_770_000_000],
  };
  const d = decodePoints(a, '全部时段');
  assert.equal(d.binary.length, 3);
  assert.equal(d.binary.attributes.getPosition.size, 2);
  assert.equal(d.binary.attributes.getPosition.value, d.offsets);
  assert.equal(d.binary.src, d, 'a picked layer leads back to the ids');
  const [lon, lat] = pointPosition(d, 1);
  assert.ok(Math.abs(lon - (origin[0] - 0.0101)) < 1e-7 && Math.abs(lat - (origin[1] + 0.0055)) < 1e-7);
  assert.deepEqual([...d.binary.attributes.getFillColor.value], [...CATEGORY_COLORS.criminal!, POINT_ALPHA, ...CATEGORY_COLORS.fire!, POINT_ALPHA, ...CATEGORY_COLORS.criminal!, POINT_ALPHA]);
  assert.deepEqual([...d.tally], [['criminal', 2], ['fire', 1]]);
  assert.equal(d.ids[2], 15);
  // an unknown code gets the neutral colour
  const u = decodePoints({ ...a, categories: Buffer.from([2, 2, 2]).toString('base64') }, '');
  assert.deepEqual([...u.binary.attributes.getFillColor.value.slice(0, 3)], OTHER_COLOR);
  // arrays of different lengths are a broken answer, not silently misdrawn
  assert.throws(() => decodePoints({ ...a, ids: [1, 2] }, ''), /2 ids, 3 positions/);
});

test('day frames: index from the window start, one day each; hour frames: the whole window at that hour', () => {
  const f = { from: '2026-02-25', to: '2026-03-02', categories: [] as string[] };
  assert.equal(windowDays(f.from, f.to), 6); // 2026 is not a leap year
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.deepEqual(frameWindow({ ...f, play: null }), { from: '2026-02-25', to: '2026-03-02' });
  assert.deepEqual(frameWindow({ ...f, play: { mode: 'day', index: 4 } }), { from: '2026-03-01', to: '2026-03-01' });
  assert.deepEqual(frameWindow({ ...f, play: { mode: 'hour', index: 20 } }), { from: '2026-02-25', to: '2026-03-02', hour: 20 });
  // a link's index past the window is the last day, not a day outside it
  assert.deepEqual(frameWindow({ ...f, play: { mode: 'day', index: 99 } }), { from: '2026-03-02', to: '2026-03-02' });
  assert.equal(clampFrame('hour', 30, f.from, f.to), 23);
  assert.equal(frameCount('day', f.from, f.to), 6);
  assert.equal(frameCount('hour', f.from, f.to), 24);
  assert.deepEqual(nextFrame({ mode: 'day', index: 4 }, f.from, f.to), { mode: 'day', index: 5 });
  assert.deepEqual(nextFrame({ mode: 'day', index: 5 }, f.from, f.to), { mode: 'day', index: 0 });
  assert.deepEqual(nextFrame({ mode: 'hour', index: 23 }, f.from, f.to), { mode: 'hour', index: 0 });
  assert.equal(frameLabel({ ...f, play: { mode: 'day', index: 4 } }), '2026-03-01(周日)');
  assert.equal(frameLabel({ ...f, play: { mode: 'hour', index: 20 } }), '20 时');
  assert.equal(frameLabel({ ...f, play: null }), '全部时段');
});

test('the query input carries only what the frame sets (so the prefetched key is the one asked next)', () => {
  const view = { bbox: [117, 26, 117.5, 26.5] as [number, number, number, number], zoom: 10 };
  const f = { from: '2026-02-25', to: '2026-03-02', categories: [] as string[] };
  assert.deepEqual(viewQuery(view, { ...f, play: null }), { bbox: view.bbox, zoom: 10, from: f.from, to: f.to });
  assert.deepEqual(viewQuery(view, { ...f, categories: ['fire'], play: { mode: 'hour', index: 0 } }), { bbox: view.bbox, zoom: 10, from: f.from, to: f.to, categories: ['fire'], hour: 0 });
  const next = nextFrame({ mode: 'day', index: 1 }, f.from, f.to);
  assert.deepEqual(viewQuery(view, { ...f, play: next }), { bbox: view.bbox, zoom: 10, from: '2026-02-27', to: '2026-02-27' });
});

test('count classes: log steps over skewed counts, whole bounds, every class reachable', () => {
  const skewed = [...Array(500).fill(1), ...Array(200).fill(2), ...Array(80).fill(4), 7, 9, 15, 30, 60, 120];
  const b = countBreaks(skewed);
  // e^(ln 121 · i/5), rounded: 2.6, 6.8, 17.8, 46.4
  assert.deepEqual(b, [3, 7, 18, 46]);
  assert.equal(b.length, HEAT_RAMP.length - 1);
  assert.equal(countClass(1, b), 0);
  assert.equal(countClass(2, b), 0);
  assert.equal(countClass(3, b), 1);
  assert.equal(countClass(120, b), 4);
  assert.deepEqual(classLabels(b, 1, 120), ['1–2 起', '3–6 起', '7–17 起', '18–45 起', '46–120 起']);
  // few distinct counts: one class each
  assert.deepEqual(countBreaks([1, 1, 2, 3]), [2, 3]);
  assert.deepEqual(classLabels([2, 3], 1, 3), ['1 起', '2 起', '3 起']);
  // all the same, or nothing: one class
  assert.deepEqual(countBreaks([4, 4, 4]), []);
  assert.deepEqual(classLabels([], 4, 4), ['4 起']);
  assert.deepEqual(countBreaks([]), []);
  // a long tail: bounds strictly increase and stay within the counts
  const wide = countBreaks([1, 2, 3, 5000]);
  assert.deepEqual(wide, [5, 30, 166, 910]); // e^(ln 5001 · i/5)
  for (let i = 1; i < wide.length; i++) assert.ok(wide[i]! > wide[i - 1]!);
  // a narrow range just above k: bounds pushed apart by at least 1
  assert.deepEqual(countBreaks([1, 6]), [2, 3, 4, 5]);
});

test('the hexagon radius is the server rung recovered from sizeM: neighbours share edges in the drawn space', () => {
  const views: [Bbox, number][] = [
    [[116.5, 25.9, 117.4, 26.7], 9.5], // the demo county at county zoom
    [[117.05, 26.2, 117.12, 26.25], 15], // a street
    [[117.0, 26.0, 117.6, 26.4], 11],
    [[5.0, 59.5, 12.0, 62.0], 8], // far north: cos φ ≈ 0.5
    [[-70.0, -34.0, -69.0, -33.0], 10], // southern hemisphere
  ];
  for (const [bbox, zoom] of views) {
    for (const maxBins of [200_000, 5_000, 800]) {
      const sv = snapView(bbox, zoom, maxBins);
      const lat = (bbox[1] + bbox[3]) / 2;
      const h = hexRadius(sv.sizeM, lat);
      assert.equal(h.rung, sv.rung, `rung at ${bbox} z${zoom} ≤${maxBins}`);
      assert.ok(Math.abs(h.mercatorS - sv.mercatorS) < 1e-9 * sv.mercatorS);
      assert.ok(Math.abs(h.radiusCommon * MERCATOR_M_PER_PX_Z0 - sv.mercatorS) < 1e-9 * sv.mercatorS);
      // two hexagons stacked in a column (q, r) and (q, r + 1) are √3·S apart: flat edge to flat edge
      const [q, r] = hexOf(mercX((bbox[0] + bbox[2]) / 2), mercY(lat), sv.mercatorS);
      const a = hexCentre(q, r, sv.mercatorS);
      const b = hexCentre(q, r + 1, sv.mercatorS);
      const apartCommon = (mercY(b[1]) - mercY(a[1])) / MERCATOR_M_PER_PX_Z0;
      assert.ok(Math.abs(apartCommon - Math.sqrt(3) * h.radiusCommon) < 1e-6 * apartCommon);
      // and the next column (q + 1, r) is 1.5·S east: vertex-to-edge as a flat-top lattice
      const c = hexCentre(q + 1, r, sv.mercatorS);
      assert.ok(Math.abs((mercX(c[0]) - mercX(a[0])) / MERCATOR_M_PER_PX_Z0 - 1.5 * h.radiusCommon) < 1e-6 * h.radiusCommon);
    }
  }
});

test('lengths for the note', () => {
  assert.equal(metresText(398.6), '399 米');
  assert.equal(metresText(1234), '1.2 千米');
  assert.equal(metresText(23_456), '23 千米');
});
