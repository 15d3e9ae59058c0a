// map-view-1m: the situational map's incident layer on a database of 1,000,000 incidents
// (seed it first: `npm run cli -- seed --scale 20`). Views: the whole county centred at zoom
// 8–17, the county seat at 14 and 16, one township at 12, each the box a 1920×1080 viewport
// shows. Per view the layer the client asks for at that zoom (map.incidentBins below 14,
// incidentBins + incidentPoints from 14), through the tRPC caller with the result cache
// cleared before every call (the server time of a view nobody asked for yet): median of 5
// after one warm-up, and the payload as JSON and gzipped. Two windows: the last 365 days of
// data and the whole data range. Baseline in the same run: a plain count(*) of the same
// window under the same scope.
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { getDatabase, one } from '../server/db/index';
import { migrate } from '../server/db/migrate';
import { withScope } from '../server/db/scope';
import { systemActor } from '../server/context';
import { createCaller } from '../server/root';
import { clearAnalysisCache } from '../server/analysis-queue';
import { chinaDateOf } from '../lib/china-time';
import { LIMITS } from '../lib/limits';
import { latOf, lonOf, mercX, mercY, type Bbox } from '../server/services/map/lattice';
import { lap, r3 } from './lap';

const TARGET_MS = 500;
const TARGET_BYTES = 2 * 1024 * 1024;

