// The end of the data's default periods, one definition for the pages (through the data
// set's endDate), the CLI and the reports: the demo data set's end date when the demo is
// loaded, else the China midnight after the latest incident (so its day is included).
// Exclusive: a default period is [end − its length, end).
import { maybeOne, one, sql } from '../db/index';
import type pg from 'pg';
import type { Tx } from '../db/scope';
import { chinaDay, nextChinaMidnight } from '../../lib/china-time';

export async function dataEnd(tx: Tx | pg.PoolClient): Promise<Date | null> {
  const demo = await maybeOne<{ value: { endDate?: string } }>(sql('basemap/dataset.sql'), [], 'reading which data set is loaded', tx);
  if (demo?.value.endDate) return chinaDay(demo.value.endDate);
  const { latest } = await one<{ latest: Date | null }>(sql('peace-index/latest-incident.sql'), [], 'finding the latest incident', tx);
  return latest ? nextChinaMidnight(latest) : null;
}
