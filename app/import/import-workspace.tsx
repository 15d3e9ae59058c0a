'use client';
// The import page: choose the layer and coordinate system, drop a file, check the preview
// (format, encoding, CRS, column mapping, first rows), run the import (or a dry run) with
// a progress bar, and read the report: every rejected row with its field and reason.
import { FIELD_ZH } from '@/lib/import-fields';
import { useCallback, useRef, useState, type DragEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';
import { TopBar } from '../components/top-bar';
import { reasonZh } from './reason-zh';
import { LAYER_OPTIONS, type LayerChoice } from './import-params';
import { fieldHint, wholeNumber } from '@/lib/url-params';
import { errorText } from '../components/error-text';
import { ParamNotices } from '../components/param-notices';

const CRS_OPTIONS: [string, string][] = [
  ['', '自动(文件声明,否则 WGS-84)'], ['wgs84', 'WGS-84(GPS)'], ['gcj02', 'GCJ-02(高德/腾讯)'], ['bd09', 'BD-09(百度)'], ['cgcs2000', 'CGCS2000 经纬度'], ['epsg', 'CGCS2000 高斯-克吕格(EPSG 代码)'],
];
const STATUS_LABELS: Record<string, string> = { running: '导入中', committed: '已导入', dry_run: '试运行完成(未写入)', rolled_back: '未写入', failed: '失败' };

const GEOMETRY_NAMES: Record<string, string> = {
  Point: '点', MultiPoint: '多点', LineString: '线', MultiLineString: '多线', Polygon: '面', MultiPolygon: '多面', GeometryCollection: '几何集合',
};
const MAX_ERRORS = { schema: wholeNumber(0, 1_000_000, '最大错误行数'), fallback: null, label: '不限' };

/** Where the preview's CRS came from, in Chinese (the importer may describe it in English). */
function crsFromText(crs: { from: string; fromZh?: unknown }): string {
  if (typeof crs.fromZh === 'string') return crs.fromZh;
  if (crs.from === 'chosen') return '已选择';
  if (/[\u3400-\u9fff]/.test(crs.from)) return crs.from;
  if (crs.from.startsWith('default')) return '默认:文件未声明坐标系';
  return '文件声明';
}

interface UploadInfo {
  uploadId: string;
  name: string;
  size: number;
}

function uploadWithProgress(file: File, onProgress: (share: number) => void): Promise<UploadInfo> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: { error?: unknown } & Partial<UploadInfo> = {};
      try {
        body = JSON.parse(xhr.responseText || '{}');
      } catch {
        // not JSON (a proxy's or the server's plain-text refusal): the status says enough
      }
      if (xhr.status === 200 && typeof body.uploadId === 'string') return resolve(body as UploadInfo);
      const said = typeof body.error === 'string' ? body.error : /[\u3400-\u9fff]/.test(xhr.responseText) && xhr.responseText.length < 300 ? xhr.responseText : '';
      reject(new Error(said || (xhr.status === 413 ? '上传失败:文件过大。' : `上传失败(HTTP ${xhr.status}):请稍后重试,或联系系统管理员。`)));
    };
    xhr.onerror = () => reject(new Error('上传失败:网络错误'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

export function ImportWorkspace({ initialLayer = 'cameras', notices = [] }: { initialLayer?: LayerChoice; notices?: string[] }) {
  const trpc = useTRPC();
  const [layer, setLayer] = useState<LayerChoice>(initialLayer);
  const [crsChoice, setCrsChoice] = useState('');
  const [epsg, setEpsg] = useState('EPSG:4548');
  const [dryRun, setDryRun] = useState(true);
  const [allowOutside, setAllowOutside] = useState(false);
  const [maxErrors, setMaxErrors] = useState('');
  const [maxErrorsHint, setMaxErrorsHint] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, unknown> | undefined>();
  const [mappingError, setMappingError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadInfo | null>(null);
  const [uploadShare, setUploadShare] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [jobId, setJobId] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const crs = crsChoice === 'epsg' ? epsg : crsChoice || undefined;
  const preview = useQuery({
    ...trpc.imports.preview.queryOptions({ uploadId: upload?.uploadId ?? '0'.repeat(24), layer, crs, mapping: mapping as never }),
    enabled: Boolean(upload),
    retry: false,
  });
  const start = useMutation(trpc.imports.start.mutationOptions({ onSuccess: (r) => setJobId(r.jobId) }));
  const job = useQuery({
    ...trpc.imports.job.queryOptions({ id: jobId ?? 1 }),
    enabled: jobId !== null,
    refetchInterval: (q) => (q.state.data?.status === 'running' || !q.state.data ? 500 : false),
  });
  const recent = useQuery({ ...trpc.imports.recent.queryOptions(), refetchInterval: job.data?.status === 'running' ? 2000 : false });

  const takeFile = useCallback(async (file: File | undefined) => {
    if (!file) return;
    setUpload(null);
    setJobId(null);
    setUploadError(null);
    setUploadShare(0);
    try {
      setUpload(await uploadWithProgress(file, setUploadShare));
    } catch (err) {
      setUploadError((err as Error).message);
    } finally {
      setUploadShare(null);
    }
  }, []);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void takeFile(e.dataTransfer.files[0]);
  };

  const readMapping = async (file: File | undefined) => {
    setMappingError(null);
    if (!file) return setMapping(undefined);
    try {
      setMapping(JSON.parse(await file.text()));
    } catch (err) {
      setMapping(undefined);
      setMappingError(err instanceof SyntaxError ? '映射文件不是有效的 JSON:请用文本编辑器检查括号、引号和逗号。' : '映射文件无法读取,请重新选择。');
    }
  };

  const report = job.data?.report as
    | {
        accepted: number; rejected: number; skipped?: number; repaired?: number; inserted?: number; updated?: number; warnings: string[]; warningsZh?: string[];
        errors: { row: number; field: string; reason: string }[]; aborted?: string | null; abortedZh?: string | null; error?: undefined;
      }
    | { error: string }
    | null
    | undefined;
  const estimated = preview.data?.rowCount ?? null;
  const running = job.data?.status === 'running';
  const progressShare = running && estimated ? Math.min(1, (job.data?.rowsRead ?? 0) / estimated) : null;

  return (
    <main className="import-page">
      <TopBar active="import" />
      <div className="import-body">
        <ParamNotices notices={notices} />
        <section className="panel">
          <h2>1. 选择图层与坐标系</h2>
          <div className="form-row">
            <label>
              导入到图层
              <select value={layer} onChange={(e) => setLayer(e.target.value as LayerChoice)} data-testid="layer">
                {LAYER_OPTIONS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
              </select>
            </label>
            <label>
              坐标系
              <select value={crsChoice} onChange={(e) => setCrsChoice(e.target.value)} data-testid="crs">
                {CRS_OPTIONS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
              </select>
            </label>
            {crsChoice === 'epsg' && (
              <label>
                EPSG 代码
                <input type="text" value={epsg} onChange={(e) => setEpsg(e.target.value)} />
              </label>
            )}
            <label>
              映射文件(可选,JSON)
              <input type="file" accept=".json,application/json" onChange={(e) => void readMapping(e.target.files?.[0])} />
            </label>
            <label>
              最大错误行数(超过则整体放弃)
              <input type="number" min={0} max={1000000} step={1} value={maxErrors} aria-invalid={!!maxErrorsHint} onChange={(e) => setMaxErrors(e.target.value)} placeholder="不限" data-testid="max-errors" />
              {maxErrorsHint && <span className="field-hint" role="alert">{maxErrorsHint}</span>}
            </label>
            <label className="inline">
              <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="dry-run" />
              试运行(只检查,不写入)
            </label>
            <label className="inline" title="默认拒绝位置全部位于本县范围之外的文件(通常是坐标系选错了)">
              <input type="checkbox" checked={allowOutside} onChange={(e) => setAllowOutside(e.target.checked)} data-testid="allow-outside" />
              允许县外数据(位置全部在县外时也导入)
            </label>
          </div>
          {mappingError && <p className="bad">{mappingError}</p>}
        </section>

        <section className="panel">
          <h2>2. 上传文件</h2>
          <div
            className={`dropzone${over ? ' over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={onDrop}
            onClick={() => fileInput.current?.click()}
            data-testid="dropzone"
          >
            将文件拖到此处,或点击选择文件
            <br />
            <small>支持 CSV / Excel(.xlsx) / GeoJSON / KML / KMZ / Shapefile(.zip) / GPX / OSM;CSV 可为 UTF-8 或 GBK 编码</small>
            <input ref={fileInput} type="file" hidden onChange={(e) => void takeFile(e.target.files?.[0])} data-testid="file-input" />
          </div>
          {uploadShare !== null && (
            <div className="progress" style={{ marginTop: 10 }}>
              <div style={{ width: `${Math.round(uploadShare * 100)}%` }} />
            </div>
          )}
          {uploadError && <p className="bad">{uploadError}</p>}
          {upload && <p>已上传:{upload.name}({(upload.size / 1024).toFixed(1)} KB)</p>}
        </section>

        {upload && (
          <section className="panel" data-testid="preview">
            <h2>3. 预览</h2>
            {preview.error && <p className="bad" role="alert">{errorText(preview.error)}</p>}
            {preview.data && (
              <>
                <div className="kv">
                  <span>格式:<b>{preview.data.format.toUpperCase()}</b></span>
                  {preview.data.encoding && <span>编码:<b>{preview.data.encoding}</b></span>}
                  <span>坐标系:<b>{preview.data.crs.source}</b>({crsFromText(preview.data.crs)})</span>
                  {estimated !== null && <span data-testid="row-count">{preview.data.rowCountExact ? '共' : '约'} <b>{estimated.toLocaleString('zh-CN')}</b> 行</span>}
                </div>
                <h3 style={{ fontSize: 14 }}>字段对应</h3>
                <div className="kv" data-testid="mapping">
                  {Object.entries(preview.data.mapping).filter(([, h]) => h).map(([f, h]) => (
                    <span key={f}>{FIELD_ZH[f] ?? f} ← <b>{h}</b></span>
                  ))}
                </div>
                {preview.data.unusedColumns.length > 0 && <p className="warn">未使用的列:{preview.data.unusedColumns.join('、')}</p>}
                <h3 style={{ fontSize: 14 }}>前 {preview.data.rows.length} 行</h3>
                <div className="table-scroll">
                  <table className="data">
                    <thead>
                      <tr>
                        <th>行号</th>
                        {preview.data.headers.map((h) => <th key={h}>{h}</th>)}
                        {preview.data.rows.some((r) => r.geometryType) && <th>几何</th>}
                      </tr>
                    </thead>
                    <tbody>
                      {preview.data.rows.map((r) => (
                        <tr key={r.row}>
                          <td>{r.row}</td>
                          {preview.data.headers.map((h) => <td key={h}>{r.fields[h]}</td>)}
                          {r.geometryType && <td title={r.geometryType}>{GEOMETRY_NAMES[r.geometryType] ?? r.geometryType}</td>}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <p>
                  <button
                    className="primary"
                    disabled={running || start.isPending}
                    onClick={() => {
                      const hint = fieldHint(MAX_ERRORS, maxErrors);
                      setMaxErrorsHint(hint);
                      if (!hint) start.mutate({ uploadId: upload.uploadId, layer, crs, mapping: mapping as never, dryRun, allowOutside, maxErrors: maxErrors.trim() === '' ? undefined : Number(maxErrors) });
                    }}
                    data-testid="start"
                  >
                    {dryRun ? '开始试运行' : '开始导入'}
                  </button>
                </p>
                {start.error && <p className="bad" role="alert">{errorText(start.error)}</p>}
              </>
            )}
          </section>
        )}

        {jobId !== null && job.data && (
          <section className="panel" data-testid="report">
            <h2>4. 导入结果 · {STATUS_LABELS[job.data.status]}</h2>
            {running && (
              <div className={`progress${progressShare === null ? ' indeterminate' : ''}`}>
                <div style={progressShare === null ? undefined : { width: `${Math.round(progressShare * 100)}%` }} />
              </div>
            )}
            <p>已读取 {job.data.rowsRead.toLocaleString('zh-CN')} 行</p>
            {report && 'error' in report && report.error && <p className="bad">{report.error}</p>}
            {report && !('error' in report && report.error) && 'accepted' in report && (
              <>
                <div className="kv">
                  <span className="ok">接受 <b>{report.accepted}</b> 行</span>
                  <span className={report.rejected ? 'bad' : ''}>拒绝 <b>{report.rejected}</b> 行</span>
                  {report.inserted !== undefined && <span>新增 <b>{report.inserted}</b>,更新 <b>{report.updated}</b></span>}
                  {report.repaired ? <span>修复几何 <b>{report.repaired}</b></span> : null}
                </div>
                {report.aborted && <p className="bad">已放弃:{report.abortedZh ?? report.aborted}</p>}
                {report.warnings.length > 0 && <ul className="warnings">{(report.warningsZh ?? report.warnings).map((w, i) => <li key={i}>{w}</li>)}</ul>}
                {report.errors.length > 0 && (
                  <div className="table-scroll">
                    <table className="data">
                      <thead>
                        <tr><th>行号</th><th>字段</th><th>原因</th></tr>
                      </thead>
                      <tbody>
                        {report.errors.slice(0, 500).map((e, i) => (
                          <tr key={i}><td>{e.row}</td><td>{FIELD_ZH[e.field] ?? e.field}</td><td title={e.reason}>{reasonZh(e.reason)}</td></tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </>
            )}
          </section>
        )}

        <section className="panel">
          <h2>最近的导入</h2>
          <table className="data">
            <thead>
              <tr><th>编号</th><th>图层</th><th>文件</th><th>状态</th><th>行数</th><th>开始时间</th></tr>
            </thead>
            <tbody>
              {(recent.data ?? []).map((j) => (
                <tr key={j.id}>
                  <td>{j.id}</td>
                  <td>{LAYER_OPTIONS.find(([v]) => v === j.layer)?.[1] ?? j.layer}</td>
                  <td>{j.fileName}</td>
                  <td>{STATUS_LABELS[j.status]}</td>
                  <td>{j.rowsRead}</td>
                  <td>{new Date(j.startedAt).toLocaleString('zh-CN')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </main>
  );
}
