// Property-based file fuzzing (fast-check, fixed seed): 1,000 fuzzed files for each import
// format — CSV, GeoJSON, KML, XLSX, KMZ, zipped Shapefile and GPX. The text formats are
// generated with broken values and headers; every format is also mutated from a valid
// file: truncation, byte flips, inserted bytes, wrong magic numbers, wrong encodings, huge
// fields, small zip bombs (and zips that declare gigabytes), damage inside the zip's
// entries. For every file the importer either reports (every rejected row listed, with a
// reason the import page can say in Chinese) or refuses the file with a UserError that has
// a Chinese sentence; it never crashes, and a refused file writes nothing (the layer's row
// count is unchanged). Each format runs in one transaction that is rolled back at the end.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import fc from 'fast-check';
import { inRollback } from '../helpers';
import { runImport, type ImportReport } from '../../server/import/pipeline';
import { LAYERS, type LayerName } from '../../server/import/layers';
import { UserError } from '../../server/errors';
import { reasonZhOrNull } from '../../app/import/reason-zh';
import type { Tx } from '../../server/db/scope';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000); // a smaller number only while developing
const SEED = 20261121;
const CJK = /[\u3400-\u9fff]/;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-fuzz-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const summary: string[] = [];
after(() => console.log(summary.join('\n')));

// ---------------------------------------------------------------- generated text files

const crlf = (n: number) => n % 2 === 1; // CRLF for odd row counts: both line endings occur

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-', '1e999', '117.6', '25.7', '400', '-1', '是', '枪机', '球机', '激光炮', '"', '""', ',', '\t', '\n', '东经117°', '１１７.６', '东南', '\u0000', '99999999999'),
  fc.double({ noNaN: false }).map(String),
);
const header = fc.constantFrom('编号', '名称', '经度', '纬度', '方向角', '视场角', '类型', '状态', 'x', 'y', 'lng', '随便', '', '"名称"', '东经', '北纬', 'X坐标', '__proto__', '安装日期');

const csvGenerated = fc
  .record({
    // Most files carry the columns a register needs, so that the row checks are reached.
    usable: fc.boolean(),
    extra: fc.array(header, { minLength: 0, maxLength: 5 }),
    rows: fc.array(fc.array(junk, { minLength: 0, maxLength: 8 }), { maxLength: 12 }),
    encoding: fc.constantFrom('utf8', 'utf8', 'gbk', 'utf16le-bom'),
  })
  .map(({ usable, extra, rows, encoding }) => {
    const headers = usable ? ['编号', '名称', '经度', '纬度', ...extra] : extra;
    const text = [headers.join(','), ...rows.map((r, i) => [`F-${i}`, ...r].join(','))].join(crlf(rows.length) ? '\r\n' : '\n');
    return encoding === 'utf16le-bom' ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : iconv.encode(text, encoding);
  });

