// The risk layers' pure parts: the symbol atlas (every symbol has its three frames, inside
// the atlas, apart from each other, drawn inside its cell with room for the halo), the
// colour of a symbol's details against its fill, the risk and fire-facility colours, the
// place families covering the whole dictionary, high-rise zoom forms, the cluster
// summaries that tooltips and clicks read and the clustered-points builder (on a real
// supercluster index).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PickingInfo } from '@deck.gl/core';
import { atlasLayout, CELL, detailColor, drawFrame, frameKey, HALO, HALO_COLOR, ICON_MAPPING, legendShape, luminance, type IconFrame, SYMBOL_FRAMES, SYMBOLS, symbolAtlas, symbolLayers, type SymbolName } from '../../app/layers/symbols';
import { FACILITY_COLOR, facilityColor, facilityLabel, hazardSymbol, highRiseForm, OTHER_FAMILY, PLACE_FAMILIES, placeFamily, RISK_COLOR, RISK_LEVELS, RISK_UNKNOWN, riskColor, riskLabel } from '../../app/layers/hazards/styles';
import { hazardKindOf, placeGroupOf, sizeBand } from '../../app/layers/hazards/helpers';
import { bubbleTooltip, clusteredPoints, clusterIndex, clustersOf, clusterZoom, expandBubble, markerNavigation, markerSet, summarise, tally } from '../../app/layers/cluster';
import type { FlyTarget, LayerActions, Rgb } from '../../app/layers/types';
import HAZARD_TYPES from '../../geodata/dictionaries/hazard-types.json';
import PLACE_TYPES from '../../geodata/dictionaries/place-types.json';

const contrast = (a: Rgb, b: Rgb) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

test('the atlas holds a glyph, base and halo frame for every symbol, inside it and apart', () => {
  const { width, height, mapping } = atlasLayout();
  assert.equal(Object.keys(mapping).length, SYMBOLS.length * SYMBOL_FRAMES.length);
  const boxes: [string, number, number][] = [];
  for (const s of SYMBOLS) {
    for (const f of SYMBOL_FRAMES) {
      const m = mapping[frameKey(s, f)];
      assert.ok(m, `${s}/${f} is in the mapping`);
      assert.equal(m.mask, true);
      assert.equal(m.width, CELL);
      assert.equal(m.height, CELL);
      assert.ok(m.x >= 0 && m.y >= 0 && m.x + m.width <= width && m.y + m.height <= height, `${s}/${f} lies inside the ${width}×${height} atlas`);
      assert.ok(m.anchorX > 0 && m.anchorX < CELL && m.anchorY > 0 && m.anchorY < CELL);
      boxes.push([frameKey(s, f), m.x, m.y]);
    }
    // the three frames of a symbol stack exactly
    const [g, b, h] = SYMBOL_FRAMES.map((f) => mapping[frameKey(s, f)]!) as [IconFrame, IconFrame, IconFrame];
    assert.deepEqual([g.anchorX, g.anchorY], [b.anchorX, b.anchorY]);
    assert.deepEqual([g.anchorX, g.anchorY], [h.anchorX, h.anchorY]);
  }
  // no two frames overlap, and a gutter of at least 4 pixels keeps mipmaps apart
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [, x1, y1] = boxes[i]!;
      const [, x2, y2] = boxes[j]!;
      const apart = Math.abs(x1 - x2) >= CELL + 4 || Math.abs(y1 - y2) >= CELL + 4;
      assert.ok(apart, `${boxes[i]![0]} and ${boxes[j]![0]} are apart`);
    }
  }
  assert.equal(ICON_MAPPING.pin!.anchorY, 57, 'a pin stands on its tip');
  assert.equal(frameKey('triangle'), 'triangle');
  assert.equal(frameKey('triangle', 'halo'), 'triangle:halo');
});

