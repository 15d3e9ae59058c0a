// The pages' URL parameters (lib/url-params.ts and each page's specs) and the pages'
// error sentences (app/components/error-text.ts): bad values fall back to the default with
// a Chinese notice naming the parameter; a return path leaves the site never; a failed
// request is shown as a Chinese sentence, never zod's JSON or English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNext, readParams, safeNext } from '../../lib/url-params';
import { PLANNER_PARAMS, REPORT_PARAMS, readPlannerParams } from '../../app/planner/planner-params';
import { AUDIT_PARAMS } from '../../app/audit/audit-params';
import { MAP_PARAMS, visibleFromParams } from '../../app/map/map-params';
import { AUDIT_LOG_PARAMS } from '../../app/admin/audit/audit-log-params';
import { IMPORT_PARAMS } from '../../app/import/import-params';
import { errorText, fieldHints } from '../../app/components/error-text';
import { PRESETS } from '../../app/layers/presets';

const defaultVisibleLayers = () => PRESETS.map.layers;

const CJK = /[\u3400-\u9fff]/;
const window = () => ({ from: '2025-05-01', to: '2026-05-01' });

test('the planner: good values are read, each bad one is its default with a notice naming it', () => {
  const good = readPlannerParams(new URLSearchParams('mode=kde&tab=index&cell=700&distance=900&from=2025-01-01&to=2025-12-31&category=criminal.theft&bandwidth=800&slices=6'), PLANNER_PARAMS, window);
  assert.deepEqual(good.notices, []);
  assert.deepEqual(good.values, { mode: 'kde', tab: 'index', cell: 700, distance: 900, from: '2025-01-01', to: '2025-12-31', category: 'criminal.theft', bandwidth: 800, slices: 6 });

  const bad = readPlannerParams(new URLSearchParams('mode=xyz&tab=%3Cscript%3E&cell=0&distance=Infinity&from=2026-02-30&category=x&bandwidth=-1&slices=3.5'), PLANNER_PARAMS, window);
  assert.deepEqual(bad.values, { mode: 'gistar', tab: 'targets', cell: 500, distance: 1200, from: '2025-05-01', to: '2026-05-01', category: '', bandwidth: null, slices: 12 });
  assert.deepEqual(bad.bad.sort(), ['bandwidth', 'category', 'cell', 'distance', 'from', 'mode', 'slices', 'tab']);
  assert.equal(bad.notices.length, 8);
  assert.ok(bad.notices.includes('链接参数 mode=xyz 无效(可选:gistar 热点(Gi*)、kde 核密度、forecast 热点预测、emerging 时空热点),已改用默认的「热点(Gi*)」。'), bad.notices.join('\n'));
  assert.ok(bad.notices.includes('链接参数 cell=0 无效(网格单元边长须为 100–20000 米之间的整数),已改用默认的「500 米」。'));
  for (const n of bad.notices) assert.match(n, /^链接参数 \S+=.* 无效.*已改用默认的「.+」。$/);
});

test('a planner window whose start is not before its end is the default window, with a notice', () => {
  const r = readPlannerParams(new URLSearchParams('from=2026-06-01&to=2026-01-01'), PLANNER_PARAMS, window);
  assert.deepEqual([r.values.from, r.values.to], ['2025-05-01', '2026-05-01']);
  assert.deepEqual(r.notices, ['链接参数 from=2026-06-01&to=2026-01-01 无效(开始日期须早于结束日期),已改用默认的时间段。']);
  // the report leaves a missing window to the server
  const report = readPlannerParams({ paper: 'A5', top: '0', cell: ['800', '900'] }, REPORT_PARAMS);
  assert.deepEqual([report.values.paper, report.values.top, report.values.cell, report.values.from], ['A4', 20, 800, null]);
  assert.equal(report.notices.length, 2);
});

