// Basemaps (lib/basemaps.ts): the configuration an operator writes (BASEMAPS, BASEMAP_URL,
// BASEMAP_DEFAULT, PMTILES_DIR) and its start-up sentences, the CSP's tile origins, the style
// each source gives (app/map/basemap-style.ts), and the GCJ-02 shift: our GeoJSON exactly,
// deck.gl overlays by a per-view affine model matrix, whose worst error over the demo county
// is measured here (the README quotes these numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeatureCollection, Polygon } from 'geojson';
import { ConfigError, readEnv } from '../../server/env';
import { contentSecurityPolicy } from '../../app/web-edge';
import {
  applyMatrix,
  basemapConfig,
  basemapOrigins,
  fitGcj,
  fitOffset,
  gcjModelMatrix,
  gcjToWgs,
  metresBetween,
  metresPerPixel,
  OFFLINE_ID,
  wgsToGcj,
  type BBox,
  type GcjFit,
  type LonLat,
} from '../../lib/basemaps';
import { buildBasemapStyle } from '../../app/map/basemap-style';
import { MAP_PARAMS, stateSearch } from '../../app/map/map-params';
import { readParams } from '../../lib/url-params';
import demo from '../../geodata/demo-county.json';

const KEY = '0123456789abcdef0123456789abcdef';
const tdt = (layer: 'vec' | 'cva', set = 'w') =>
  `http://t0.tianditu.gov.cn/${layer}_${set}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=${set}&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${KEY}`;
const TIANDITU = { id: 'tianditu', name: '天地图矢量', kind: 'wmts', url: [tdt('vec'), tdt('vec').replace('t0.', 't1.')], overlay: tdt('cva'), attribution: '天地图' };
const LOCAL = { id: 'tiles', name: '本地瓦片', kind: 'xyz', url: 'http://10.1.2.3:8080/styles/basic/{z}/{x}/{y}.png', maxzoom: 17 };
const AMAP = { id: 'gaode', name: '高德', kind: 'xyz', url: 'https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}', crs: 'gcj02' };
const FILE = { id: 'pm', name: '离线影像', kind: 'pmtiles', file: 'county-2024.pmtiles' };