const geojsonGenerated = fc
  .array(
    fc.record({
      id: fc.nat(50).map((n) => `F-${n}`),
      名称: junk,
      coords: fc.oneof(fc.tuple(fc.double(), fc.double()), fc.constant(null), fc.array(fc.double(), { maxLength: 3 }), fc.constant([[117.6, 25.7]]), fc.constant([117.6, 25.7])),
      type: fc.constantFrom('Point', 'LineString', 'Polygon', 'Bogus', 'MultiPoint', 'GeometryCollection'),
    }),
    { maxLength: 8 },
  )
  .chain((features) =>
    fc.constantFrom('fc', 'fc', 'truncated', 'nonsense', 'crs').map((shape) => {
      const body = JSON.stringify({
        type: 'FeatureCollection',
        ...(shape === 'crs' ? { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::99999' } } } : {}),
        features: features.map((f) => ({ type: 'Feature', properties: { id: f.id, 名称: f.名称 }, geometry: f.coords === null ? null : { type: f.type, coordinates: f.coords } })),
      });
      return shape === 'truncated' ? body.slice(0, Math.max(1, body.length >> 1)) : shape === 'nonsense' ? '[1,2,3]' : body;
    }),
  );

const kmlText = (pms: [string, string, string][], closed = true) =>
  `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${pms
    .map(([n, x, y], i) => `<Placemark><name>${n.replace(/[<&]/g, '')}</name><ExtendedData><Data name="id"><value>F-${i}</value></Data><Data name="方向角"><value>${(i * 45) % 360}</value></Data></ExtendedData><Point><coordinates>${x.replace(/[<&]/g, '')},${y.replace(/[<&]/g, '')}</coordinates></Point></Placemark>`)
    .join('')}${closed ? '</Document></kml>' : ''}`;

const kmlGenerated = fc.array(fc.tuple(junk, junk, junk), { maxLength: 6 }).chain((pms) => fc.boolean().map((closed) => kmlText(pms, closed)));

// ---------------------------------------------------------------- valid files to mutate

const CAMERAS: [string, string, number, number][] = [
  ['F-1', '城关路口枪机', 117.6012, 25.7023],
  ['F-2', '客运站球机', 117.6054, 25.6987],
  ['F-3', '农贸市场枪机', 117.5987, 25.7054],
  ['F-4', '学校门口半球', 117.6031, 25.7001],
];
const CSV_VALID = ['编号,名称,东经,北纬,朝向,摄像机类型,在线状态', ...CAMERAS.map(([id, n, x, y], i) => [id, n, x, y, ['东', '90', '东南', ''][i], ['枪机', '球机', '枪机', '半球'][i], '在线'].join(','))].join('\r\n');
const GEOJSON_VALID = JSON.stringify({ type: 'FeatureCollection', features: CAMERAS.map(([id, n, x, y]) => ({ type: 'Feature', properties: { id, 名称: n, 方向角: 90 }, geometry: { type: 'Point', coordinates: [x, y] } })) });
const KML_VALID = kmlText(CAMERAS.map(([, n, x, y]) => [n, String(x), String(y)]));
const GPX_VALID = `<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="fuzz" xmlns="http://www.topografix.com/GPX/1/1"><wpt lat="25.7" lon="117.6"><name>起点</name></wpt><trk><name>PT-FUZZ</name><trkseg>${[0, 1, 2, 3, 4]
  .map((i) => `<trkpt lat="${(25.7 + i * 0.001).toFixed(4)}" lon="${(117.6 + i * 0.001).toFixed(4)}"><time>2026-11-01T12:0${i}:00Z</time></trkpt>`)
  .join('')}</trkseg></trk></gpx>`;
const SHP_VALID = new Uint8Array(fs.readFileSync(path.resolve('tests/fixtures/import/grids-gbk-cgcs2000.zip')));
const KMZ_VALID = zipSync({ 'doc.kml': strToU8(KML_VALID), 'files/readme.txt': strToU8('奥维导出') });
let XLSX_VALID: Uint8Array;

async function xlsxValid(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('摄像机');
  ws.addRow(['设备编号', '设备名称', '经度', '纬度', '方向角', '安装日期', '是否智能', '设备状态']);
  for (const [id, n, x, y] of CAMERAS) ws.addRow([id, n, x, y, 90, new Date(Date.UTC(2020, 5, 1)), '是', '在线']);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- mutations

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[]; xor: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'overwrite'; at: number; bytes: Uint8Array }
  | { kind: 'magic'; bytes: Uint8Array }
  | { kind: 'huge'; at: number; size: number };

const share = fc.double({ min: 0, max: 1, noNaN: true });
const MAGICS = ['PK\u0003\u0004', '%PDF', '\u00d0\u00cf\u0011\u00e0', 'GIF8', '{"ty', '<?xm', '\u0000\u0000\u0000\u0000', '\u00ff\u00fe<\u0000'].map((m) => new Uint8Array(Buffer.from(m, 'latin1')));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: share }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.array(share, { minLength: 1, maxLength: 6 }), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: share, bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('overwrite' as const), at: share, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('magic' as const), bytes: fc.constantFrom(...MAGICS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: share, size: fc.integer({ min: 10_000, max: 100_000 }) }) },
);

function mutate(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Buffer.from(base);
  const pos = (at: number) => Math.min(b.length, Math.floor(at * b.length));
  for (const m of muts) {
    switch (m.kind) {
      case 'truncate': b = b.subarray(0, pos(m.at)); break;
      case 'flip': b = Buffer.from(b); for (const at of m.at) if (b.length) b[Math.min(b.length - 1, pos(at))]! ^= m.xor; break;
      case 'insert': b = Buffer.concat([b.subarray(0, pos(m.at)), m.bytes, b.subarray(pos(m.at))]); break;
      case 'overwrite': b = Buffer.from(b); b.set(m.bytes.subarray(0, Math.max(0, b.length - pos(m.at))), pos(m.at)); break;
      case 'magic': b = Buffer.concat([m.bytes, b.subarray(m.bytes.length)]); break;
      // a huge field: a long run of Chinese text where a value would be
      case 'huge': b = Buffer.concat([b.subarray(0, pos(m.at)), Buffer.from('测'.repeat(Math.floor(m.size / 3))), b.subarray(pos(m.at))]); break;
    }
  }
  return b;
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** A text file mutated as bytes, or re-encoded in the wrong encoding first. */
function textMutated(base: string) {
  return fc
    .record({ encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'gbk', 'utf16le', 'latin1'), muts: fc.oneof({ weight: 4, arbitrary: mutations }, { weight: 1, arbitrary: fc.constant([] as Mutation[]) }) })
    .map(({ encoding, muts }) => mutate(iconv.encode(base, encoding), muts));
}

