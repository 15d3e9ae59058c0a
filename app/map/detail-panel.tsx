'use client';
// The detail panel of the selected object: the owning layer module's own panel, or its
// tooltip text when it has none.
import type { LayerEnv, LayerModule, Selection } from '../layers/types';

export function DetailPanel({ module: m, sel, data, env, onClose }: { module: LayerModule; sel: Selection; data: unknown; env: LayerEnv; onClose: () => void }) {
  const D = m.Detail;
  return (
    <aside className="panel detail-panel" aria-label="详情" data-testid="detail-panel" data-layer={m.id}>
      <div className="detail-head">
        <span className="detail-kind">{m.title}</span>
        <button type="button" className="small" onClick={onClose} aria-label="关闭详情">关闭</button>
      </div>
      {D ? <D sel={sel} data={data} env={env} /> : <p className="muted">编号 {String(sel.id)}</p>}
    </aside>
  );
}
