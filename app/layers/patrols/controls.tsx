'use client';
// The playback controls of 巡逻轨迹回放: the day, a time slider, play/pause and the speed.
// Everything goes through the map's filters (trackDay, trackSecond), so a link replays the
// same moment. Playing advances the second on a timer (10 updates a second: smooth enough
// for the trail, and few enough URL writes for the browser's history limits).
import { useEffect, useRef, useState } from 'react';
import type { LayerEnv, MapFilters } from '../types';
import { advance, hhmm, LAST_SECOND } from './playback';
import type { TrackData } from './index';

/** Simulated seconds per real second. */
export const SPEEDS: [number, string][] = [[60, '1 分钟/秒'], [300, '5 分钟/秒'], [600, '10 分钟/秒'], [1800, '30 分钟/秒'], [3600, '1 小时/秒']];
export const DEFAULT_SPEED = 600;
const TICK_MS = 100;

export function TrackControls({ env, data, setFilters }: { env: LayerEnv; data: TrackData | undefined; setFilters: (patch: Partial<MapFilters>) => void }) {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(DEFAULT_SPEED);
  // the day asked for (the data may still be the previous day's while it loads)
  const day = env.filters.trackDay ?? data?.lastDay ?? null;
  const second = env.filters.trackSecond;
  // the playback position with its fraction (the filter holds whole seconds)
  const pos = useRef(second);
  if (Math.floor(pos.current) !== second) pos.current = second;
  const live = useRef({ day, speed, setFilters });
  live.current = { day, speed, setFilters };

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      const next = advance(pos.current, now - last, live.current.speed);
      last = now;
      if (next === null) { setPlaying(false); return; }
      pos.current = next;
      live.current.setFilters({ trackDay: live.current.day, trackSecond: Math.floor(next) });
      if (next >= LAST_SECOND) setPlaying(false);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing]);

  const play = () => {
    if (playing) { setPlaying(false); return; }
    // start where there is something to see: at the first fix when before it, from the start after the day's end
    const span = data?.span;
    let s = second;
    if (s >= LAST_SECOND) s = 0;
    if (span && (s < span[0] || s > span[1])) s = Math.floor(span[0]);
    if (s !== second || env.filters.trackDay !== day) setFilters({ trackDay: day, trackSecond: s });
    pos.current = s;
    setPlaying(true);
  };

  const disabled = !day;
  return (
    <div className="track-playback" data-testid="track-playback">
      <label className="track-day">
        日期
        <input
          type="date"
          value={day ?? ''}
          min={data?.firstDay ?? undefined}
          max={data?.lastDay ?? undefined}
          disabled={disabled}
          onChange={(e) => { if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value)) setFilters({ trackDay: e.target.value }); }}
          aria-label="回放日期"
          data-testid="track-day"
        />
      </label>
      <div className="track-frame">
        <button type="button" className="small" onClick={play} disabled={disabled} aria-pressed={playing} data-testid="track-play">{playing ? '暂停' : '播放'}</button>
        <input
          type="range"
          min={0}
          max={LAST_SECOND}
          step={60}
          value={second}
          disabled={disabled}
          onChange={(e) => setFilters({ trackDay: day, trackSecond: Math.min(LAST_SECOND, Math.max(0, Math.round(Number(e.target.value)))) })}
          aria-label="回放时刻"
          aria-valuetext={hhmm(second)}
          data-testid="track-second"
        />
        <span className="track-clock" data-testid="track-clock">{hhmm(second)}</span>
      </div>
      <label className="track-speed">
        速度
        <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="track-speed">
          {SPEEDS.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
        </select>
      </label>
    </div>
  );
}