/** The declared unpacked size of a zip's first central-directory entry set to ~4 GB: a bomb by its directory. */
function declaresGigabytes(zip: Uint8Array): Uint8Array {
  const b = Buffer.from(zip);
  const cd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  if (cd >= 0) b.writeUInt32LE(0xfffffff0, cd + 24);
  return b;
}

/**
 * A zip container: damage inside one entry (re-zipped), to the container bytes, a small
 * bomb (an entry of 1–4 × 256 KB that compresses to a few kilobytes; built once per size),
 * a bomb by declaration, or an entry missing.
 */
function zipMutated(base: Uint8Array, bombEntry: string, bomb: (quarterMb: number) => Uint8Array) {
  const entries = unzipSync(base);
  const names = Object.keys(entries);
  const bombs = new Map<number, Uint8Array>();
  const bombed = (q: number) => {
    if (!bombs.has(q)) bombs.set(q, zipSync({ ...entries, [bombEntry]: bomb(q) }, { level: 9 }));
    return bombs.get(q)!;
  };
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ name: fc.constantFrom(...names), muts: mutations }).map(({ name, muts }) => zipSync({ ...entries, [name]: mutate(entries[name]!, muts) })) },
    { weight: 4, arbitrary: mutations.map((muts) => mutate(base, muts)) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map(bombed) },
    { weight: 1, arbitrary: fc.constant(declaresGigabytes(base)) },
    { weight: 1, arbitrary: fc.record({ drop: fc.constantFrom(...names) }).map(({ drop }) => zipSync(Object.fromEntries(Object.entries(entries).filter(([n]) => n !== drop)))) },
  );
}

// ---------------------------------------------------------------- the property

interface Case {
  layer: LayerName;
  ext: string;
  bytes: Uint8Array | string;
  dryRun: boolean;
}

const withLayer = (ext: string, arb: fc.Arbitrary<Uint8Array | string>, layers: LayerName[] = ['cameras']): fc.Arbitrary<Case> =>
  fc.record({ bytes: arb, layer: fc.constantFrom(...layers), dryRun: fc.boolean() }).map((c) => ({ ...c, ext }));

/**
 * Rows of `table` added since the fuzz began (ids come from a sequence: every insert gets an
 * id above the table's largest at the start). An index range, so cheap even on the
 * partitioned track points; imports never delete from these tables.
 */
