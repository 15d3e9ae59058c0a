// Imports from the import page: preview an uploaded file, start an import job, follow it.
// (The file itself arrives through POST /api/uploads: multipart does not go through tRPC.)
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { publicProcedure, router } from '../trpc';
import { LAYER_NAMES } from '../import/layers';
import { MappingFileSchema } from '../import/mapping';
import { previewImport } from '../import/preview';
import { findUpload } from '../import/uploads';
import { getJob, recentJobs, startJob } from '../import/jobs';
import { ImportError } from '../import/errors';
import { CrsError, parseCrs } from '../crs';

const Layer = z.enum(['osm', ...LAYER_NAMES]);
const Crs = z
  .string()
  .trim()
  .min(1)
  .refine((v) => {
    try {
      parseCrs(v);
      return true;
    } catch {
      return false;
    }
  }, 'unknown coordinate system: use wgs84, gcj02, bd09, cgcs2000 or EPSG:<code>')
  .optional();
const UploadId = z.string().regex(/^[0-9a-f]{24}$/, 'not an upload id');

/** File-level problems are the user's to fix: they come back as BAD_REQUEST with the sentence. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ImportError || err instanceof CrsError) throw new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause: err });
    throw err;
  }
}

export const importsRouter = router({
  preview: publicProcedure
    .input(z.object({ uploadId: UploadId, layer: Layer, crs: Crs, mapping: MappingFileSchema.optional() }))
    .query(({ input }) => userErrors(() => previewImport(findUpload(input.uploadId).path, input.layer === 'osm' ? 'roads' : input.layer, input.crs, input.mapping))),
  start: publicProcedure
    .input(z.object({ uploadId: UploadId, layer: Layer, crs: Crs, mapping: MappingFileSchema.optional(), dryRun: z.boolean(), maxErrors: z.number().int().min(0).optional() }))
    .mutation(({ input }) => userErrors(async () => ({ jobId: await startJob(findUpload(input.uploadId), input) }))),
  job: publicProcedure.input(z.object({ id: z.number().int().positive() })).query(async ({ input }) => {
    const job = await getJob(input.id);
    if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `Import job ${input.id} does not exist.` });
    return job;
  }),
  recent: publicProcedure.query(() => recentJobs(20)),
});
