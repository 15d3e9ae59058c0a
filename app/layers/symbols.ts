// The map's point symbols: one icon atlas drawn at run time on a canvas (no image files, no
// network), white on transparent, used by deck.gl IconLayer in mask mode so that every point
// takes its colour from getColor. Each symbol has three frames in the atlas, the same size
// and anchor, drawn as three stacked layers (symbolLayers):
//   halo  — the silhouette grown by a few pixels: the outline that keeps a marker readable
//           on any base map (drawn dark);
//   base  — the exact silhouette: the colour of the symbol's inner details (white, or dark
//           under a light colour);
//   glyph — the silhouette with its details (the "!" of a warning triangle, a flame, the
//           windows of a building, a camera's lens) cut out: the symbol's own colour.
// Hazards, key places, high-rises and cameras share it, and the ring around a selected
// marker (selectionRing).
import { IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Accessor, Color, Layer, Position } from '@deck.gl/core';
import type { Texture } from '@luma.gl/core';
import type { LegendItem, Rgb } from './types';

export const SYMBOLS = ['triangle', 'fire', 'flame', 'diamond', 'circle', 'square', 'pin', 'building', 'camera', 'plus', 'star', 'hexagon'] as const;
export type SymbolName = (typeof SYMBOLS)[number];
export const SYMBOL_FRAMES = ['glyph', 'base', 'halo'] as const;
export type SymbolFrame = (typeof SYMBOL_FRAMES)[number];

/** One frame's side in atlas pixels; the shapes stay inside [HALO, CELL - HALO] so the halo fits. */
export const CELL = 64;
export const HALO = 6;
/** Frames per atlas row (a symbol's three frames side by side, four symbols a row). */
const COLUMNS = 12;
/** Frames sit this far apart: a gutter keeps the mipmaps of neighbouring frames from bleeding. */
const STRIDE = CELL + 8;

export interface IconFrame { x: number; y: number; width: number; height: number; anchorX: number; anchorY: number; mask: true }

/** Where a symbol's point sits in its cell: the centre, except the pin (its tip). */
const ANCHOR: Partial<Record<SymbolName, [number, number]>> = { pin: [32, 57] };

export function frameKey(s: SymbolName, f: SymbolFrame = 'glyph'): string {
  return f === 'glyph' ? s : `${s}:${f}`;
}

/** The atlas layout: every symbol's three frames, row-major, CELL × CELL each with a 4-pixel margin. */
export function atlasLayout(): { width: number; height: number; mapping: Record<string, IconFrame> } {
  const mapping: Record<string, IconFrame> = {};
  let k = 0;
  for (const s of SYMBOLS) {
    for (const f of SYMBOL_FRAMES) {
      const [ax, ay] = ANCHOR[s] ?? [CELL / 2, CELL / 2];
      mapping[frameKey(s, f)] = { x: (k % COLUMNS) * STRIDE + 4, y: Math.floor(k / COLUMNS) * STRIDE + 4, width: CELL, height: CELL, anchorX: ax, anchorY: ay, mask: true };
      k++;
    }
  }
  return { width: COLUMNS * STRIDE, height: Math.ceil(k / COLUMNS) * STRIDE, mapping };
}

export const ICON_MAPPING: Record<string, IconFrame> = atlasLayout().mapping;

// ---- drawing -------------------------------------------------------------------------
type Ctx = CanvasRenderingContext2D;

function roundRect(c: Ctx, x: number, y: number, w: number, h: number, r: number): void {
  c.moveTo(x + r, y);
  c.arcTo(x + w, y, x + w, y + h, r);
  c.arcTo(x + w, y + h, x, y + h, r);
  c.arcTo(x, y + h, x, y, r);
  c.arcTo(x, y, x + w, y, r);
  c.closePath();
}

function polygon(c: Ctx, pts: [number, number][]): void {
  pts.forEach(([x, y], i) => (i ? c.lineTo(x, y) : c.moveTo(x, y)));
  c.closePath();
}

