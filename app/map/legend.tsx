'use client';
// The legend: the swatches of every visible layer, from each module's legend (which may
// depend on its data: class counts, the ramp's ends, a loading note).
import { useState } from 'react';
import type { LegendItem } from '../layers/types';
import type { ModuleState } from './use-layers';

export function Swatch({ item }: { item: LegendItem }) {
  const c = item.color;
  switch (item.shape) {
    case 'fill': return <span className="swatch swatch-fill" style={{ background: c }} />;
    case 'point': return <span className="swatch swatch-point" style={{ background: c }} />;
    case 'ring': return <span className="swatch swatch-point" style={{ background: 'transparent', border: `2px solid ${c}` }} />;
    case 'square': return <span className="swatch swatch-point" style={{ background: c, borderRadius: 1 }} />;
    case 'diamond': return <span className="swatch swatch-point" style={{ background: c, borderRadius: 1, transform: 'rotate(45deg) scale(0.85)' }} />;
    case 'triangle': return <span className="swatch swatch-tri" style={{ borderBottomColor: c }} />;
    default:
      return <span className="swatch swatch-line" style={{ borderTopColor: c, borderTopWidth: item.width ?? 2, borderTopStyle: item.shape === 'dashed' ? 'dashed' : 'solid' }} />;
  }
}

/** The overlays first, the uppermost on top (as they are drawn), then the base map's layers. */
function legendOrder(modules: ModuleState[]): ModuleState[] {
  const deck = modules.filter((m) => m.module.renderer === 'deck').reverse();
  return [...deck, ...modules.filter((m) => m.module.renderer !== 'deck')];
}

export function Legend({ modules, visible }: { modules: ModuleState[]; visible: ReadonlySet<string> }) {
  const [open, setOpen] = useState(true);
  const shown = legendOrder(modules).filter((m) => visible.has(m.module.id) && (m.legend.items.length > 0 || m.legend.note));
  if (shown.length === 0) return null;
  return (
    <section className={`panel legend${open ? '' : ' closed'}`} aria-label="图例" data-testid="legend">
      <h2>
        图例
        <button type="button" className="legend-toggle" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="legend-toggle">{open ? '收起' : '展开'}</button>
      </h2>
      {open && shown.map(({ module: l, legend, state }) => (
        <div key={l.id} className="legend-block" data-legend={l.id}>
          {shown.length > 1 && <h3>{l.title}</h3>}
          <ul>
            {legend.items.map((item) => (
              <li key={`${l.id}-${item.label}`}>
                <Swatch item={item} />
                {item.label}
                {item.value !== undefined && <span className="tally">{item.value}</span>}
              </li>
            ))}
          </ul>
          {legend.scale && <p className="legend-scale">{legend.scale.low} → {legend.scale.high}{legend.scale.better !== 'neither' && `(${legend.scale.better === 'low' ? '越低越好' : '越高越好'})`}</p>}
          {legend.note ? <p className="legend-note">{legend.note}</p> : state.loading && <p className="legend-note">正在加载…</p>}
        </div>
      ))}
    </section>
  );
}
