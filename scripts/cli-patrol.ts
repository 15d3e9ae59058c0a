// `npm run cli -- patrol clean|dosage|visibility|coverage|suggest …`: the patrol analytics of
// the /patrol page on the command line, with --json for the full result.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Tx } from '../server/db/scope';
import { cleanStored } from '../server/services/patrol/clean';
import { patrolDosage, type AreaSource } from '../server/services/patrol/dosage';
import { patrolVisibility } from '../server/services/patrol/visibility';
import { routeCoverage } from '../server/services/patrol/coverage';
import { suggestRoute } from '../server/services/patrol/suggest';
import { suggestionGpx } from '../server/services/patrol/gpx';
import { patrolTeams } from '../server/services/patrol/teams';
import { periodOf } from '../server/services/patrol/params';
import { PATROL_RULES } from '../server/services/patrol/rules';
import { UserError } from '../server/errors';

export const PATROL_USAGE = `  patrol clean [--device D …] [--json]
                                   re-clean stored GPS tracks by geodata/patrol-rules.json
                                   (dropped fixes kept in patrol_fix_rejects; a report per track)
  patrol dosage [--from date] [--to date] [--areas hotspots|targets|<file.geojson>] [--radius m]
                [--cell m] [--json]
                                   presence minutes, visits, drive-throughs, Koper compliance and
                                   hot-hour revisits per hotspot and time band (default: the last
                                   7 days of fixes, Gi* hotspots of the year before)
  patrol visibility [--from date] [--to date] [--unit grid|township] [--json]
                                   见警率 per grid (or township) and hour, and missed incident peaks
  patrol coverage [--to date] [--within m] [--json]
                                   hotspots, listed targets and key places within X m of the routes
  patrol suggest --team <id|name> [--start HH:MM --end HH:MM] [--mode walk|drive] [--to date]
                 [--gpx out.gpx] [--json]
                                   a patrol loop from the team's base visiting the most risk`;

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const period = (tx: Tx, from?: string, to?: string) => periodOf(tx, { from, to });

