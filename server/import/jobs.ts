// Import jobs started from the import page: recorded in import_jobs (so progress and the
// report survive the request and any process can show them), run in the background of
// the server that received the upload.
import { many, maybeOne, one } from '../db/index';
import { runImport, type ImportOptions, type ImportReport } from './pipeline';
import { runOsmImport, type OsmReport } from './osm';
import type { LayerName } from './layers';
import type { MappingFile } from './mapping';
import type { Upload } from './uploads';
import { mapError } from '../errors';
import { withScope, type Tx } from '../db/scope';
import { audit, auditApart } from '../audit';
import type { Actor } from '../context';

const PROGRESS_EVERY_MS = 500;

export interface JobRow {
  id: number;
  layer: string;
  fileName: string;
  dryRun: boolean;
  status: 'running' | 'committed' | 'dry_run' | 'rolled_back' | 'failed';
  rowsRead: number;
  bytesTotal: number | null;
  /** The report, or a refused file's sentence (error: Chinese for the page, detail: English). */
  report: (ImportReport | OsmReport | { error: string; detail: string }) | null;
  startedAt: string;
  finishedAt: string | null;
}

const COLUMNS = `id, layer, file_name AS "fileName", dry_run AS "dryRun", status, rows_read AS "rowsRead", bytes_total AS "bytesTotal",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

/** Records the job, then runs the import in the background as the same actor (audited). */
export async function startJob(actor: Actor, upload: Upload, options: { layer: LayerName | 'osm'; crs?: string; mapping?: MappingFile; dryRun: boolean; maxErrors?: number; allowOutside?: boolean }): Promise<number> {
  const township = actor.townships?.length === 1 ? actor.townships[0]! : null;
  const { id } = await withScope(actor, { attempted: 'recording an import job' }, (tx) => one<{ id: number }>(
    'INSERT INTO import_jobs (layer, file_name, dry_run, bytes_total, township_code, started_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [options.layer, upload.name, options.dryRun, upload.size, township, actor.id],
    'recording an import job', tx,
  ));
  const record = (text: string, params: unknown[], attempted: string) => withScope(actor, { attempted }, (tx) => many(text, params, attempted, tx));
  let last = 0;
  const onProgress = (rows: number) => {
    if (Date.now() - last < PROGRESS_EVERY_MS) return;
    last = Date.now();
    void record('UPDATE import_jobs SET rows_read = $2 WHERE id = $1', [id, rows], 'recording import progress').catch(() => {});
  };
  const common = { file: upload.path, displayName: upload.name, crs: options.crs, mapping: options.mapping, dryRun: options.dryRun, maxErrors: options.maxErrors, allowOutside: options.allowOutside, onProgress };
  void (async () => {
    let status: JobRow['status'];
    let report: JobRow['report'];
    try {
      const r = await importAudited(actor, options.layer, common);
      report = r;
      status = r.committed ? 'committed' : r.dryRun ? 'dry_run' : 'rolled_back';
    } catch (err) {
      status = 'failed';
      // the page shows the Chinese sentence; a server fault gets the generic one (its detail is logged)
      const m = mapError(err);
      if (m.kind === 'server') console.error(`import job ${id} failed:`, err);
      report = { error: m.message, detail: m.kind === 'server' ? 'Import failed (see the server log).' : m.detail };
    }
    const rowsRead = report && 'read' in report ? report.read : report && 'layers' in report ? Object.values(report.layers).reduce((a, l) => a + l.read, 0) : null;
    await record(
      'UPDATE import_jobs SET status = $2, report = $3::jsonb, rows_read = coalesce($4, rows_read), finished_at = now() WHERE id = $1',
      [id, status, JSON.stringify(report), rowsRead],
      'recording the import result',
    ).catch(() => {});
  })();
  return id;
}

/**
 * One import (a layer, or an OSM extract) as `actor`: its own transaction without a
 * statement timeout, the audit row written in it (a failed import leaves no trace but its
 * refusal, recorded apart).
 */
export async function importAudited(actor: Actor, layer: LayerName | 'osm', options: Omit<ImportOptions, 'layer'>): Promise<ImportReport | OsmReport> {
  try {
    return await withScope(actor, { attempted: `importing ${layer}`, timeoutMs: 0 }, async (tx) => {
      const r = layer === 'osm' ? await runOsmImport(tx, options) : await runImport(tx, { ...options, layer });
      const written = 'layers' in r ? Object.values(r.layers).reduce((a, l) => a + l.inserted + l.updated, 0) : r.inserted + r.updated;
      await audit(tx, { action: options.dryRun ? 'import.dry-run' : 'import', object: layer, rows: r.committed ? written : 0, result: r.committed || r.dryRun ? 'ok' : 'refused', detail: { file: options.displayName ?? options.file, accepted: r.accepted, rejected: r.rejected } });
      return r;
    });
  } catch (err) {
    await auditApart(actor, { action: 'import', object: layer, result: 'failed', detail: { file: options.displayName ?? options.file, reason: err instanceof Error ? err.message : String(err) } });
    throw err;
  }
}

export async function getJob(tx: Tx, id: number): Promise<JobRow | null> {
  return maybeOne<JobRow>(`SELECT ${COLUMNS}, report FROM import_jobs WHERE id = $1`, [id], 'reading an import job', tx);
}

export async function recentJobs(tx: Tx, limit: number): Promise<Omit<JobRow, 'report'>[]> {
  return many(`SELECT ${COLUMNS} FROM import_jobs ORDER BY id DESC LIMIT $1`, [limit], 'listing import jobs', tx);
}