function flamePath(c: Ctx, cx: number, cy: number, s: number): void {
  const p = (x: number, y: number): [number, number] => [cx + (x - 32) * s, cy + (y - 33) * s];
  c.moveTo(...p(32, 16));
  c.bezierCurveTo(...p(36, 24), ...p(44, 28), ...p(43, 38));
  c.bezierCurveTo(...p(42, 45), ...p(37, 49), ...p(32, 49));
  c.bezierCurveTo(...p(26, 49), ...p(21, 45), ...p(21, 38));
  c.bezierCurveTo(...p(21, 32), ...p(25, 29), ...p(27, 24));
  c.bezierCurveTo(...p(28, 29), ...p(30, 31), ...p(31.5, 31));
  c.bezierCurveTo(...p(31, 26), ...p(30, 21), ...p(32, 16));
  c.closePath();
}

function star(c: Ctx, cx: number, cy: number, ro: number, ri: number): void {
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 ? ri : ro;
    pts.push([cx + Math.cos(a) * r, cy + Math.sin(a) * r]);
  }
  polygon(c, pts);
}

interface Shape {
  /** The silhouette, as one path to fill. */
  outline(c: Ctx): void;
  /** Details cut out of the glyph (optional). */
  holes?(c: Ctx): void;
  /** Parts drawn back into the glyph after the holes (a flame's core). */
  back?(c: Ctx): void;
}

const SHAPES: Record<SymbolName, Shape> = {
  triangle: {
    outline: (c) => polygon(c, [[32, 9], [56, 52], [8, 52]]),
    holes: (c) => { roundRect(c, 29.25, 22, 5.5, 17, 2.5); c.moveTo(35.2, 45.5); c.arc(32, 45.5, 3.2, 0, 2 * Math.PI); },
  },
  fire: {
    outline: (c) => roundRect(c, 10, 10, 44, 44, 7),
    holes: (c) => flamePath(c, 32, 33, 1),
    back: (c) => c.ellipse(32, 42, 4, 5.5, 0, 0, 2 * Math.PI),
  },
  flame: {
    outline: (c) => flamePath(c, 32, 32, 1.35),
    holes: (c) => c.ellipse(32, 44, 5, 7, 0, 0, 2 * Math.PI),
  },
  diamond: { outline: (c) => polygon(c, [[32, 8], [56, 32], [32, 56], [8, 32]]) },
  circle: { outline: (c) => c.arc(32, 32, 21, 0, 2 * Math.PI) },
  square: { outline: (c) => roundRect(c, 13, 13, 38, 38, 5) },
  pin: {
    outline: (c) => {
      c.moveTo(32, 57);
      c.lineTo(32 + 17 * Math.cos(Math.PI / 6), 24 + 17 * Math.sin(Math.PI / 6));
      c.arc(32, 24, 17, Math.PI / 6, (5 * Math.PI) / 6, true);
      c.closePath();
    },
    holes: (c) => c.arc(32, 24, 6.5, 0, 2 * Math.PI),
  },
  building: {
    outline: (c) => { c.rect(15, 8, 23, 48); c.rect(38, 25, 12, 31); },
    holes: (c) => {
      for (const y of [13, 20, 27, 34, 41]) for (const x of [20, 28.5]) c.rect(x, y, 5, 4);
      for (const y of [30, 37, 44]) c.rect(41.5, y, 5, 4);
      c.rect(23.5, 48, 6, 8);
    },
  },
  camera: {
    outline: (c) => {
      polygon(c, [[8, 15], [42, 15], [52, 11], [52, 36], [42, 32], [8, 32]]);
      c.rect(29, 31, 7, 12);
      roundRect(c, 20, 42, 34, 9, 2);
    },
    holes: (c) => c.arc(15.5, 23.5, 4, 0, 2 * Math.PI),
  },
  plus: { outline: (c) => { c.rect(25, 9, 14, 46); c.rect(9, 25, 46, 14); } },
  star: { outline: (c) => star(c, 32, 34, 25, 10.5) },
  hexagon: {
    outline: (c) => polygon(c, Array.from({ length: 6 }, (_, i): [number, number] => [32 + 23 * Math.cos((i * Math.PI) / 3), 32 + 23 * Math.sin((i * Math.PI) / 3)])),
    holes: (c) => { roundRect(c, 29.25, 19, 5.5, 16, 2.5); c.moveTo(35.2, 42); c.arc(32, 42, 3.2, 0, 2 * Math.PI); },
  },
};