export async function patrolCommand(args: string[], read: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, write: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>, usage: (msg: string) => Error): Promise<number | void> {
  const [sub, ...rest] = args;
  const common = { json: { type: 'boolean' as const }, from: { type: 'string' as const }, to: { type: 'string' as const } };
  if (sub === 'clean') {
    const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' }, device: { type: 'string', multiple: true } } });
    const reports = await write((tx) => cleanStored(tx, { devices: values.device }));
    if (values.json) return void console.log(JSON.stringify(reports.map(({ drops, ...r }) => ({ ...r, drops: drops.slice(0, 100) }))));
    for (const r of reports) console.log(`${r.device.padEnd(14)} ${String(r.fixes).padStart(8)} fixes, kept ${r.kept}; dropped ${Object.entries(r.dropped).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}; ${r.segments.length} pieces; interval ${r.intervalS ?? '—'} s`);
    return;
  }
  if (sub === 'dosage') {
    const { values } = parseArgs({ args: rest, strict: true, options: { ...common, areas: { type: 'string' }, radius: { type: 'string' }, cell: { type: 'string' } } });
    const areasArg = values.areas ?? 'hotspots';
    let areas: AreaSource;
    if (areasArg === 'hotspots') areas = { kind: 'hotspots', cellM: values.cell ? Number(values.cell) : 500, distanceM: 1200 };
    else if (areasArg === 'targets') areas = { kind: 'targets' };
    else {
      if (!fs.existsSync(areasArg)) throw usage(`--areas: "${areasArg}" is neither hotspots, targets nor a GeoJSON file.`);
      const gj = JSON.parse(fs.readFileSync(areasArg, 'utf8')) as { type: string; geometry?: unknown; features?: { geometry: unknown; properties?: { name?: string } }[] };
      const f = gj.type === 'FeatureCollection' ? gj.features?.[0] : gj.type === 'Feature' ? (gj as { geometry: unknown; properties?: { name?: string } }) : { geometry: gj };
      areas = { kind: 'drawn', name: f?.properties?.name ?? '区域', geometry: f?.geometry as never };
    }
    const r = await read(async (tx) => patrolDosage(tx, { period: await period(tx, values.from, values.to), areas, radiusM: values.radius ? Number(values.radius) : undefined }));
    if (values.json) return void console.log(JSON.stringify({ ...r, areas: r.areas.map(({ geometry: _g, ...a }) => a) }));
    console.log(`巡防投放量 ${r.method.period.from} 至 ${r.method.period.to}(${r.method.areas},${r.method.radiusM} 米内)`);
    console.log(`${r.totals.areas} 个区域,到访 ${r.totals.visits} 次,路过 ${r.totals.driveThroughs} 次,${r.totals.presenceMinutes} 分钟;Koper 合规 ${pct(r.totals.koperShare)};热时段 2 小时内复巡 ${pct(r.totals.hotSlotShare)};未到访 ${r.totals.unvisited} 个`);
    for (const a of [...r.areas].sort((x, y) => y.incidents - x.incidents).slice(0, 30)) {
      console.log(`  ${a.label.padEnd(22)} 案事件 ${String(a.incidents).padStart(4)}  热时段 ${a.hotHours.join(',') || '—'}  ${String(a.presenceMinutes).padStart(7)} 分钟  到访 ${a.visits}  路过 ${a.driveThroughs}  Koper ${pct(a.koperShare)}  复巡 ${a.hotSlotsMet}/${a.hotSlots}`);
    }
    console.log('巡逻队 Koper 合规:');
    for (const t of r.teams) console.log(`  ${t.team.padEnd(16)} 到访 ${t.visits}(10–15 分钟 ${t.koperVisits},偏短 ${t.shortVisits},偏长 ${t.longVisits})路过 ${t.driveThroughs}  ${pct(t.koperShare)}`);
    return;
  }
  if (sub === 'visibility') {
    const { values } = parseArgs({ args: rest, strict: true, options: { ...common, unit: { type: 'string' } } });
    if (values.unit && !['grid', 'township'].includes(values.unit)) throw usage('--unit grid|township');
    const r = await read(async (tx) => patrolVisibility(tx, { period: await period(tx, values.from, values.to), unit: (values.unit as 'grid' | 'township' | undefined) ?? 'auto' }));
    if (values.json) return void console.log(JSON.stringify({ ...r, units: r.units.map(({ geometry: _g, ...u }) => u) }));
    console.log(`见警率 ${r.method.period.from} 至 ${r.method.period.to}:${pct(r.rate)}(${r.method.definition})`);
    console.log(`分时段:${r.hours.map((h) => `${h.hour}时 ${pct(h.rate)}`).join(' ')}`);
    for (const u of [...r.units].sort((a, b) => a.rate - b.rate).slice(0, 20)) console.log(`  ${u.name.padEnd(20)} ${pct(u.rate)}  案事件 ${u.incidents}`);
    const misses = r.peaks.filter((p) => p.miss);
    console.log(`案发高峰时段见警不足 ${misses.length} 处:`);
    for (const p of misses.slice(0, 20)) console.log(`  ${p.unit} ${p.hour} 时:案事件 ${p.incidents},有巡逻的天数占 ${pct(p.presenceShare)}`);
    return;
  }
  if (sub === 'coverage') {
    const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' }, to: { type: 'string' }, within: { type: 'string' } } });
    const r = await read(async (tx) => routeCoverage(tx, { to: (await period(tx, undefined, values.to)).to, withinM: values.within ? Number(values.within) : undefined }));
    if (values.json) return void console.log(JSON.stringify(r));
    console.log(`巡逻路线覆盖(${r.method.routes} 条路线,${r.method.withinM} 米内):`);
    for (const k of r.kinds) console.log(`  ${k.label.padEnd(12)} ${k.covered}/${k.total}  ${pct(k.share)}`);
    console.log('未覆盖(由远到近):');
    for (const i of r.uncovered.slice(0, 30)) console.log(`  [${i.kind}] ${i.label}  距最近路线 ${i.distanceM ?? '—'} 米`);
    return;
  }
  if (sub === 'suggest') {
    const { values } = parseArgs({ args: rest, strict: true, options: { json: { type: 'boolean' }, team: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' }, mode: { type: 'string' }, to: { type: 'string' }, gpx: { type: 'string' } } });
    if (!values.team) throw usage('patrol suggest --team <id|name> [--start HH:MM --end HH:MM]');
    if (Boolean(values.start) !== Boolean(values.end)) throw usage('--start and --end go together.');
    if (values.mode && !['walk', 'drive'].includes(values.mode)) throw usage('--mode walk|drive');
    const r = await read(async (tx) => {
      const teams = await patrolTeams(tx);
      const team = teams.find((t) => String(t.id) === values.team || t.name === values.team);
      if (!team) throw new UserError(`No patrol team "${values.team}": one of ${teams.map((t) => `${t.id} ${t.name}`).join(', ')}.`, `没有巡逻队“${values.team}”。`);
      return suggestRoute(tx, { teamId: team.id, shift: values.start ? { start: values.start, end: values.end! } : undefined, mode: (values.mode as 'walk' | 'drive' | undefined) ?? 'drive', to: (await period(tx, undefined, values.to)).to });
    });
    if (values.gpx) fs.writeFileSync(values.gpx, suggestionGpx(r, PATROL_RULES.suggest.stopMinutes));
    if (values.json) return void console.log(JSON.stringify(r));
    console.log(`${r.team.name} ${r.shift.start}–${r.shift.end}(${r.shift.minutes} 分钟,${r.mode === 'walk' ? '步巡' : '车巡'}):${r.stops.length} 个热点,行程 ${r.minutes.travel} 分钟 + 停留 ${r.minutes.stops} 分钟 = ${r.minutes.total} 分钟;覆盖风险 ${r.weight.collected} / ${r.weight.available}(${pct(r.weight.share)})`);
    for (const s of r.stops) console.log(`  ${s.order}. ${s.label}  约第 ${s.arriveMinute} 分钟到达  权重 ${s.weight}${s.onPlannedRoute ? '(计划路线已经过)' : ''}`);
    if (r.leftOut.length) console.log(`未纳入 ${r.leftOut.length} 个:${r.leftOut.slice(0, 10).map((l) => `${l.label}(${l.reason})`).join(';')}`);
    if (values.gpx) console.log(`GPX: ${values.gpx}`);
    return;
  }
  throw usage('patrol clean|dosage|visibility|coverage|suggest');
}
