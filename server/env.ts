// Environment, parsed once with zod so that a bad value fails at start with a clear message.
import path from 'node:path';
import { z } from 'zod';
import { basemapIds, LEGACY_RASTER_ID, parseBasemapsCached, templateProblem } from '../lib/basemaps';

const EnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .optional()
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: 'DATABASE_URL must start with postgres:// or postgresql://',
    }),
  PGLITE_DIR: z.string().trim().min(1).default('.data/pglite'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Optional raster basemap: an XYZ template (…/{z}/{x}/{y}.png) on the intranet (the basemap `raster`). */
  BASEMAP_URL: z
    .string()
    .trim()
    .min(1)
    .optional()
    .superRefine((v, ctx) => {
      const p = v === undefined ? null : templateProblem(v);
      if (p) ctx.addIssue({ code: 'custom', message: p });
    }),
  /** More basemaps: a JSON list of { id, name, kind: xyz|wmts|pmtiles, url | file, crs, attribution?, overlay? } (lib/basemaps.ts). */
  BASEMAPS: z
    .string()
    .trim()
    .optional()
    .transform((raw, ctx) => {
      if (!raw) return [];
      const r = parseBasemapsCached(raw);
      if (!r.ok) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      return r.value;
    }),
  /** The basemap pages open with (an id of BASEMAPS, `raster` for BASEMAP_URL, or `offline`). */
  BASEMAP_DEFAULT: z.string().trim().min(1).optional(),
  /** The folder of the PMTiles files BASEMAPS entries of kind "pmtiles" name (served by /api/tiles/<file>). */
  PMTILES_DIR: z.string().trim().min(1).optional(),
  /** Statement timeout for every pooled connection, in milliseconds. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  /** Behind a reverse proxy that sets X-Forwarded-For (appending the client's address): 1. Else the socket's address is used. */
  TRUSTED_PROXY: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
  /** Heavy analyses run at once per server process (default: 1 embedded, 2 PostgreSQL); keep it below DB_POOL_SIZE. */
  ANALYSIS_CONCURRENCY: z.coerce.number().int().min(1).max(16).optional(),
  /** Heavy analyses that may wait for a slot; more are refused with "try again" (429). */
  ANALYSIS_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  /** Longest life of one live-event subscription (the wall's stream), in ms; the client then reconnects with its last event id, which re-checks its token. */
  LIVE_SUBSCRIPTION_MAX_MS: z.coerce.number().int().min(1_000).max(24 * 3_600_000).default(5 * 60_000),
  /** How often each server process reads new live events, in ms. */
  LIVE_POLL_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  /** The demo's simulator (server/live/simulator.ts): 'auto' runs it on the demo database only, 'on' on any, 'off' never. */
  SIMULATOR: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The simulator's event rate as a multiple of the demo county's own (the load benchmark uses 10). */
  SIMULATOR_RATE: z.coerce.number().min(0.1).max(1000).default(1),
  /** Largest file accepted by POST /api/uploads (the import page), in bytes. */
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(2 * 1024 ** 3),
}).superRefine((env, ctx) => {
  const ids = basemapIds(env);
  if (env.BASEMAP_DEFAULT !== undefined && !ids.includes(env.BASEMAP_DEFAULT)) {
    ctx.addIssue({ code: 'custom', path: ['BASEMAP_DEFAULT'], message: `"${env.BASEMAP_DEFAULT}" is not a configured basemap (the ids are ${ids.join(', ')})` });
  }
  if (env.BASEMAP_URL && env.BASEMAPS.some((b) => b.id === LEGACY_RASTER_ID)) {
    ctx.addIssue({ code: 'custom', path: ['BASEMAPS'], message: `the id "${LEGACY_RASTER_ID}" is BASEMAP_URL's: give the entry another id` });
  }
  const pmtiles = env.BASEMAPS.find((b) => b.kind === 'pmtiles');
  if (pmtiles && !env.PMTILES_DIR) {
    ctx.addIssue({ code: 'custom', path: ['PMTILES_DIR'], message: `is not set, but the basemap "${pmtiles.id}" is a PMTiles file: set it to the folder that holds ${pmtiles.file}` });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Configuration error in ${issue.path.join('.')}: ${issue.message}.`);
  }
  return parsed.data;
}

/** The embedded database folder as an absolute path. */
export function pgliteDir(env: Env = readEnv()): string {
  return path.resolve(env.PGLITE_DIR);
}
