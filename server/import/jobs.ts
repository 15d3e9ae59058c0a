// Import jobs started from the import page: recorded in import_jobs (so progress and the
// report survive the request and any process can show them), run in the background of
// the server that received the upload.
import { many, maybeOne, one } from '../db/index';
import { ImportError } from './errors';
import { CrsError } from '../crs';
import { runImport, type ImportReport } from './pipeline';
import { runOsmImport, type OsmReport } from './osm';
import type { LayerName } from './layers';
import type { MappingFile } from './mapping';
import type { Upload } from './uploads';

const PROGRESS_EVERY_MS = 500;

export interface JobRow {
  id: number;
  layer: string;
  fileName: string;
  dryRun: boolean;
  status: 'running' | 'committed' | 'dry_run' | 'rolled_back' | 'failed';
  rowsRead: number;
  bytesTotal: number | null;
  report: (ImportReport | OsmReport | { error: string }) | null;
  startedAt: string;
  finishedAt: string | null;
}

const COLUMNS = `id, layer, file_name AS "fileName", dry_run AS "dryRun", status, rows_read AS "rowsRead", bytes_total AS "bytesTotal",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

export async function startJob(upload: Upload, options: { layer: LayerName | 'osm'; crs?: string; mapping?: MappingFile; dryRun: boolean; maxErrors?: number }): Promise<number> {
  const { id } = await one<{ id: number }>(
    'INSERT INTO import_jobs (layer, file_name, dry_run, bytes_total) VALUES ($1, $2, $3, $4) RETURNING id',
    [options.layer, upload.name, options.dryRun, upload.size],
    'recording an import job',
  );
  let last = 0;
  const onProgress = (rows: number) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    void many('UPDATE import_jobs SET rows_read = $2 WHERE id = $1', [id, rows], 'recording import progress').catch(() => {});
  };
  const common = { file: upload.path, displayName: upload.name, crs: options.crs, mapping: options.mapping, dryRun: options.dryRun, maxErrors: options.maxErrors, onProgress };
  void (async () => {
    let status: JobRow['status'];
    let report: JobRow['report'];
    try {
      const r = options.layer === 'osm' ? await runOsmImport(common) : await runImport({ ...common, layer: options.layer });
      report = r;
      status = r.committed ? 'committed' : r.dryRun ? 'dry_run' : 'rolled_back';
    } catch (err) {
      status = 'failed';
      report = { error: err instanceof ImportError || err instanceof CrsError ? err.message : `Import failed: ${(err as Error).message}` };
    }
    const rowsRead = report && 'read' in report ? report.read : report && 'layers' in report ? Object.values(report.layers).reduce((a, l) => a + l.read, 0) : null;
    await many(
      'UPDATE import_jobs SET status = $2, report = $3::jsonb, rows_read = coalesce($4, rows_read), finished_at = now() WHERE id = $1',
      [id, status, JSON.stringify(report), rowsRead],
      'recording the import result',
    ).catch(() => {});
  })();
  return id;
}

export async function getJob(id: number): Promise<JobRow | null> {
  return maybeOne<JobRow>(`SELECT ${COLUMNS}, report FROM import_jobs WHERE id = $1`, [id], 'reading an import job');
}

export async function recentJobs(limit: number): Promise<Omit<JobRow, 'report'>[]> {
  return many(`SELECT ${COLUMNS} FROM import_jobs ORDER BY id DESC LIMIT $1`, [limit], 'listing import jobs');
}