/** A 2D context that records the extent of what is filled and stroked. */
function recorder() {
  let ox = 0, oy = 0;
  let path: [number, number][] = [];
  const drawn = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, fills: 0, cuts: 0 };
  const add = (x: number, y: number) => path.push([x + ox, y + oy]);
  const extend = (grow: number) => {
    for (const [x, y] of path) {
      drawn.minX = Math.min(drawn.minX, x - grow); drawn.maxX = Math.max(drawn.maxX, x + grow);
      drawn.minY = Math.min(drawn.minY, y - grow); drawn.maxY = Math.max(drawn.maxY, y + grow);
    }
  };
  const ctx = {
    fillStyle: '', strokeStyle: '', lineJoin: '', lineCap: '', lineWidth: 1, globalCompositeOperation: 'source-over',
    save() {}, restore() { ox = 0; oy = 0; },
    translate(x: number, y: number) { ox += x; oy += y; },
    beginPath() { path = []; }, closePath() {},
    moveTo: add, lineTo: add,
    arcTo(x1: number, y1: number, x2: number, y2: number) { add(x1, y1); add(x2, y2); },
    bezierCurveTo(a: number, b: number, c: number, d: number, e: number, f: number) { add(a, b); add(c, d); add(e, f); },
    arc(x: number, y: number, r: number) { add(x - r, y - r); add(x + r, y + r); },
    ellipse(x: number, y: number, rx: number, ry: number) { add(x - rx, y - ry); add(x + rx, y + ry); },
    rect(x: number, y: number, w: number, h: number) { add(x, y); add(x + w, y + h); },
    fill() { if (this.globalCompositeOperation === 'destination-out') drawn.cuts++; else { drawn.fills++; extend(0); } },
    stroke() { extend(this.lineWidth / 2); },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, drawn };
}

test('every symbol draws inside its cell, halo included, and the glyphs with details cut them out', () => {
  const detailed = new Set<SymbolName>();
  for (const s of SYMBOLS) {
    for (const f of SYMBOL_FRAMES) {
      const { ctx, drawn } = recorder();
      drawFrame(ctx, s, f, 100, 200);
      assert.ok(drawn.fills >= 1, `${s}/${f} fills something`);
      assert.ok(drawn.minX >= 100 && drawn.minY >= 200 && drawn.maxX <= 100 + CELL && drawn.maxY <= 200 + CELL,
        `${s}/${f} stays in its cell: x ${drawn.minX - 100}–${drawn.maxX - 100}, y ${drawn.minY - 200}–${drawn.maxY - 200}`);
      if (f === 'halo') assert.ok(drawn.maxX - drawn.minX >= 2 * HALO + 20, `${s} halo is grown by the halo width`);
      if (f !== 'glyph') assert.equal(drawn.cuts, 0, `${s}/${f} is a plain silhouette`);
      if (f === 'glyph' && drawn.cuts > 0) detailed.add(s);
    }
  }
  for (const s of ['triangle', 'fire', 'building', 'camera', 'pin'] as const) assert.ok(detailed.has(s), `${s} has details cut out`);
  assert.ok(!detailed.has('circle') && !detailed.has('diamond'));
});

test('without a DOM there is no atlas and no symbol layers, rather than a crash', () => {
  assert.equal(symbolAtlas(), null);
  assert.deepEqual(symbolLayers({ id: 'x', data: [{}], getPosition: () => [0, 0], getSymbol: 'pin', getColor: () => [1, 2, 3] }), []);
});

test('legend swatches exist for every symbol', () => {
  const allowed = new Set(['fill', 'line', 'dashed', 'point', 'square', 'triangle', 'diamond', 'ring']);
  for (const s of SYMBOLS) assert.ok(allowed.has(legendShape(s)), s);
  assert.equal(legendShape('triangle'), 'triangle');
  assert.equal(legendShape('diamond'), 'diamond');
  assert.equal(legendShape('circle'), 'point');
});

