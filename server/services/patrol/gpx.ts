// A suggested route as GPX 1.1 for patrol devices: the loop as a track, each stop as a
// waypoint (name, planned arrival minute and stop length in the description).
import type { Suggestion } from './suggest';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function suggestionGpx(s: Suggestion, stopMinutes: number): string {
  const name = `${s.team.name} ${s.shift.start}–${s.shift.end} 建议巡逻路线`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="平安一张图" xmlns="http://www.topografix.com/GPX/1/1">',
    `  <metadata><name>${esc(name)}</name><desc>${esc(s.method)}</desc></metadata>`,
    `  <wpt lat="${s.base.lat}" lon="${s.base.lon}"><name>${esc(`出发/返回:${s.base.source}`)}</name></wpt>`,
    ...s.stops.map((p) => `  <wpt lat="${p.lat}" lon="${p.lon}"><name>${esc(`${p.order}. ${p.label}`)}</name><desc>${esc(`出发后约 ${p.arriveMinute} 分钟到达,停留 ${stopMinutes} 分钟`)}</desc></wpt>`),
    `  <trk><name>${esc(name)}</name><trkseg>`,
    ...s.path.map(([lon, lat]) => `    <trkpt lat="${lat}" lon="${lon}"></trkpt>`),
    '  </trkseg></trk>',
    '</gpx>',
    '',
  ].join('\n');
}
