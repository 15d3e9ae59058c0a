// The wall's themes: each a set of map layers (from the one registry) and the panels beside
// the map. They rotate on an interval; `?theme=<id>` pins one.
export type PanelId = 'incidents' | 'progress' | 'peace' | 'cameras' | 'hazards' | 'patrols' | 'dosage' | 'feed';

export interface WallTheme {
  id: 'order' | 'cameras' | 'hazards' | 'patrol';
  title: string;
  layers: string[];
  /** the panels left and right of the map, in order; wide walls show the extras too */
  left: PanelId[];
  right: PanelId[];
  extra: PanelId[];
}

const BASE = ['county', 'townships', 'roads', 'labels'];

export const THEMES: WallTheme[] = [
  { id: 'order', title: '治安态势', layers: [...BASE, 'incidents'], left: ['incidents', 'progress'], right: ['peace', 'feed'], extra: ['cameras', 'hazards'] },
  { id: 'cameras', title: '雪亮工程', layers: [...BASE, 'cameras'], left: ['cameras', 'incidents'], right: ['progress', 'feed'], extra: ['peace', 'hazards'] },
  { id: 'hazards', title: '灾害预警', layers: [...BASE, 'hazards', 'fire-zones'], left: ['hazards', 'incidents'], right: ['progress', 'feed'], extra: ['cameras', 'patrols'] },
  { id: 'patrol', title: '巡防力量', layers: [...BASE, 'patrol-routes'], left: ['patrols', 'dosage'], right: ['incidents', 'feed'], extra: ['peace', 'progress'] },
];

export const THEME_IDS = THEMES.map((t) => t.id);

export type Layout = 'hd' | 'uhd' | 'wide';

/** The layout for a viewport: 32:9 and wider keep three columns each side. */
export function layoutFor(width: number, height: number): Layout {
  if (width / height >= 2.8) return 'wide';
  return width >= 3000 ? 'uhd' : 'hd';
}