function configError(env: Record<string, string>): string {
  try {
    readEnv(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
}

test('BASEMAPS: 天地图 WMTS with labels, a local XYZ server, a GCJ-02 source and a PMTiles file are read into the sources the map draws', () => {
  const env = readEnv({ BASEMAPS: JSON.stringify([TIANDITU, LOCAL, AMAP, FILE]), PMTILES_DIR: '/srv/tiles', BASEMAP_DEFAULT: 'tianditu' });
  const config = basemapConfig(env);
  assert.equal(config.defaultId, 'tianditu');
  assert.deepEqual(config.sources.map((s) => [s.id, s.kind, s.crs]), [['offline', 'offline', 'wgs84'], ['tianditu', 'wmts', 'wgs84'], ['tiles', 'xyz', 'wgs84'], ['gaode', 'xyz', 'gcj02'], ['pm', 'pmtiles', 'wgs84']]);
  const t = config.sources[1]!;
  assert.deepEqual(t.tiles, [tdt('vec'), tdt('vec').replace('t0.', 't1.')]);
  assert.deepEqual(t.overlay, [tdt('cva')]);
  assert.equal(t.maxzoom, 18);
  assert.equal(config.sources[2]!.maxzoom, 17);
  assert.equal(config.sources[4]!.file, 'county-2024.pmtiles');
  // nothing configured: only the offline basemap
  assert.deepEqual(basemapConfig(readEnv({})), { sources: [basemapConfig(readEnv({})).sources[0]], defaultId: OFFLINE_ID });
});

test('BASEMAP_URL alone keeps working: one WGS-84 XYZ source, shown from the start', () => {
  const config = basemapConfig(readEnv({ BASEMAP_URL: 'http://tiles.local/{z}/{x}/{y}.png' }));
  assert.equal(config.defaultId, 'raster');
  assert.deepEqual(config.sources.map((s) => s.id), ['offline', 'raster']);
  assert.deepEqual([config.sources[1]!.kind, config.sources[1]!.crs, config.sources[1]!.tiles], ['xyz', 'wgs84', ['http://tiles.local/{z}/{x}/{y}.png']]);
  // with BASEMAPS too, and the offline one as the default
  const both = basemapConfig(readEnv({ BASEMAP_URL: 'http://tiles.local/{z}/{x}/{y}.png', BASEMAPS: JSON.stringify([LOCAL]), BASEMAP_DEFAULT: 'offline' }));
  assert.deepEqual([both.defaultId, both.sources.map((s) => s.id)], ['offline', ['offline', 'raster', 'tiles']]);
});

test('a bad basemap setting stops start-up with one sentence naming the variable, the entry and what to do', () => {
  const one = (entry: object, extra: Record<string, string> = {}) => configError({ BASEMAPS: JSON.stringify([LOCAL, entry]), ...extra });
  assert.match(configError({ BASEMAPS: '[{"id": "x",' }), /^Configuration error in BASEMAPS: is not valid JSON .*it must be a list such as/);
  assert.match(configError({ BASEMAPS: '{"id":"x"}' }), /BASEMAPS: must be a JSON list/);
  assert.match(one({ ...TIANDITU, url: tdt('vec').replace(KEY, '<key>') }), /BASEMAPS: entry 2 \("tianditu"\): url .*still holds a placeholder in <…>: put the real value \(e\.g\. the 天地图 key\)/);
  assert.match(one({ ...TIANDITU, url: tdt('vec', 'c') }), /entry 2 \("tianditu"\): url .*TILEMATRIXSET=c .*use the _w layers/);
  assert.match(one({ ...TIANDITU, url: tdt('vec').replace('TILEROW={y}', 'TILEROW={x}').replace('TILECOL={x}', 'TILECOL={y}') }), /needs TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/);
  assert.match(one({ ...LOCAL, id: 'sub', url: 'http://t{s}.tiles.local/{z}/{x}/{y}.png' }), /entry 2 \("sub"\): url .*uses \{s\}.*list one URL per subdomain/);
  assert.match(one({ ...LOCAL, id: 'bare', url: 'http://tiles.local/tile.png' }), /has no \{z\}, \{x\} and \{y\}/);
  assert.match(one({ ...LOCAL, id: 'ftp', url: 'ftp://tiles.local/{z}/{x}/{y}.png' }), /is not an http\(s\) URL/);
  assert.match(one({ ...LOCAL, id: 'neg', url: 'http://tiles.local/{z}/{x}/{-y}.png' }), /has \{-y\}; the placeholders are/);
  assert.match(one({ ...LOCAL, kind: 'wms', id: 'wms' }), /entry 2 \("wms"\): kind must be "xyz", "wmts" or "pmtiles"/);
  assert.match(one({ ...LOCAL, id: 'Bad Id' }), /entry 2 \("Bad Id"\): id must be 1–32 lowercase letters/);
  assert.match(one({ ...LOCAL }), /entry 2 \("tiles"\): the id is used twice/);
  assert.match(one({ ...LOCAL, id: 'offline' }), /the id is used twice \("offline" is the built-in offline basemap\)/);
  assert.match(one({ ...LOCAL, id: 'x', crs: 'bd09' }), /crs must be "wgs84" .* or "gcj02"/);
  assert.match(one({ ...LOCAL, id: 'x', colour: 'red' }), /entry 2 \("x"\): .*colour/);
  assert.match(one({ id: 'pm', name: '影像', kind: 'pmtiles' }, { PMTILES_DIR: '/srv' }), /entry 2 \("pm"\): file is required for kind "pmtiles"/);
  assert.match(one({ ...FILE, file: '../../etc/passwd.pmtiles' }, { PMTILES_DIR: '/srv' }), /file must be a file name in PMTILES_DIR ending \.pmtiles/);
  assert.match(one({ ...FILE, file: 'county.mbtiles' }, { PMTILES_DIR: '/srv' }), /file must be a file name in PMTILES_DIR ending \.pmtiles/);
  assert.match(one(FILE), /^Configuration error in PMTILES_DIR: is not set, but the basemap "pm" is a PMTiles file: set it to the folder that holds county-2024\.pmtiles\.$/);
  assert.match(configError({ BASEMAPS: JSON.stringify([LOCAL]), BASEMAP_DEFAULT: 'tianditu' }), /^Configuration error in BASEMAP_DEFAULT: "tianditu" is not a configured basemap \(the ids are offline, tiles\)\.$/);
  assert.match(configError({ BASEMAP_URL: 'http://tiles.local/{z}/{x}/{y}.png', BASEMAPS: JSON.stringify([{ ...LOCAL, id: 'raster' }]) }), /BASEMAPS: the id "raster" is BASEMAP_URL's/);
  assert.match(configError({ BASEMAP_URL: 'http://t{s}.tianditu.gov.cn/{z}/{x}/{y}' }), /^Configuration error in BASEMAP_URL: .*uses \{s\}/);
});

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

test('the CSP allows exactly the configured tile origins; with none configured, only this server', () => {
  const none = contentSecurityPolicy('n', { dev: false, tileOrigins: basemapOrigins({}) });
  assert.equal(directive(none, 'img-src'), `img-src 'self' data: blob:`);
  assert.equal(directive(none, 'connect-src'), `connect-src 'self'`);

  const env = { BASEMAP_URL: 'http://tiles.example:8080/{z}/{x}/{y}.png', BASEMAPS: JSON.stringify([TIANDITU, LOCAL, AMAP, FILE, { id: 'same', name: '同源', kind: 'xyz', url: '/osm/{z}/{x}/{y}.png' }]), PMTILES_DIR: '/srv' };
  const origins = basemapOrigins(env);
  assert.deepEqual(origins, ['http://10.1.2.3:8080', 'http://t0.tianditu.gov.cn', 'http://t1.tianditu.gov.cn', 'http://tiles.example:8080', 'https://webrd01.is.autonavi.com']);
  const csp = contentSecurityPolicy('n', { dev: false, tileOrigins: origins });
  for (const o of origins) {
    assert.ok(directive(csp, 'img-src').split(' ').includes(o), `img-src has ${o}`);
    assert.ok(directive(csp, 'connect-src').split(' ').includes(o), `connect-src has ${o}`);
  }
  assert.ok(!csp.includes(KEY), 'origins only: the key stays out of the header');
  // a setting that does not parse adds nothing (start-up refuses it anyway)
  assert.deepEqual(basemapOrigins({ BASEMAPS: '[{"id":' }), []);
  // the old option still works
  assert.ok(directive(contentSecurityPolicy('n', { dev: false, basemapUrl: 'http://tiles.example:8080/{z}/{x}/{y}.png' }), 'img-src').includes('http://tiles.example:8080'));
});

// ---------------------------------------------------------------- the style of each source

const ring = (cx: number, cy: number, r: number): number[][] => Array.from({ length: 33 }, (_, i) => [cx + r * Math.cos((i / 32) * 2 * Math.PI), cy + r * Math.sin((i / 32) * 2 * Math.PI)]);
const polygons = (items: { name: string; c: LonLat }[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: items.map((x) => ({ type: 'Feature', properties: { name: x.name, labelLon: x.c[0], labelLat: x.c[1] }, geometry: { type: 'Polygon', coordinates: [ring(x.c[0], x.c[1], 0.02)] } })),
});
const DATA = {
  county: polygons([{ name: '云溪县', c: [117.6, 25.7] }]),
  townships: polygons([{ name: '城关镇', c: [117.6, 25.7] }, { name: '东溪镇', c: [117.75, 25.62] }]),
  villages: polygons([{ name: '上坪村', c: [117.52, 25.8] }]),
  roads: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { roadClass: 'national', name: 'G205' }, geometry: { type: 'LineString', coordinates: [[117.4, 25.6], [117.8, 25.8]] } }] } as FeatureCollection,
};

