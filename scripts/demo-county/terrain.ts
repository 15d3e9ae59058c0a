// Terrain of the demo county: a river valley running WSW–ENE through the county seat,
// mountains rising away from it, with noise. Hazards, villages and forest-fire zones
// are placed by elevation and slope from this surface.
import { createNoise2D } from 'simplex-noise';
import type { Rng } from './random';
import type { XY } from './frame';

export interface Terrain {
  /** Elevation in metres above sea level. */
  elevation(p: XY): number;
  /** Slope in degrees, from a central difference over 60 m. */
  slopeDeg(p: XY): number;
  /** The river's centre line (metres), west to east. */
  river: XY[];
}

const VALLEY_FLOOR_M = 180;
const RELIEF_M = 1100;
const VALLEY_HALF_WIDTH_M = 5500;

export function makeTerrain(rng: Rng, radiusM: number): Terrain {
  const noise = createNoise2D(() => rng.random());
  const detail = createNoise2D(() => rng.random());
  // The river meanders around the line y = 0.25 x.
  const riverY = (x: number) => 0.25 * x + 1800 * Math.sin(x / 6500) + 700 * noise(x / 9000, 3.3);
  const river: XY[] = [];
  for (let x = -radiusM * 1.2; x <= radiusM * 1.2; x += 400) river.push([x, riverY(x)]);

  const elevation = ([x, y]: XY) => {
    const d = Math.abs(y - riverY(x)) * 0.97; // perpendicular distance, approximately
    const valley = 1 - Math.exp(-((d / VALLEY_HALF_WIDTH_M) ** 2));
    const ridges = 0.65 + 0.35 * noise(x / 12_000, y / 12_000);
    const rough = 90 * detail(x / 1800, y / 1800) + 40 * detail(x / 500, y / 500);
    return Math.max(VALLEY_FLOOR_M - 20, VALLEY_FLOOR_M + RELIEF_M * valley * ridges + rough * valley);
  };
  const slopeDeg = ([x, y]: XY) => {
    const h = 30;
    const dx = (elevation([x + h, y]) - elevation([x - h, y])) / (2 * h);
    const dy = (elevation([x, y + h]) - elevation([x, y - h])) / (2 * h);
    return (Math.atan(Math.hypot(dx, dy)) * 180) / Math.PI;
  };
  return { elevation, slopeDeg, river };
}