test('risk levels take the Chinese warning colours: red, orange, yellow, blue; others grey', () => {
  const [red, orange, yellow, blue] = RISK_LEVELS.map((l) => riskColor(l)) as [Rgb, Rgb, Rgb, Rgb];
  assert.ok(red[0] > 200 && red[1] < 60 && red[2] < 60, 'level 1 is red');
  assert.ok(orange[0] > 200 && orange[1] > 80 && orange[1] < 160 && orange[2] < 60, 'level 2 is orange');
  assert.ok(yellow[0] > 200 && yellow[1] > 180 && yellow[2] < 60, 'level 3 is yellow');
  assert.ok(blue[2] > 150 && blue[0] < 80, 'level 4 is blue');
  assert.equal(new Set(RISK_LEVELS.map((l) => RISK_COLOR[l].join())).size, 4);
  for (const v of [null, undefined, 0, 5, 2.5]) assert.deepEqual(riskColor(v as number | null), RISK_UNKNOWN);
  // red, orange and yellow stay apart in lightness too (for red-green colour blindness)
  assert.ok(luminance(red) < luminance(orange) && luminance(orange) < luminance(yellow));
  assert.equal(riskLabel(1), '极高(一级)');
  assert.equal(riskLabel(4), '低(四级)');
  assert.equal(riskLabel(null), '未评定');
});

test('symbol details stand out from every fill colour used on the map', () => {
  assert.deepEqual(detailColor([250, 200, 0]), HALO_COLOR, 'dark details on yellow');
  assert.deepEqual(detailColor([215, 25, 28]), [255, 255, 255], 'white details on red');
  const fills: Rgb[] = [...RISK_LEVELS.map((l) => RISK_COLOR[l]), RISK_UNKNOWN, ...Object.values(FACILITY_COLOR), ...PLACE_FAMILIES.map((f) => f.color), OTHER_FAMILY.color];
  for (const c of fills) assert.ok(contrast(c, detailColor(c)) >= 2.5, `details on rgb(${c.join(',')}): contrast ${contrast(c, detailColor(c)).toFixed(2)}`);
});

test('hazard symbols follow the dictionary: geological types are triangles, fire key units flames in a square', () => {
  for (const t of HAZARD_TYPES) {
    const s = hazardSymbol(t.code, hazardKindOf(t.code));
    if (t.kind === 'geological') assert.equal(s, 'triangle', t.code);
    else assert.notEqual(s, 'triangle', t.code);
  }
  assert.equal(hazardSymbol('fire_key_unit', 'fire'), 'fire');
  assert.equal(hazardSymbol('imported_code', hazardKindOf('imported_code')), 'diamond');
});

test('every place type of the dictionary belongs to a family with its own colour and symbol', () => {
  for (const t of PLACE_TYPES) assert.notEqual(placeFamily(placeGroupOf(t.code)), OTHER_FAMILY, `${t.code} (${t.group}) has a family`);
  assert.equal(placeFamily(placeGroupOf('no_such_type')), OTHER_FAMILY);
  const pairs = PLACE_FAMILIES.map((f) => `${f.color.join()}/${f.symbol}`);
  assert.equal(new Set(pairs).size, pairs.length, 'no two families look alike');
  assert.equal(new Set(PLACE_FAMILIES.map((f) => f.color.join())).size, PLACE_FAMILIES.length, 'colours differ');
});

test('fire facility status colours and the zoom forms of high-rises', () => {
  assert.deepEqual(facilityColor('defective'), FACILITY_COLOR.defective);
  assert.deepEqual(facilityColor('bogus'), FACILITY_COLOR.unknown);
  assert.equal(facilityLabel('normal'), '消防设施正常');
  assert.equal(facilityLabel('defective'), '存在隐患');
  assert.equal(facilityLabel(null), '未知');
  assert.deepEqual([9.5, 14.9, 15, 15.99, 16, 18].map(highRiseForm), ['symbol', 'symbol', 'footprint', 'footprint', 'extruded', 'extruded']);
});