test('the style: offline fetches nothing; 天地图 goes under our layers with its labels above our data; PMTiles through the app', () => {
  const offline = buildBasemapStyle(DATA);
  for (const s of Object.values(offline.sources)) assert.equal(s.type, 'geojson');
  assert.equal(offline.glyphs, undefined);
  assert.equal(offline.sprite, undefined);

  const config = basemapConfig(readEnv({ BASEMAPS: JSON.stringify([TIANDITU, FILE]), PMTILES_DIR: '/srv' }));
  const t = buildBasemapStyle(DATA, config.sources[1]!, 'http://app.local');
  const ids = t.layers.map((l) => l.id);
  assert.deepEqual(ids.slice(0, 2), ['background', 'raster-basemap']);
  assert.deepEqual(t.sources['raster-basemap'], { type: 'raster', tileSize: 256, maxzoom: 18, attribution: '天地图', tiles: TIANDITU.url, scheme: 'xyz' });
  assert.deepEqual(t.sources['raster-labels'], { type: 'raster', tileSize: 256, maxzoom: 18, tiles: [TIANDITU.overlay], scheme: 'xyz' });
  // deck.gl goes in before road-label: the label tiles are above it, our own names above them
  assert.ok(ids.indexOf('road-label') < ids.indexOf('raster-labels') && ids.indexOf('raster-labels') < ids.indexOf('village-label'), ids.join(','));
  const fill = t.layers.find((l) => l.id === 'county-fill') as { paint: { 'fill-opacity': number } };
  assert.equal(fill.paint['fill-opacity'], 0.2, 'the county fill lets the raster through');

  const pm = buildBasemapStyle(DATA, config.sources[2]!, 'http://app.local');
  assert.deepEqual(pm.sources['raster-basemap'], { type: 'raster', tileSize: 256, maxzoom: 18, url: 'pmtiles://http://app.local/api/tiles/county-2024.pmtiles' });
  // the old call with a bare template still works
  assert.deepEqual((buildBasemapStyle(DATA, 'http://tiles.local/{z}/{x}/{y}.png').sources['raster-basemap'] as { tiles: string[] }).tiles, ['http://tiles.local/{z}/{x}/{y}.png']);
});