test('the other pages: audit tab, map layers, audit log filters, import layer', () => {
  assert.deepEqual(readParams(new URLSearchParams('tab=xyz'), AUDIT_PARAMS).notices, ['链接参数 tab=xyz 无效(可选:kpi 考核指标、findings 档案核查、recommend 补点建议),已改用默认的「考核指标」。']);
  assert.equal(readParams(new URLSearchParams('tab=findings'), AUDIT_PARAMS).values.tab, 'findings');

  const layers = (q: string) => {
    const s = new URLSearchParams(q);
    const r = readParams(s, MAP_PARAMS);
    return { shown: visibleFromParams(s, r.values.layers, PRESETS.map.layers), notices: r.notices.length };
  };
  assert.deepEqual(layers('layers=county,roads'), { shown: ['county', 'roads'], notices: 0 });
  assert.deepEqual(layers('layers='), { shown: [], notices: 0 });
  assert.deepEqual(layers(''), { shown: defaultVisibleLayers(), notices: 0 });
  assert.deepEqual(layers('layers=county,xyz'), { shown: defaultVisibleLayers(), notices: 1 });

  const log = readParams({ from: '2026-13-01', to: '2026-05-02', actor: 'a\u0000b', action: 'export.', limit: '7' }, AUDIT_LOG_PARAMS);
  assert.deepEqual(log.values, { from: '', to: '2026-05-02', actor: '', action: 'export.', limit: 500 });
  assert.deepEqual(log.bad, ['from', 'actor', 'limit']);
  assert.equal(readParams({ limit: '2000' }, AUDIT_LOG_PARAMS).values.limit, 2000);

  assert.equal(readParams({ layer: 'incidents' }, IMPORT_PARAMS).values.layer, 'incidents');
  assert.equal(readParams({ layer: '../../etc' }, IMPORT_PARAMS).values.layer, 'cameras');
});

test('a return path (next) stays on this site', () => {
  for (const good of ['/', '/planner?mode=kde', '/account/password?next=%2Faudit', '/%2F%2Fevil.example']) assert.equal(safeNext(good), good);
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', ' /planner', '/\tx', '/login', '/login?next=/', '', null, undefined, `/${'a'.repeat(2001)}`]) {
    assert.equal(safeNext(bad), '/', String(bad));
  }
  assert.deepEqual(readNext({ next: '/audit' }), { next: '/audit', notices: [] });
  assert.deepEqual(readNext({ next: '/login' }), { next: null, notices: [] });
  assert.deepEqual(readNext({ next: 'https://evil.example/x' }), { next: null, notices: ['链接参数 next=https://evil.example/x 无效(只能是本系统内的页面地址),已改用默认的「态势地图」。'] });
});

test('a failed request is one Chinese sentence: the server\'s, its field messages, or one by code', () => {
  const trpcError = (message: string, data?: object) => Object.assign(new Error(message), { data });
  assert.equal(errorText(trpcError('网格单元边长须在 100–20000 米之间。', { code: 'BAD_REQUEST' })), '网格单元边长须在 100–20000 米之间。');
  const zodJson = JSON.stringify([{ code: 'too_small', path: ['cellM'], message: 'cell size must be positive' }]);
  const withFields = trpcError(zodJson, { code: 'BAD_REQUEST', fieldErrors: [{ path: 'cellM', message: '网格单元边长须大于 0' }] });
  assert.equal(errorText(withFields), '网格单元边长须大于 0');
  assert.deepEqual(fieldHints(withFields, { cellM: 'cell' }), { cell: '网格单元边长须大于 0' });
  for (const [err, expected] of [
    [trpcError(zodJson, { code: 'BAD_REQUEST' }), /^输入有误/],
    [trpcError('cellM: cell size must be positive', { code: 'BAD_REQUEST' }), /^输入有误/],
    [trpcError('Failed to fetch'), /^无法连接服务器/],
    [trpcError('Unexpected token < in JSON', { code: 'INTERNAL_SERVER_ERROR' }), /^操作未完成:服务器出现错误/],
    [trpcError('boom', { code: 'TOO_MANY_REQUESTS' }), /服务器正忙/],
    [new TypeError('x is undefined'), /^操作未完成/],
  ] as const) {
    const text = errorText(err);
    assert.match(text, expected);
    assert.ok(CJK.test(text) && !/[{}[\]]/.test(text) && !/[A-Za-z]{3,}/.test(text), text);
  }
});