async function rowsAdded(c: Tx, table: string, baseline: Map<string, number>): Promise<number> {
  if (!baseline.has(table)) baseline.set(table, (await c.query<{ m: number }>(`SELECT coalesce(max(id), 0)::bigint AS m FROM ${table}`)).rows[0]!.m);
  return (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id > $1`, [baseline.get(table)])).rows[0]!.n;
}

/** fast-check's failure with the counterexample cut short (a fuzzed file can be megabytes). */
async function shortFailure(run: Promise<void>): Promise<void> {
  try {
    await run;
  } catch (err) {
    const text = (err as Error).message;
    const cause = (err as Error).cause;
    const why = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
    throw new Error(`${text.slice(0, 1200)}${text.length > 1200 ? ' …' : ''}\nfailure: ${why.slice(0, 2500)}`);
  }
}

/** How many files share one rolled-back transaction (a long one slows down as its dead rows pile up). */
const RUNS_PER_TRANSACTION = 200;

/** A rolled-back transaction held open across property runs: its client and how to end it. */
function openRollback(): Promise<{ c: Tx; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const done = inRollback(async (c) => {
      resolve({ c, close: async () => { release(); await done; } });
      await held;
    });
    done.catch(reject);
  });
}

async function fuzz(format: string, cases: fc.Arbitrary<Case>): Promise<void> {
  if (process.env.FUZZ_FORMATS && !process.env.FUZZ_FORMATS.split(',').includes(format)) return; // while developing
  const t0 = performance.now();
  const tally = { refused: 0, reports: 0, withRows: 0, accepted: 0, importMs: 0 };
  let n = 0;
  let session = await openRollback();
  let counts = new Map<string, number>();
  let baseline = new Map<string, number>();
  try {
    await shortFailure(fc.assert(
      fc.asyncProperty(cases, async ({ layer, ext, bytes, dryRun }) => {
        if (n > 0 && n % RUNS_PER_TRANSACTION === 0) {
          await session.close();
          session = await openRollback();
          counts = new Map();
          baseline = new Map();
        }
        const { c } = session;
        const table = LAYERS[layer].table;
        if (!counts.has(table)) counts.set(table, await rowsAdded(c, table, baseline));
        const before = counts.get(table)!;
        const file = path.join(dir, `${format}-${n++}.${ext}`);
        fs.writeFileSync(file, bytes);
        let report: ImportReport;
        const t = performance.now();
        try {
          report = await runImport(c, { layer, file, dryRun });
        } catch (err) {
          if (!(err instanceof UserError)) throw err; // a crash: anything but a clear refusal
          assert.ok(err.zh && CJK.test(err.zh) && !/--[a-z]/.test(err.zh), `refusal without a Chinese sentence for the page: ${err.message}`);
          assert.ok(!err.message.includes('\n') && err.message.length < 1000, `one readable sentence: ${err.message.slice(0, 200)}`);
          assert.equal(await rowsAdded(c, table, baseline), before, `refused ${file} changed ${table}`);
          tally.refused++;
          return;
        } finally {
          tally.importMs += performance.now() - t;
          fs.rmSync(file, { force: true });
        }
        tally.reports++;
        const after = await rowsAdded(c, table, baseline);
        counts.set(table, after);
        assert.equal(new Set(report.errors.map((e) => e.row)).size + report.errorsOmitted, report.rejected);
        assert.ok(report.accepted + report.rejected + report.skipped <= report.read);
        if (!report.committed) assert.equal(after, before, 'a dry run or an import without accepted rows writes nothing');
        else assert.ok(after - before <= report.accepted, 'no more rows written than accepted');
        assert.equal(report.warningsZh.length, report.warnings.length);
        for (const w of report.warningsZh) assert.ok(CJK.test(w), `warning without Chinese: ${w}`);
        for (const e of report.errors) assert.ok(reasonZhOrNull(e.reason) !== null, `row reason without a Chinese sentence: ${e.reason}`);
        if (report.accepted + report.rejected > 0) tally.withRows++;
        if (report.committed) tally.accepted++;
      }),
      { numRuns: RUNS, seed: SEED },
    ));
  } finally {
    await session.close();
  }
  const s = (performance.now() - t0) / 1000;
  summary.push(`# fuzz ${format}: ${n} files in ${s.toFixed(1)} s (${(tally.importMs / 1000).toFixed(1)} s importing) — ${tally.refused} refused as a whole, ${tally.reports} reports (${tally.withRows} with row results, ${tally.accepted} committed)`);
  // the generators must reach the row checks, not only be refused up front
  assert.ok(tally.refused > 0 && tally.withRows >= RUNS / 20, `${format}: ${tally.refused} refused, ${tally.withRows} with rows`);
}

const opts = { timeout: 300_000 };

test('fuzz: 1,000 CSV files (generated and mutated) — reports or clear refusals, nothing written by a refusal', opts, () =>
  fuzz('csv', withLayer('csv', fc.oneof(csvGenerated, textMutated(CSV_VALID)))));

test('fuzz: 1,000 GeoJSON files', opts, () => fuzz('geojson', withLayer('geojson', fc.oneof(geojsonGenerated, textMutated(GEOJSON_VALID)))));

test('fuzz: 1,000 KML files', opts, () => fuzz('kml', withLayer('kml', fc.oneof(kmlGenerated, textMutated(KML_VALID)), ['cameras', 'places'])));

test('fuzz: 1,000 GPX files (patrol tracks and routes)', opts, () =>
  fuzz('gpx', withLayer('gpx', textMutated(GPX_VALID), ['patrol-tracks', 'patrol-routes'])));

test('fuzz: 1,000 KMZ files', opts, () =>
  fuzz('kmz', withLayer('kmz', zipMutated(KMZ_VALID, 'doc.kml', (q) => strToU8(KML_VALID.replace('<Document>', `<Document><!--${' '.repeat(q * 256 * 1024)}-->`))))));

test('fuzz: 1,000 zipped Shapefiles', opts, () => fuzz('shapefile', withLayer('zip', zipMutated(SHP_VALID, 'grids.dbf', (q) => new Uint8Array(q * 256 * 1024)), ['grids'])));

test('fuzz: 1,000 XLSX workbooks', opts, async () => {
  XLSX_VALID = await xlsxValid();
  const sheetBomb = (q: number) => {
    // a worksheet of many small rows: compresses to almost nothing
    const rows = Array.from({ length: q * 500 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>B-${i}</t></is></c></row>`).join('');
    return strToU8(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`);
  };
  await fuzz('xlsx', withLayer('xlsx', zipMutated(XLSX_VALID, 'xl/worksheets/sheet1.xml', sheetBomb)));
});
