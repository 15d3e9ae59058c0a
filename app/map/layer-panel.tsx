'use client';
// The layer panel: the layers a page offers, grouped as the registry groups them, each with a
// checkbox and its state (loading, failed, how to see it).
import { GROUP_ORDER } from '../layers/types';
import type { ModuleState } from './use-layers';
import { errorText } from '../components/error-text';

export function LayerPanel({ modules, offered, visible, onToggle }: { modules: ModuleState[]; offered: readonly string[]; visible: ReadonlySet<string>; onToggle: (id: string) => void }) {
  const shown = modules.filter((m) => offered.includes(m.module.id));
  const groups = GROUP_ORDER.filter((g) => shown.some((m) => m.module.group === g));
  return (
    <section className="panel layer-panel" aria-label="图层">
      <h2>图层</h2>
      {groups.map((g) => (
        <fieldset key={g}>
          <legend>{g}</legend>
          {shown.filter((m) => m.module.group === g).map(({ module: l, state }) => (
            <label key={l.id} className="layer-toggle">
              <input type="checkbox" checked={visible.has(l.id)} onChange={() => onToggle(l.id)} data-layer={l.id} />
              {l.title}
              {visible.has(l.id) && state.loading && <span className="layer-state" data-testid={`loading-${l.id}`}>加载中…</span>}
              {visible.has(l.id) && !!state.error && <span className="layer-state bad" title={errorText(state.error)}>加载失败</span>}
            </label>
          ))}
        </fieldset>
      ))}
    </section>
  );
}