test('cluster zoom bands, tallies and bubble summaries on a real index; a bubble click flies to where it breaks up', () => {
  assert.equal(clusterZoom({ bbox: [0, 0, 1, 1], zoom: 9.7 }, 12), 9);
  assert.equal(clusterZoom({ bbox: [0, 0, 1, 1], zoom: 17.2 }, 12), 13);
  assert.equal(clusterZoom(null, 12), 9);
  assert.deepEqual([9.5, 11.99, 12, 14.9, 15, 18].map((zoom) => sizeBand({ bbox: [0, 0, 1, 1], zoom })), [0, 0, 1, 1, 2, 2]);
  assert.equal(tally(['高', '低', '高', '中', '高', '低']), '高 3 · 低 2 · 中 1');
  assert.equal(tally(['a', 'b', 'c'], 2).split(' · ').length, 2);

  // 30 points within ~300 m, risk 1 every third one, and one far away
  const pts = Array.from({ length: 30 }, (_, i) => ({ lon: 110 + (i % 6) * 0.0005, lat: 30 + Math.floor(i / 6) * 0.0005, props: { level: i % 3 === 0 ? '极高' : '低' } }));
  pts.push({ lon: 111, lat: 31, props: { level: '中' } });
  const idx = clusterIndex(pts, { maxZoom: 12 });
  const at9 = clustersOf(idx, { bbox: [-180, -85, 180, 85], zoom: 9 });
  assert.equal(at9.bubbles.length, 1);
  assert.equal(at9.bubbles[0]!.count, 30);
  assert.equal(at9.singles.length, 1);
  const [b] = summarise(idx, at9.bubbles, (p) => p.level);
  assert.equal(b!.summary, '低 20 · 极高 10');
  assert.ok(b!.expansionZoom > 9 && b!.expansionZoom <= 13, `breaks up at ${b!.expansionZoom}`);
  assert.equal(clustersOf(idx, { bbox: [-180, -85, 180, 85], zoom: 13 }).bubbles.length, 0, 'nothing clusters above the max zoom');

  const flights: FlyTarget[] = [];
  const act: LayerActions = { select: () => {}, flyTo: (t) => flights.push(t) };
  const info = (id: string, object: unknown) => ({ layer: { id }, object }) as unknown as PickingInfo;
  assert.equal(expandBubble(info('hazards:clusters', b), act), true);
  assert.deepEqual(flights, [{ lon: b!.lon, lat: b!.lat, zoom: Math.min(18, b!.expansionZoom + 0.5) }]);
  assert.equal(expandBubble(info('hazards', { id: 3, lon: 1, lat: 2 }), act), false, 'a lone hazard is selected, not expanded');
  assert.equal(flights.length, 1);
  assert.equal(bubbleTooltip(b, '处风险隐患点', '风险等级:'), '30 处风险隐患点\n风险等级:低 20 · 极高 10\n点击放大查看');
});

test('the clustered-points builder: lone markers for the module, summarised bubbles above them; markers found by id', () => {
  const markers = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, lon: 110 + (i % 6) * 0.0005, lat: 30 + Math.floor(i / 6) * 0.0005, level: i % 3 === 0 ? '极高' : '低' }));
  markers.push({ id: 99, lon: 111, lat: 31, level: '中' });
  const set = markerSet(markers, { maxZoom: 12 });
  assert.equal(set.byId.get(99), markers[30]);
  const at9 = clusteredPoints(set.index, 9, { id: 'hazards', color: [1, 2, 3], labelOf: (m) => m.level });
  assert.deepEqual(at9.singles.map((m) => m.id), [99]);
  assert.deepEqual(at9.bubbles.map((l) => l.id), ['hazards:clusters', 'hazards:cluster-counts']);
  assert.equal((at9.bubbles[0]!.props.data as { summary: string }[])[0]!.summary, '低 20 · 极高 10');
  const at13 = clusteredPoints(set.index, 13, { id: 'hazards', color: [1, 2, 3], labelOf: (m) => m.level });
  assert.equal(at13.singles.length, 31);
  assert.deepEqual(at13.bubbles, [], 'no bubble layers once nothing clusters');

  const nav = markerNavigation(15);
  assert.equal(nav.find(set, '99'), markers[30]);
  assert.equal(nav.find(set, 1234), undefined);
  assert.deepEqual(nav.locate(markers[30]), { lon: 111, lat: 31, zoom: 15 });
  assert.equal(nav.onClick, expandBubble);
});