test('over a GCJ-02 basemap our own GeoJSON sources are converted exactly, the data itself is left as it was', () => {
  const config = basemapConfig(readEnv({ BASEMAPS: JSON.stringify([AMAP]) }));
  const before = JSON.stringify(DATA);
  const style = buildBasemapStyle(DATA, config.sources[1]!);
  assert.equal(JSON.stringify(DATA), before, 'the input is not mutated');
  const county = (style.sources.county as { data: FeatureCollection<Polygon> }).data.features[0]!.geometry.coordinates[0]!;
  const original = (DATA.county as FeatureCollection<Polygon>).features[0]!.geometry.coordinates[0]!;
  for (let i = 0; i < original.length; i++) assert.deepEqual(county[i], wgsToGcj(original[i] as LonLat));
  const shift = metresBetween(original[0] as LonLat, county[0] as LonLat);
  assert.ok(shift > 400 && shift < 800, `GCJ-02 moves the county by ${shift.toFixed(0)} m`);
  const label = (style.sources['township-labels'] as { data: FeatureCollection }).data.features[1]!.geometry as { coordinates: number[] };
  assert.deepEqual(label.coordinates, wgsToGcj([117.75, 25.62]));
  const road = (style.sources.roads as { data: FeatureCollection }).data.features[0]!.geometry as { coordinates: number[][] };
  assert.deepEqual(road.coordinates[1], wgsToGcj([117.8, 25.8]));
  // gcjToWgs undoes it to within gcoord's 1e-6° tolerance (< 0.15 m)
  assert.ok(metresBetween(gcjToWgs(county[0] as LonLat), original[0] as LonLat) < 0.15);
});