/** Draws one frame of a symbol with its cell's top-left corner at (ox, oy), in white. */
export function drawFrame(c: Ctx, s: SymbolName, f: SymbolFrame, ox: number, oy: number): void {
  const shape = SHAPES[s];
  c.save();
  c.translate(ox, oy);
  c.fillStyle = '#fff';
  c.strokeStyle = '#fff';
  c.lineJoin = 'round';
  c.lineCap = 'round';
  c.beginPath();
  shape.outline(c);
  c.fill();
  // soften the tips: a thin round stroke on the silhouette (and a wide one for the halo)
  c.lineWidth = f === 'halo' ? 2 * HALO : 2;
  c.stroke();
  if (f === 'glyph' && shape.holes) {
    c.globalCompositeOperation = 'destination-out';
    c.beginPath();
    shape.holes(c);
    c.fill();
    c.globalCompositeOperation = 'source-over';
    if (shape.back) {
      c.beginPath();
      shape.back(c);
      c.fill();
    }
  }
  c.restore();
}

let atlas: HTMLCanvasElement | null = null;

/** The atlas canvas (drawn once, in the browser; null where there is no DOM). */
export function symbolAtlas(): HTMLCanvasElement | null {
  if (atlas) return atlas;
  if (typeof document === 'undefined') return null;
  const { width, height, mapping } = atlasLayout();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const c = canvas.getContext('2d');
  if (!c) return null;
  for (const s of SYMBOLS) for (const f of SYMBOL_FRAMES) {
    const m = mapping[frameKey(s, f)]!;
    drawFrame(c, s, f, m.x, m.y);
  }
  atlas = canvas;
  return canvas;
}

/** The props to hand an IconLayer: the atlas canvas (deck.gl turns it into a texture) and the mapping. */
export function symbolIconProps(): { iconAtlas: Texture; iconMapping: Record<string, IconFrame> } {
  // deck.gl's image prop takes a canvas (it builds the texture); its typing only names URLs and textures.
  // A data URL would be fetched, which the page's connect-src does not allow.
  return { iconAtlas: symbolAtlas() as unknown as Texture, iconMapping: ICON_MAPPING };
}

/** One symbol drawn in a colour, as a data URL (for an <img> in a panel or legend), or null without a DOM. */
export function symbolDataUrl(s: SymbolName, color: Rgb, sizePx = 20): string | null {
  const a = symbolAtlas();
  if (!a) return null;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = sizePx * 2;
  const c = canvas.getContext('2d')!;
  const tinted = (f: SymbolFrame, css: string) => {
    const m = ICON_MAPPING[frameKey(s, f)]!;
    const t = document.createElement('canvas');
    t.width = t.height = CELL;
    const tc = t.getContext('2d')!;
    tc.drawImage(a, m.x, m.y, CELL, CELL, 0, 0, CELL, CELL);
    tc.globalCompositeOperation = 'source-in';
    tc.fillStyle = css;
    tc.fillRect(0, 0, CELL, CELL);
    c.drawImage(t, 0, 0, canvas.width, canvas.height);
  };
  tinted('halo', `rgb(${HALO_COLOR.join(',')})`);
  tinted('base', `rgb(${detailColor(color).join(',')})`);
  tinted('glyph', `rgb(${color.join(',')})`);
  return canvas.toDataURL();
}

// ---- colours and the legend -------------------------------------------------------------
export const HALO_COLOR: Rgb = [33, 37, 41];
const WHITE: Rgb = [255, 255, 255];