/** The box a W × H px viewport shows around (lon, lat) at `zoom` (maplibre's 512-px tiles). */
export function viewBox(lon: number, lat: number, zoom: number, w = 1920, h = 1080): Bbox {
  const m = (2 * Math.PI * 6378137) / 512 / 2 ** zoom;
  const x = mercX(lon), y = mercY(lat);
  return [lonOf(x - (w / 2) * m), latOf(y - (h / 2) * m), lonOf(x + (w / 2) * m), latOf(y + (h / 2) * m)];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({ args, options: { runs: { type: 'string', default: '5' } }, strict: true });
  const runs = Number(values.runs);
  const db = await getDatabase();
  await migrate();
  const actor = systemActor('bench map-view-1m', ['admin']);
  const api = createCaller({ databaseKind: db.kind, actor });
  const scoped = <T>(fn: Parameters<typeof withScope<T>>[2]) => withScope(actor, { attempted: 'the map-view benchmark', readOnly: true, timeoutMs: 0 }, fn);
  const facts = await scoped((tx) => one<{ n: number; first: Date; last: Date; lon: number; lat: number; seat_lon: number; seat_lat: number; seat: string; town: string; town_lon: number; town_lat: number }>(
    `SELECT (SELECT count(*)::int FROM incidents) AS n, (SELECT min(occurred_at) FROM incidents) AS first, (SELECT max(occurred_at) FROM incidents) AS last,
            ST_X(ST_Centroid(c.geom)) AS lon, ST_Y(ST_Centroid(c.geom)) AS lat,
            ST_X(s.centre) AS seat_lon, ST_Y(s.centre) AS seat_lat, s.name AS seat,
            t.name AS town, ST_X(t.centre) AS town_lon, ST_Y(t.centre) AS town_lat
     FROM admin_areas c,
          LATERAL (SELECT * FROM admin_areas WHERE level = 'township' ORDER BY population DESC NULLS LAST LIMIT 1) s,
          LATERAL (SELECT * FROM admin_areas WHERE level = 'township' AND code <> s.code ORDER BY code LIMIT 1) t
     WHERE c.level = 'county'`, [], 'the benchmark’s facts', tx,
  ));
  const last = chinaDateOf(facts.last);
  const windows = {
    last365: { from: chinaDateOf(new Date(facts.last.getTime() - 364 * 86_400_000)), to: last },
    wholeRange: { from: chinaDateOf(facts.first), to: last },
  };
  const views: { name: string; bbox: Bbox; zoom: number }[] = [];
  for (let z = 8; z <= 17; z++) views.push({ name: `county z${z}`, bbox: viewBox(facts.lon, facts.lat, z), zoom: z });
  views.push({ name: `seat ${facts.seat} z14`, bbox: viewBox(facts.seat_lon, facts.seat_lat, 14), zoom: 14 });
  views.push({ name: `seat ${facts.seat} z16`, bbox: viewBox(facts.seat_lon, facts.seat_lat, 16), zoom: 16 });
  views.push({ name: `township ${facts.town} z12`, bbox: viewBox(facts.town_lon, facts.town_lat, 12), zoom: 12 });

  const results: Record<string, unknown>[] = [];
  const baselines: Record<string, number> = {};
  for (const [wname, w] of Object.entries(windows)) {
    const from = new Date(`${w.from}T00:00:00+08:00`);
    const to = new Date(new Date(`${w.to}T00:00:00+08:00`).getTime() + 86_400_000);
    const count = () => scoped((tx) => one<{ n: number }>('SELECT count(*)::int AS n FROM incidents WHERE occurred_at >= $1 AND occurred_at < $2', [from, to], 'the baseline count', tx));
    await count();
    const bt: number[] = [];
    let inWindow = 0;
    for (let i = 0; i < runs; i++) {
      const [r, s] = await lap(count);
      bt.push(s * 1000);
      inWindow = r.n;
    }
    const baseMs = median(bt);
    baselines[wname] = r3(baseMs);
    for (const v of views) {
      const layer = async () => {
        clearAnalysisCache();
        const bins = await api.map.incidentBins({ bbox: v.bbox, zoom: v.zoom, ...w });
        const points = v.zoom >= LIMITS.mapPoints.minZoom ? await api.map.incidentPoints({ bbox: v.bbox, zoom: v.zoom, ...w }) : null;
        return { bins, points };
      };
      await layer(); // warm-up
      const times: number[] = [];
      let out: Awaited<ReturnType<typeof layer>> | undefined;
      for (let i = 0; i < runs; i++) {
        const [r, s] = await lap(layer);
        times.push(s * 1000);
        out = r;
      }
      const json = JSON.stringify(out);
      const gz = zlib.gzipSync(json).length;
      const ms = median(times);
      const row = {
        window: wname,
        view: v.name,
        zoom: v.zoom,
        layer: out!.points ? 'bins+points' : 'bins',
        ms: r3(ms),
        ratioToCount: r3(ms / baseMs),
        bins: out!.bins.counts.length,
        sizeM: out!.bins.sizeM,
        incidentsInBins: out!.bins.total,
        points: out!.points ? { sent: out!.points.ids.length, inView: out!.points.count, capped: out!.points.capped } : null,
        jsonBytes: json.length,
        gzipBytes: gz,
        pass: ms < TARGET_MS && json.length < TARGET_BYTES,
      };
      console.error(`${wname} ${v.name}: ${r3(ms)} ms (count ${r3(baseMs)} ms), ${row.bins} bins, ${json.length} B json, ${gz} B gzip${row.pass ? '' : ' MISS'}`);
      results.push(row);
      void inWindow;
    }
  }
  const slowest = results.reduce((a, b) => ((b.ms as number) > (a.ms as number) ? b : a));
  const largest = results.reduce((a, b) => ((b.jsonBytes as number) > (a.jsonBytes as number) ? b : a));
  const missed = results.filter((r) => !r.pass).map((r) => `${r.window} ${r.view}`);
  return {
    engine: db.kind,
    incidents: facts.n,
    windows,
    runs,
    method: 'median of runs after one warm-up; result cache cleared before every call; bins below zoom 14, bins + points (default limit) from 14; viewport 1920×1080',
    baselineCountMs: baselines,
    targets: { ms: `< ${TARGET_MS} ms server time`, bytes: `< ${TARGET_BYTES} bytes JSON` },
    heaviest: { slowest, largest },
    passed: results.length - missed.length,
    missed,
    views: results,
  };
}