// ---------------------------------------------------------------- the deck.gl shift and its error

const CENTRE = demo.centre as LonLat;
const RADIUS_M = 25_000;
const KX = 111_320 * Math.cos((CENTRE[1] * Math.PI) / 180);
const KY = 110_574;
const COUNTY_BOX: BBox = [CENTRE[0] - RADIUS_M / KX, CENTRE[1] - RADIUS_M / KY, CENTRE[0] + RADIUS_M / KX, CENTRE[1] + RADIUS_M / KY];
const inCounty = (p: LonLat) => Math.hypot((p[0] - CENTRE[0]) * KX, (p[1] - CENTRE[1]) * KY) <= RADIUS_M;

/** The WGS-84 bbox a w×h-pixel view at `zoom` shows around `c`. */
function viewBox(c: LonLat, zoom: number, w: number, h: number): BBox {
  const m = metresPerPixel(zoom, c[1]);
  return [c[0] - (w / 2) * m / KX, c[1] - (h / 2) * m / KY, c[0] + (w / 2) * m / KX, c[1] + (h / 2) * m / KY];
}

/** What map-canvas.tsx fits: the part of the county in view, or the view. */
function regionOf(v: BBox): BBox {
  const p: BBox = [Math.max(v[0], COUNTY_BOX[0]), Math.max(v[1], COUNTY_BOX[1]), Math.min(v[2], COUNTY_BOX[2]), Math.min(v[3], COUNTY_BOX[3])];
  return p[0] < p[2] && p[1] < p[3] ? p : v;
}

/** Worst metres between where the matrix puts a county point in view and its exact GCJ-02 position. */
function worstInView(v: BBox, fit: GcjFit, n = 24): number {
  const m = gcjModelMatrix(fit, 'lnglat')!;
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n; j++) {
      const p: LonLat = [v[0] + ((v[2] - v[0]) * i) / n, v[1] + ((v[3] - v[1]) * j) / n];
      if (!inCounty(p)) continue;
      const drawn = applyMatrix(m, p);
      worst = Math.max(worst, metresBetween([drawn[0], drawn[1]], wgsToGcj(p)));
    }
  }
  return worst;
}

/** Views of w×h pixels at `zoom` centred every `step` metres over the county: the worst error of any. */
function worstOverCounty(zoom: number, w: number, h: number, mode: 'affine' | 'translation', step = 2_500): { metres: number; pixels: number; views: number } {
  let worst = 0;
  let views = 0;
  for (let dx = -RADIUS_M; dx <= RADIUS_M; dx += step) {
    for (let dy = -RADIUS_M; dy <= RADIUS_M; dy += step) {
      const c: LonLat = [CENTRE[0] + dx / KX, CENTRE[1] + dy / KY];
      if (!inCounty(c)) continue;
      const v = viewBox(c, zoom, w, h);
      const fit = fitGcj(mode === 'affine' ? regionOf(v) : v, { mode });
      worst = Math.max(worst, worstInView(v, fit));
      views++;
    }
  }
  return { metres: worst, pixels: worst / metresPerPixel(zoom, CENTRE[1]), views };
}

