// Management grids by metric for the situational map: incidents of a window, open events
// reported by grid workers, residents and the rate per 1,000 residents. The client has the
// grid polygons already (basemap.grids), so only the figures travel.
import { many, sql } from '../../db/index';
import type { Tx } from '../../db/scope';
import { resolveFilter } from './window';

export interface GridStatsInput {
  from: string;
  to: string;
  categories?: string[];
}

export interface GridStat {
  code: string;
  name: string;
  incidents: number;
  /** Incidents reported by grid workers (source 'grid') not yet closed. */
  openEvents: number;
  population: number | null;
  households: number | null;
  /** Incidents per 1,000 residents; null without a population. */
  ratePer1000: number | null;
  workerName: string | null;
  workerPhone: string | null;
}

export async function gridStats(tx: Tx, input: GridStatsInput): Promise<{ grids: GridStat[] }> {
  const f = resolveFilter(tx, input);
  const rows = await many<{
    code: string; name: string; incidents: number; open_events: number; population: number | null; households: number | null;
    rate_per_1000: number | null; worker_name: string | null; worker_phone: string | null;
  }>(sql('map/grid-stats.sql'), [f.from, f.to, f.categories, f.townships], 'counting incidents per grid', tx);
  return {
    grids: rows.map((r) => ({
      code: r.code,
      name: r.name,
      incidents: r.incidents,
      openEvents: r.open_events,
      population: r.population,
      households: r.households,
      ratePer1000: r.rate_per_1000,
      workerName: r.worker_name,
      workerPhone: r.worker_phone,
    })),
  };
}
