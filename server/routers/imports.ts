// Imports from the import page: preview an uploaded file, start an import job, follow it.
// (The file itself arrives through POST /api/uploads: multipart does not go through tRPC.)
import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { procedure, router } from '../trpc';
import { LAYER_NAMES } from '../import/layers';
import { MappingFileSchema } from '../import/mapping';
import { previewImport } from '../import/preview';
import { findUpload } from '../import/uploads';
import { getJob, recentJobs, startJob } from '../import/jobs';
import { parseCrs } from '../crs';

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
  }, {
    message: 'unknown coordinate system: use wgs84, gcj02, bd09, cgcs2000 or EPSG:<code>',
    // the page's sentence (server/errors.ts reads params.zh)
    params: { zh: '无法识别的坐标系:请选择 WGS-84、GCJ-02(国测局)、BD-09(百度)、CGCS2000,或填写 EPSG 代码。' },
  })
  .optional();
const UploadId = z.string().regex(/^[0-9a-f]{24}$/, 'not an upload id');

const importer = procedure.meta({ cap: 'import.write' });

export const importsRouter = router({
  preview: importer
    .input(z.object({ uploadId: UploadId, layer: Layer, crs: Crs, mapping: MappingFileSchema.optional() }))
    .query(({ input }) => previewImport(findUpload(input.uploadId).path, input.layer === 'osm' ? 'roads' : input.layer, input.crs, input.mapping)),
  start: importer
    .input(z.object({ uploadId: UploadId, layer: Layer, crs: Crs, mapping: MappingFileSchema.optional(), dryRun: z.boolean(), maxErrors: z.number().int().min(0).optional(), allowOutside: z.boolean().optional() }))
    .mutation(async ({ ctx, input }) => ({ jobId: await startJob(ctx.actor, findUpload(input.uploadId), input) })),
  job: importer.input(z.object({ id: z.number().int().positive().max(2_147_483_647) })).query(async ({ ctx, input }) => {
    const job = await ctx.read((tx) => getJob(tx, input.id));
    if (!job) throw new TRPCError({ code: 'NOT_FOUND', message: `导入任务 ${input.id} 不存在。` });
    return job;
  }),
  recent: importer.query(({ ctx }) => ctx.read((tx) => recentJobs(tx, 20))),
});
