// Property-based test: 1,000 malformed files (CSV with broken values and headers,
// broken GeoJSON, broken KML) never crash the importer — it either reports (with every
// rejected row listed) or refuses the file with an ImportError — and no rejected row is
// ever written. Each run is in a rolled-back transaction.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { inRollback } from '../helpers';
import { runImport } from '../../server/import/pipeline';
import { CrsError, ImportError } from '../../server/errors';

const i = (n: number) => n % 2 === 1; // CRLF for odd row counts: both line endings occur
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-fuzz-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', ' ', 'NaN', 'Infinity', '-', '1e999', '117.6', '25.7', '400', '-1', '是', '枪机', '球机', '激光炮', '"', '""', ',', '\t', '\n', '东经117°', '１１７.６'),
  fc.double({ noNaN: false }).map(String),
);
const header = fc.constantFrom('编号', '名称', '经度', '纬度', '方向角', '视场角', '类型', '状态', 'x', 'y', 'lng', '随便', '', '"名称"');

const csvFile = fc
  .record({
    // Most files carry the columns a register needs, so that the row checks are reached.
    usable: fc.boolean(),
    extra: fc.array(header, { minLength: 0, maxLength: 5 }),
    rows: fc.array(fc.array(junk, { minLength: 0, maxLength: 8 }), { maxLength: 12 }),
  })
  .map(({ usable, extra, rows }) => ({ headers: usable ? ['编号', '名称', '经度', '纬度', ...extra] : extra, rows }))
  .map(({ headers, rows }) => ({
    ext: 'csv',
    text: [headers.join(','), ...rows.map((r, i) => [`F-${i}`, ...r].join(','))].join(i(rows.length) ? '\r\n' : '\n'),
  }));

const geojsonFile = fc
  .array(
    fc.record({
      id: fc.nat(50).map((n) => `F-${n}`),
      名称: junk,
      coords: fc.oneof(fc.tuple(fc.double(), fc.double()), fc.constant(null), fc.array(fc.double(), { maxLength: 3 })),
      type: fc.constantFrom('Point', 'LineString', 'Polygon', 'Bogus', 'MultiPoint'),
    }),
    { maxLength: 8 },
  )
  .chain((features) =>
    fc.constantFrom('fc', 'truncated', 'nonsense').map((shape) => {
      const body = JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', properties: { id: f.id, 名称: f.名称 }, geometry: f.coords === null ? null : { type: f.type, coordinates: f.coords } })) });
      return { ext: 'geojson', text: shape === 'fc' ? body : shape === 'truncated' ? body.slice(0, Math.max(1, body.length >> 1)) : '[1,2,3]' };
    }),
  );

const kmlFile = fc.array(fc.tuple(junk, junk, junk), { maxLength: 6 }).chain((pms) =>
  fc.boolean().map((closed) => ({
    ext: 'kml',
    text: `<kml><Document>${pms.map(([n, x, y], i) => `<Placemark><name>${n.replace(/[<&]/g, '')}</name><ExtendedData><Data name="id"><value>F-${i}</value></Data></ExtendedData><Point><coordinates>${x},${y}</coordinates></Point></Placemark>`).join('')}${closed ? '</Document></kml>' : ''}`,
  })),
);

test('1,000 malformed files: only reports or ImportErrors, and no rejected row is written', { timeout: 900_000 }, async () => {
  let n = 0;
  let refused = 0;
  let withRows = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(csvFile, geojsonFile, kmlFile), async ({ ext, text }) => {
      const file = path.join(dir, `f${n++}.${ext}`);
      fs.writeFileSync(file, text);
      await inRollback(async (c) => {
        let report;
        try {
          report = await runImport(c, { layer: 'cameras', file });
        } catch (err) {
          if (err instanceof ImportError || err instanceof CrsError) {
            refused++;
            return;
          }
          throw err;
        }
        const rejectedRows = new Set(report.errors.map((e) => e.row));
        assert.equal(rejectedRows.size + report.errorsOmitted, report.rejected);
        const written = await c.query<{ external_id: string }>(`SELECT external_id FROM cameras WHERE external_id LIKE 'F-%'`);
        assert.ok(written.rows.length <= report.accepted, 'no more rows written than accepted');
        assert.ok(report.accepted + report.rejected + report.skipped <= report.read);
        if (report.accepted + report.rejected > 0) withRows++;
      });
    }),
    { numRuns: 1000, seed: 20261121 },
  );
  // The generator must reach the row-level checks often, not just be refused up front.
  assert.ok(refused > 0 && withRows >= 200, `${refused} files refused as a whole, ${withRows} reached row checks`);
  console.log(`# fuzz: ${refused} refused as a whole, ${withRows} with row reports`);
});
