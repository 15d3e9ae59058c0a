'use client';
// Print-quality PNG for briefings: the map redrawn 2× or 4× larger at the same place (maplibre
// and the interleaved deck.gl layers share one canvas), framed with the title, the legend of the
// visible layers, a scale bar, a north arrow, the date and time window, and the 示例数据 label.
import { useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { MapToolsProps } from './map-tools';
import type { LegendItem } from '../../layers/types';
import { LABEL_FONT } from '../basemap-style';

const FONT = LABEL_FONT.map((f) => (f.includes(' ') ? `"${f}"` : f)).join(', ');
const EARTH_M = 40_075_016.686;

function theMap(): MaplibreMap | undefined {
  return (window as unknown as { __pinganMap?: MaplibreMap }).__pinganMap;
}

/** A round length (1, 2, 5 × 10^k metres) about `target` metres long. */
export function niceMetres(target: number): number {
  const p = 10 ** Math.floor(Math.log10(target));
  const m = target / p;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

function rendered(map: MaplibreMap): Promise<void> {
  return new Promise((resolve) => {
    map.once('idle', () => resolve());
    map.triggerRepaint();
  });
}

function swatch(ctx: CanvasRenderingContext2D, item: LegendItem, x: number, y: number, s: number) {
  ctx.save();
  ctx.fillStyle = item.color;
  ctx.strokeStyle = item.color;
  if (item.shape === 'line' || item.shape === 'dashed') {
    ctx.lineWidth = Math.max(1, (item.width ?? 2) * s * 0.6);
    if (item.shape === 'dashed') ctx.setLineDash([4 * s, 3 * s]);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 22 * s, y); ctx.stroke();
  } else if (item.shape === 'point' || item.shape === 'ring') {
    ctx.beginPath(); ctx.arc(x + 11 * s, y, 5 * s, 0, Math.PI * 2);
    if (item.shape === 'ring') { ctx.lineWidth = 2 * s; ctx.stroke(); } else ctx.fill();
  } else if (item.shape === 'triangle') {
    ctx.beginPath(); ctx.moveTo(x + 11 * s, y - 6 * s); ctx.lineTo(x + 17 * s, y + 5 * s); ctx.lineTo(x + 5 * s, y + 5 * s); ctx.closePath(); ctx.fill();
  } else {
    ctx.fillRect(x, y - 6 * s, 22 * s, 12 * s);
    ctx.strokeStyle = 'rgba(0,0,0,0.25)'; ctx.lineWidth = s; ctx.strokeRect(x, y - 6 * s, 22 * s, 12 * s);
  }
  ctx.restore();
}

export async function exportPng(props: MapToolsProps, scale: 2 | 4): Promise<Blob> {
  const map = theMap();
  if (!map) throw new Error('地图尚未加载');
  // The map is redrawn scale× larger at the same place (zoom + log2(scale)) in a container scale× the
  // size, at pixel ratio 1: maplibre and the interleaved deck.gl layers both follow a CSS resize (the
  // canvas keeps deck.gl's framebuffer at its size, map-canvas.tsx followCanvasSize), while deck.gl
  // does not follow maplibre's own pixel ratio. Lines, symbols and labels keep their pixel size, so
  // the print shows the same area in finer detail.
  const box = map.getContainer();
  const saved = { style: box.getAttribute('style'), center: map.getCenter(), zoom: map.getZoom() };
  const [w, h] = [box.clientWidth, box.clientHeight];
  box.style.right = 'auto';
  box.style.bottom = 'auto';
  box.style.width = `${w * scale}px`;
  box.style.height = `${h * scale}px`;
  map.resize();
  map.jumpTo({ center: saved.center, zoom: saved.zoom + Math.log2(scale) });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); // deck.gl's resize observer
  try {
    await rendered(map);
    const src = map.getCanvas();
    const s = scale;
    const head = 64 * s;
    const foot = 40 * s;
    const out = document.createElement('canvas');
    out.width = src.width;
    out.height = src.height + head + foot;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(src, 0, head);
    // title and sub-title
    ctx.fillStyle = '#1c3d7a';
    ctx.font = `600 ${26 * s}px ${FONT}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(`${props.title || '县域'}平安一张图`, 20 * s, 24 * s);
    ctx.font = `${14 * s}px ${FONT}`;
    ctx.fillStyle = '#495057';
    const f = props.filters;
    const shown = props.modules.filter((m) => props.visible.has(m.module.id) && m.module.renderer === 'deck').map((m) => m.module.title);
    ctx.fillText(`${shown.join('、') || '底图'}${f ? ` · 时间段 ${f.from} 至 ${f.to}` : ''}`, 20 * s, 50 * s);
    if (props.demoLabel) {
      ctx.font = `700 ${16 * s}px ${FONT}`;
      const w = ctx.measureText(props.demoLabel).width + 24 * s;
      ctx.fillStyle = '#ffd43b';
      ctx.fillRect(out.width - w - 20 * s, 12 * s, w, 30 * s);
      ctx.fillStyle = '#5c3c00';
      ctx.fillText(props.demoLabel, out.width - w - 8 * s, 27 * s);
    }
    // legend, bottom left over the map
    const items = props.modules.filter((m) => props.visible.has(m.module.id)).flatMap((m) => m.legend.items.map((i) => ({ ...i, group: m.module.title })));
    if (items.length) {
      const rows = Math.min(items.length, 18);
      const lh = 20 * s;
      const boxW = 250 * s;
      const boxH = rows * lh + 36 * s;
      const x0 = 16 * s;
      const y0 = head + src.height - boxH - 16 * s;
      ctx.fillStyle = 'rgba(255,255,255,0.92)';
      ctx.fillRect(x0, y0, boxW, boxH);
      ctx.strokeStyle = '#adb5bd'; ctx.lineWidth = s; ctx.strokeRect(x0, y0, boxW, boxH);
      ctx.fillStyle = '#212529'; ctx.font = `600 ${14 * s}px ${FONT}`;
      ctx.fillText('图例', x0 + 10 * s, y0 + 16 * s);
      ctx.font = `${12 * s}px ${FONT}`;
      items.slice(0, rows).forEach((it, i) => {
        const y = y0 + 36 * s + i * lh;
        swatch(ctx, it, x0 + 10 * s, y, s);
        ctx.fillStyle = '#212529';
        ctx.fillText(`${it.label}${it.value ? ` ${it.value}` : ''}`, x0 + 40 * s, y);
      });
      if (items.length > rows) { ctx.fillStyle = '#868e96'; ctx.fillText(`另有 ${items.length - rows} 项`, x0 + 140 * s, y0 + 16 * s); }
    }
    // scale bar, bottom right: metres per CSS pixel at the centre (512-px tiles)
    const c = map.getCenter();
    const mPerPx = (EARTH_M * Math.cos((c.lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom()); // per output pixel
    const metres = niceMetres(mPerPx * 150 * s);
    const barPx = metres / mPerPx;
    const bx = out.width - barPx - 30 * s;
    const by = head + src.height - 28 * s;
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    ctx.fillRect(bx - 10 * s, by - 26 * s, barPx + 20 * s, 40 * s);
    ctx.fillStyle = '#212529';
    ctx.fillRect(bx, by, barPx, 5 * s);
    ctx.fillRect(bx, by - 6 * s, 2 * s, 11 * s); ctx.fillRect(bx + barPx - 2 * s, by - 6 * s, 2 * s, 11 * s);
    ctx.font = `${12 * s}px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(metres >= 1000 ? `${metres / 1000} 千米` : `${metres} 米`, bx + barPx / 2, by - 13 * s);
    // north arrow, top right of the map (the map's bearing turns it)
    const ax = out.width - 46 * s;
    const ay = head + 56 * s;
    ctx.save();
    ctx.translate(ax, ay);
    ctx.rotate((-map.getBearing() * Math.PI) / 180);
    ctx.fillStyle = 'rgba(255,255,255,0.9)'; ctx.beginPath(); ctx.arc(0, 0, 24 * s, 0, Math.PI * 2); ctx.fill();
    ctx.fillStyle = '#212529';
    ctx.beginPath(); ctx.moveTo(0, -18 * s); ctx.lineTo(9 * s, 12 * s); ctx.lineTo(0, 6 * s); ctx.lineTo(-9 * s, 12 * s); ctx.closePath(); ctx.fill();
    ctx.font = `700 ${12 * s}px ${FONT}`; ctx.fillText('北', 0, -30 * s + 4 * s);
    ctx.restore();
    // footer: date and source
    ctx.textAlign = 'left';
    ctx.fillStyle = '#495057';
    ctx.font = `${12 * s}px ${FONT}`;
    const now = new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    ctx.fillText(`制图时间:${now}    坐标系:WGS-84    数据来源:平安一张图${props.demoLabel ? `(${props.demoLabel},非真实数据)` : ''}`, 20 * s, head + src.height + foot / 2);
    return await new Promise<Blob>((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error('无法生成图片'))), 'image/png'));
  } finally {
    if (saved.style === null) box.removeAttribute('style');
    else box.setAttribute('style', saved.style);
    map.resize();
    map.jumpTo({ center: saved.center, zoom: saved.zoom });
  }
}

export function ExportPng(props: MapToolsProps) {
  const [busy, setBusy] = useState<number | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const run = async (scale: 2 | 4) => {
    setBusy(scale); setErr(null);
    try {
      const blob = await exportPng(props, scale);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `平安一张图-${new Date().toISOString().slice(0, 10)}-${scale}x.png`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      setErr(e instanceof Error ? e.message : '导出失败');
    } finally {
      setBusy(null);
    }
  };
  return (
    <span className="export-png">
      {([2, 4] as const).map((k) => (
        <button key={k} type="button" className="small" disabled={busy !== null} onClick={() => void run(k)} data-testid={`export-${k}x`}>{busy === k ? '正在导出…' : `导出图片 ${k}×`}</button>
      ))}
      {err && <span className="bad">{err}</span>}
    </span>
  );
}
