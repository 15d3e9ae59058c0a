'use client';
// The layer panel: every layer of the registry, grouped, with a checkbox each.
import { LAYERS, type LayerId } from './layer-registry';

export function LayerPanel({ visible, onToggle }: { visible: ReadonlySet<LayerId>; onToggle: (id: LayerId) => void }) {
  const groups = [...new Set(LAYERS.map((l) => l.group))];
  return (
    <section className="panel layer-panel" aria-label="图层">
      <h2>图层</h2>
      {groups.map((g) => (
        <fieldset key={g}>
          <legend>{g}</legend>
          {LAYERS.filter((l) => l.group === g).map((l) => (
            <label key={l.id} className="layer-toggle">
              <input type="checkbox" checked={visible.has(l.id)} onChange={() => onToggle(l.id)} data-layer={l.id} />
              {l.title}
            </label>
          ))}
        </fieldset>
      ))}
    </section>
  );
}
