// Layer data for the base map: county, townships, villages, grids and roads as GeoJSON,
// simplified for display, straight from PostGIS.
import { z } from 'zod';
import { maybeOne, one, sql } from '../../db/index';
import { townshipsOf, type Tx } from '../../db/scope';
import { featureCollectionSchema } from '../geojson';
import { dataEnd } from '../period';
import { chinaDateOf } from '../../../lib/china-time';

/** Simplification tolerance in degrees (~1 m); the data is drawn at county to street scale. */
const DISPLAY_TOLERANCE_DEG = 0.00001;

export const CountySchema = featureCollectionSchema(z.object({ code: z.string(), name: z.string(), population: z.number().nullable() }));

export const AdminAreaSchema = featureCollectionSchema(
  z.object({
    code: z.string(),
    name: z.string(),
    parentCode: z.string().nullable(),
    population: z.number().nullable(),
    households: z.number().nullable(),
    derived: z.boolean(),
    areaKm2: z.number(),
    labelLon: z.number(),
    labelLat: z.number(),
  }),
);

export const GridSchema = featureCollectionSchema(
  z.object({
    code: z.string(),
    name: z.string(),
    villageCode: z.string().nullable(),
    townshipCode: z.string().nullable(),
    workerName: z.string().nullable(),
    workerPhone: z.string().nullable(),
    households: z.number().nullable(),
    population: z.number().nullable(),
  }),
);

export const RoadSchema = featureCollectionSchema(
  z.object({ name: z.string().nullable(), roadClass: z.string(), rank: z.number(), lengthKm: z.number() }),
);

export const DatasetSchema = z.object({
  demo: z.boolean(),
  label: z.string().nullable(),
  name: z.string().nullable(),
  endDate: z.string().nullable(),
  /** The exclusive end (YYYY-MM-DD, China) of the analyses' default periods: the one the CLI and
   *  the reports use (server/services/period.ts), so the planner's default window is theirs. */
  periodEnd: z.string().nullable(),
});

export async function countyLayer(tx: Tx) {
  const row = await one<{ fc: unknown }>(sql('basemap/county.sql'), [DISPLAY_TOLERANCE_DEG], 'loading the county outline', tx);
  return CountySchema.parse(row.fc);
}

export async function adminAreaLayer(tx: Tx, level: 'township' | 'village') {
  const row = await one<{ fc: unknown }>(sql('basemap/admin-areas.sql'), [level, DISPLAY_TOLERANCE_DEG], `loading the ${level} areas`, tx);
  return AdminAreaSchema.parse(row.fc);
}

export async function gridLayer(tx: Tx) {
  const row = await one<{ fc: unknown }>(sql('basemap/grids.sql'), [DISPLAY_TOLERANCE_DEG, townshipsOf(tx)], 'loading the grid cells', tx);
  return GridSchema.parse(row.fc);
}

export async function roadLayer(tx: Tx) {
  const row = await one<{ fc: unknown }>(sql('basemap/roads.sql'), [DISPLAY_TOLERANCE_DEG], 'loading the roads', tx);
  return RoadSchema.parse(row.fc);
}

export async function datasetInfo(tx: Tx) {
  const row = await maybeOne<{ value: { label?: string; name?: string; endDate?: string } }>(sql('basemap/dataset.sql'), [], 'reading which data set is loaded', tx);
  const end = await dataEnd(tx);
  return DatasetSchema.parse({ demo: row !== null, label: row?.value.label ?? null, name: row?.value.name ?? null, endDate: row?.value.endDate ?? null, periodEnd: end ? chinaDateOf(end) : null });
}