test('the model matrix moves positions by the fitted offset in every geographic coordinate system deck.gl layers use', () => {
  const fit = fitGcj(viewBox(CENTRE, 15, 1920, 1080));
  const p: LonLat = [117.6041, 25.7033];
  const expect = [p[0] + fitOffset(fit, p)[0], p[1] + fitOffset(fit, p)[1]];
  const ll = applyMatrix(gcjModelMatrix(fit, 'lnglat')!, p);
  assert.ok(Math.abs(ll[0] - expect[0]!) < 1e-12 && Math.abs(ll[1] - expect[1]!) < 1e-12);
  assert.deepEqual(gcjModelMatrix(fit, undefined), gcjModelMatrix(fit, 'lnglat'), "'default' is lnglat on a map");
  // LNGLAT_OFFSETS (the incident points): degrees from coordinateOrigin
  const origin: LonLat = [117.5, 25.6];
  const off = applyMatrix(gcjModelMatrix(fit, 'lnglat-offsets', [origin[0], origin[1], 0])!, [p[0] - origin[0], p[1] - origin[1]]);
  assert.ok(Math.abs(off[0] + origin[0] - expect[0]!) < 1e-12 && Math.abs(off[1] + origin[1] - expect[1]!) < 1e-12);
  // METER_OFFSETS: metres east/north of coordinateOrigin, with the same local scale
  const kx = 111_320 * Math.cos((origin[1] * Math.PI) / 180);
  const mo = applyMatrix(gcjModelMatrix(fit, 'meter-offsets', [origin[0], origin[1], 0])!, [(p[0] - origin[0]) * kx, (p[1] - origin[1]) * KY]);
  assert.ok(Math.abs(mo[0] / kx + origin[0] - expect[0]!) < 1e-12 && Math.abs(mo[1] / KY + origin[1] - expect[1]!) < 1e-12);
  assert.equal(gcjModelMatrix(fit, 'cartesian'), null, 'not geographic: left alone');
  // a layer's own matrix is applied first
  const own = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.01, -0.02, 0, 1];
  const composed = applyMatrix(gcjModelMatrix(fit, 'lnglat', undefined, own)!, p);
  const twice = applyMatrix(gcjModelMatrix(fit, 'lnglat')!, applyMatrix(own, p));
  assert.ok(Math.abs(composed[0] - twice[0]) < 1e-12 && Math.abs(composed[1] - twice[1]) < 1e-12);
});

test('GCJ-02 error of the per-view shift over the demo county (1920×1080 views; the README quotes these)', () => {
  const mpp = (z: number) => metresPerPixel(z, CENTRE[1]);
  // county zoom: the whole county in one view
  const countyView = viewBox(CENTRE, 9.5, 1920, 1080);
  const countyAffine = worstInView(countyView, fitGcj(regionOf(countyView)));
  const countyShift = worstInView(countyView, fitGcj(countyView, { mode: 'translation' }));
  const rows: string[] = [`county zoom 9.5 (one view): affine ${countyAffine.toFixed(1)} m = ${(countyAffine / mpp(9.5)).toFixed(2)} px; translation only ${countyShift.toFixed(1)} m = ${(countyShift / mpp(9.5)).toFixed(2)} px`];
  const results: Record<number, { affine: ReturnType<typeof worstOverCounty>; shift: ReturnType<typeof worstOverCounty> }> = {};
  for (const z of [12, 13, 15, 17]) {
    results[z] = { affine: worstOverCounty(z, 1920, 1080, 'affine'), shift: worstOverCounty(z, 1920, 1080, 'translation') };
    const r = results[z]!;
    rows.push(`zoom ${z} (${r.affine.views} views): affine ${r.affine.metres.toFixed(2)} m = ${r.affine.pixels.toFixed(2)} px; translation only ${r.shift.metres.toFixed(2)} m = ${r.shift.pixels.toFixed(2)} px`);
  }
  const wall = worstOverCounty(15, 3840, 2160, 'affine');
  rows.push(`zoom 15 on a 3840×2160 wall: affine ${wall.metres.toFixed(2)} m = ${wall.pixels.toFixed(2)} px`);
  console.log(`  ${rows.join('\n  ')}`);

  // what the README states (bounds a little above the measured values)
  assert.ok(countyAffine < 30 && countyAffine / mpp(9.5) < 0.35, `county zoom: ${countyAffine} m`);
  assert.ok(results[15]!.affine.metres < 1 && results[15]!.affine.pixels < 0.5, `street zoom: ${results[15]!.affine.metres} m`);
  assert.ok(results[13]!.affine.pixels < 1.5, `zoom 13: ${results[13]!.affine.pixels} px`);
  assert.ok(results[12]!.affine.pixels < 1.5, `zoom 12: ${results[12]!.affine.pixels} px`);
  assert.ok(results[17]!.affine.pixels < 0.2, `zoom 17: ${results[17]!.affine.pixels} px`);
  // a translation alone would be a few pixels off at street zoom, at any zoom from 14 up
  assert.ok(results[15]!.shift.pixels > 3 * results[15]!.affine.pixels, 'the affine fit is what keeps street zoom aligned');
  // and without any shift the overlays would be ~600 m (≈ 280 px at zoom 15) off
  assert.ok(metresBetween(CENTRE, wgsToGcj(CENTRE)) > 500);
});