/** Relative luminance (WCAG) of an sRGB colour, 0–1. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The colour of a symbol's inner details over `c`: white over dark colours, the halo's dark over light ones. */
export function detailColor(c: Rgb): Rgb {
  const l = luminance(c);
  // contrast ratio against white vs against the dark halo colour; pick the larger
  const vsWhite = 1.05 / (l + 0.05);
  const vsDark = (l + 0.05) / (luminance(HALO_COLOR) + 0.05);
  return vsWhite >= vsDark ? WHITE : HALO_COLOR;
}

/** The legend swatch closest to a symbol (the legend draws a few CSS shapes). */
export function legendShape(s: SymbolName): LegendItem['shape'] {
  switch (s) {
    case 'triangle': return 'triangle';
    case 'diamond': return 'diamond';
    case 'fire': case 'square': case 'building': case 'camera': case 'plus': case 'hexagon': return 'square';
    default: return 'point';
  }
}

/** A legend entry for a symbol in a colour. */
export function symbolLegendItem(s: SymbolName, color: Rgb, label: string, value?: string): LegendItem {
  return { label, color: `rgb(${color.join(',')})`, shape: legendShape(s), value };
}

// ---- layers ---------------------------------------------------------------------------
export interface SymbolLayerOptions<D> {
  /** The pickable halo layer gets this id; the others `${id}:base` and `${id}:glyph`. */
  id: string;
  data: D[];
  getPosition: (d: D) => Position;
  getSymbol: SymbolName | ((d: D) => SymbolName);
  getColor: (d: D) => Rgb | Color;
  /** Pixels (the whole cell, halo included; the shape itself is about 70 % of it). Default 22. */
  getSize?: Accessor<D, number>;
  pickable?: boolean;
  updateTriggers?: { getColor?: unknown; getSymbol?: unknown; getSize?: unknown };
  visible?: boolean;
}

/** Three stacked IconLayers (halo, base, glyph) drawing each datum's symbol in its colour. */
export function symbolLayers<D>(o: SymbolLayerOptions<D>): Layer[] {
  const { iconAtlas, iconMapping } = symbolIconProps();
  if (!iconAtlas) return [];
  const g = o.getSymbol;
  const sym = typeof g === 'function' ? g : () => g;
  const common = {
    data: o.data,
    iconAtlas,
    iconMapping,
    getPosition: o.getPosition,
    getSize: o.getSize ?? 22,
    sizeUnits: 'pixels' as const,
    billboard: true,
    alphaCutoff: 0.1,
    visible: o.visible ?? true,
  };
  const t = o.updateTriggers ?? {};
  return [
    new IconLayer<D>({
      ...common, id: o.id, pickable: o.pickable ?? true,
      getIcon: (d) => frameKey(sym(d), 'halo'), getColor: [...HALO_COLOR, 235],
      updateTriggers: { getIcon: t.getSymbol, getSize: t.getSize },
    }),
    new IconLayer<D>({
      ...common, id: `${o.id}:base`, pickable: false,
      getIcon: (d) => frameKey(sym(d), 'base'), getColor: (d) => [...detailColor(o.getColor(d).slice(0, 3) as Rgb), 255],
      updateTriggers: { getIcon: t.getSymbol, getColor: t.getColor, getSize: t.getSize },
    }),
    new IconLayer<D>({
      ...common, id: `${o.id}:glyph`, pickable: false,
      getIcon: (d) => frameKey(sym(d), 'glyph'), getColor: o.getColor,
      updateTriggers: { getIcon: t.getSymbol, getColor: t.getColor, getSize: t.getSize },
    }),
  ];
}

/** The yellow ring around a selected marker, above the labels: `${id}:selected:top`. */
export function selectionRing<D extends { lon: number; lat: number }>(id: string, d: D, radiusPx: number): Layer {
  return new ScatterplotLayer<D>({
    id: `${id}:selected:top`, data: [d], getPosition: (x) => [x.lon, x.lat], radiusUnits: 'pixels', getRadius: radiusPx,
    filled: false, stroked: true, lineWidthUnits: 'pixels', getLineWidth: 3, getLineColor: [255, 212, 59, 255],
  });
}
