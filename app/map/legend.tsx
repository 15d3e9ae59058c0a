'use client';
// The legend: the swatches of every visible layer, read from the registry.
import { LAYERS, type LayerId, type LegendItem } from './layer-registry';

function Swatch({ item }: { item: LegendItem }) {
  if (item.shape === 'fill') return <span className="swatch swatch-fill" style={{ background: item.color }} />;
  if (item.shape === 'point') return <span className="swatch swatch-point" style={{ background: item.color }} />;
  return (
    <span
      className="swatch swatch-line"
      style={{ borderTopColor: item.color, borderTopWidth: item.width ?? 2, borderTopStyle: item.shape === 'dashed' ? 'dashed' : 'solid' }}
    />
  );
}

export function Legend({ visible }: { visible: ReadonlySet<LayerId> }) {
  const items = LAYERS.filter((l) => visible.has(l.id)).flatMap((l) => l.legend.map((item) => ({ layer: l.id, item })));
  if (items.length === 0) return null;
  return (
    <section className="panel legend" aria-label="图例">
      <h2>图例</h2>
      <ul>
        {items.map(({ layer, item }) => (
          <li key={`${layer}-${item.label}`}>
            <Swatch item={item} />
            {item.label}
          </li>
        ))}
      </ul>
    </section>
  );
}