test('fp32: the shader applies the matrix in single precision; the rounding it adds at street zoom is well under a metre', () => {
  // deck.gl, zoom ≥ 12, LNGLAT: position = fround(x) + low; world = M·high (fp32) − fround(view centre), + M·low
  const f = Math.fround;
  const c: LonLat = [CENTRE[0] + 0.1234567, CENTRE[1] - 0.0765432];
  const fit = fitGcj(viewBox(c, 16, 1920, 1080));
  const m = gcjModelMatrix(fit, 'lnglat')!.map(f);
  const exactM = gcjModelMatrix(fit, 'lnglat')!;
  let worst = 0;
  for (let i = 0; i < 400; i++) {
    const p: LonLat = [c[0] + (((i * 7919) % 400) / 400 - 0.5) * 0.02, c[1] + (((i * 104_729) % 400) / 400 - 0.5) * 0.01];
    const hx = f(p[0]);
    const hy = f(p[1]);
    const lx = p[0] - hx;
    const ly = p[1] - hy;
    const wx = f(f(f(f(m[0]! * hx) + f(m[4]! * hy)) + m[12]!) - f(c[0]));
    const wy = f(f(f(f(m[1]! * hx) + f(m[5]! * hy)) + m[13]!) - f(c[1]));
    const gx = f(c[0]) + wx + (m[0]! * lx + m[4]! * ly);
    const gy = f(c[1]) + wy + (m[1]! * lx + m[5]! * ly);
    const exact = applyMatrix(exactM, p);
    worst = Math.max(worst, metresBetween([gx, gy], [exact[0], exact[1]]));
  }
  console.log(`  fp32 rounding of the matrix in the shader: worst ${worst.toFixed(2)} m`);
  assert.ok(worst < 1.5, `${worst} m`);
});

test('the link carries the basemap: ?basemap=<id> is read, a bad one is a notice, the default is left out', () => {
  assert.equal(readParams(new URLSearchParams('basemap=tianditu'), MAP_PARAMS).values.basemap, 'tianditu');
  const bad = readParams(new URLSearchParams('basemap=%3Cx%3E'), MAP_PARAMS);
  assert.equal(bad.values.basemap, null);
  assert.deepEqual(bad.notices, ['链接参数 basemap=<x> 无效(底图编号须为小写字母开头的字母、数字或 -),已改用默认的「默认底图」。']);
  const filters = { from: '2026-01-01', to: '2026-01-30', categories: [], gridMetric: 'incidents' as const, play: null, trackDay: null, trackSecond: 0 };
  const defaults = { layers: ['county'], from: '2026-01-01', to: '2026-01-30' };
  assert.equal(stateSearch(new URLSearchParams('basemap=x'), { layers: ['county'], filters, sel: null, basemap: 'tianditu' }, defaults).toString(), 'basemap=tianditu');
  assert.equal(stateSearch(new URLSearchParams('basemap=tianditu'), { layers: ['county'], filters, sel: null, basemap: null }, defaults).toString(), '');
});
